import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { Types } from 'mongoose';
import { buildTestApp } from '../../helpers/app.ts';
import { createMemberApplier } from '../../../server/src/modules/loyalty/apply-to-members.ts';
import { changeCheckinHistory } from '../../../server/src/modules/loyalty/checkin-history.ts';
import type { EntryRecord } from '../../../server/src/modules/loyalty/ledger.types.ts';
import type { LoyaltyModels } from '../../../server/src/modules/loyalty/models.ts';
import { newMember } from './helpers.ts';

describe('applying ledger entries in batches', () => {
  let app: FastifyInstance;
  let models: LoyaltyModels;
  beforeAll(async () => {
    app = await buildTestApp();
    models = { Member: app.db.model('LoyaltyMember'), PointsEntry: app.db.model('PointsEntry') } as LoyaltyModels;
  });
  afterAll(() => app.close());

  let seq = 0;
  async function pendingEntry(customerId: string, amount: number): Promise<EntryRecord> {
    const entry = {
      _id: new Types.ObjectId(),
      customerId: new Types.ObjectId(customerId),
      kind: amount > 0 ? 'earn' : 'spend',
      amount,
      frozenDelta: 0,
      lifetimeDelta: Math.max(amount, 0),
      reason: 'batch test',
      idempotencyKey: `batch:${customerId}:${++seq}`,
      status: 'pending',
      at: new Date(),
      createdAt: new Date(),
    } as EntryRecord;
    await models.PointsEntry.collection.insertOne(entry);
    return entry;
  }

  const appliedOrder = async (customerId: string) =>
    ((await models.Member.collection.findOne({ customerId: new Types.ObjectId(customerId) }))!.appliedEntryIds as Types.ObjectId[]).map(String);

  it('gives every entry of one batch the counters right after it, in the order the database applied them', async () => {
    const customerId = await newMember(app, 'batch');
    const apply = createMemberApplier(models);
    const entries = await Promise.all([1, 2, 4, 8, 16, 32].map((amount) => pendingEntry(customerId, amount)));
    const snapshots = await Promise.all(entries.map((entry) => apply(entry)));
    const order = await appliedOrder(customerId);
    expect(order).toHaveLength(6);
    let running = 0;
    for (const id of order) {
      const index = entries.findIndex((entry) => String(entry._id) === id);
      running += entries[index].amount;
      expect(snapshots[index]).toMatchObject({ balance: running, lifetimePoints: running, frozen: 0 });
    }
  });

  it('subtracts an entry another process applied between the batch and its read', async () => {
    const customerId = await newMember(app, 'batch-outside');
    const apply = createMemberApplier(models);
    const ours = await pendingEntry(customerId, 10);
    const theirs = await pendingEntry(customerId, 500);
    const collection = models.Member.collection;
    const find = collection.find.bind(collection);
    // The other process's apply lands after our bulk update, before we read the member back.
    collection.find = ((...args: Parameters<typeof find>) => {
      collection.find = find;
      const cursor = find(...args);
      const toArray = cursor.toArray.bind(cursor);
      cursor.toArray = async () => {
        await collection.updateOne({ customerId: theirs.customerId }, { $inc: { balance: 500, lifetimePoints: 500 }, $push: { appliedEntryIds: theirs._id } } as never);
        return toArray();
      };
      return cursor;
    }) as typeof find;
    const snapshot = await apply(ours);
    expect(await appliedOrder(customerId)).toEqual([String(ours._id), String(theirs._id)]);
    expect(snapshot).toMatchObject({ balance: 10, lifetimePoints: 10 });
  });

  const countersOf = async (customerId: string) => {
    const member = await models.Member.collection.findOne({ customerId: new Types.ObjectId(customerId) });
    return { customerId: member!.customerId, balance: member!.balance, frozen: member!.frozen, lifetimePoints: member!.lifetimePoints, tierCode: member!.tierCode };
  };

  it('knows the counters after without reading the member back when the ones the caller read still hold', async () => {
    const [first, second] = await Promise.all([newMember(app, 'expected-a'), newMember(app, 'expected-b')]);
    const apply = createMemberApplier(models);
    await apply(await pendingEntry(first, 40));
    const entries = await Promise.all([pendingEntry(first, 5), pendingEntry(second, 7)]);
    const expected = await Promise.all([countersOf(first), countersOf(second)]);
    const reads = vi.spyOn(models.Member.collection, 'find');
    const snapshots = await Promise.all(entries.map((entry, index) => apply(entry, { expected: expected[index] })));
    expect(reads).not.toHaveBeenCalled();
    reads.mockRestore();
    expect(snapshots).toMatchObject([{ balance: 45, lifetimePoints: 45 }, { balance: 7, lifetimePoints: 7 }]);
    expect(await countersOf(first)).toMatchObject({ balance: 45 });
  });

  it('applies once, with the true counters after, when the counters the caller read went stale', async () => {
    const customerId = await newMember(app, 'expected-stale');
    const apply = createMemberApplier(models);
    const stale = await countersOf(customerId);
    await apply(await pendingEntry(customerId, 100)); // lands after the caller's read
    const entry = await pendingEntry(customerId, 3);
    expect(await apply(entry, { expected: stale })).toMatchObject({ balance: 103, lifetimePoints: 103 });
    expect(await appliedOrder(customerId)).toHaveLength(2);
    expect(await countersOf(customerId)).toMatchObject({ balance: 103 });
  });

  it('sets lastCheckin only while it and the history count are as the caller read them, and forgets it otherwise', async () => {
    const customerId = await newMember(app, 'last-checkin');
    const id = new Types.ObjectId(customerId);
    const apply = createMemberApplier(models);
    const member = async () => (await models.Member.collection.findOne({ customerId: id }))!;
    const checkIn = async (read: Awaited<ReturnType<typeof countersOf>>, was: unknown, changes: number | undefined, day: string) =>
      apply(await pendingEntry(customerId, 5), { expected: read, lastCheckin: { was: was as null, changes, now: { day, streak: 1 } } });
    await checkIn(await countersOf(customerId), null, undefined, '2026-05-01');
    expect((await member()).lastCheckin).toEqual({ day: '2026-05-01', streak: 1 });
    // A make-up changed the history after the caller's read: applied all the same, and the next check-in walks.
    let read = await countersOf(customerId);
    await changeCheckinHistory(models, id, async () => {});
    expect(await checkIn(read, { day: '2026-05-01', streak: 1 }, undefined, '2026-05-02')).toMatchObject({ balance: 10 });
    expect((await member()).lastCheckin).toBeUndefined();
    // Already unknown when read (the caller walked): only the count tells that the history changed meanwhile.
    read = await countersOf(customerId);
    const changes = (await member()).checkinHistoryChanges as number;
    await changeCheckinHistory(models, id, async () => {});
    await checkIn(read, undefined, changes, '2026-05-03');
    expect((await member()).lastCheckin).toBeUndefined();
    // Nothing changed since the read: stored.
    await checkIn(await countersOf(customerId), undefined, changes + 2, '2026-05-04');
    expect((await member()).lastCheckin).toEqual({ day: '2026-05-04', streak: 1 });
    expect((await member()).balance).toBe(20);
  });

  it('answers null, and applies nothing twice, for an entry already on the member or a spend not covered', async () => {
    const customerId = await newMember(app, 'batch-refused');
    const apply = createMemberApplier(models);
    const earn = await pendingEntry(customerId, 50);
    expect(await apply(earn)).toMatchObject({ balance: 50 });
    const [again, overspend] = await Promise.all([apply(earn), apply(await pendingEntry(customerId, -60))]);
    // Already applied: the batch reads it back on the member, with the counters right after it.
    expect(again).toMatchObject({ balance: 50 });
    expect(overspend).toBeNull();
    expect(await appliedOrder(customerId)).toEqual([String(earn._id)]);
    expect((await models.Member.collection.findOne({ customerId: new Types.ObjectId(customerId) }))!.balance).toBe(50);
  });
});
