import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { Types } from 'mongoose';
import { buildTestApp } from '../../helpers/app.ts';
import { credit, newMember } from './helpers.ts';

describe('reconcile', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildTestApp();
  });
  afterAll(() => app.close());

  const ledger = () => app.db.collection('points_ledger');
  const members = () => app.db.collection('members');
  const appliedSum = async (customerId: string) => {
    const rows = await ledger().find({ customerId: new Types.ObjectId(customerId), status: 'applied' }).toArray();
    return rows.reduce((sum, row) => sum + Number(row.amount), 0);
  };
  /** postEntry's first write, exactly: the entry exists, pending, and nothing else happened. */
  const pendingEntry = async (customerId: string, amount: number, key: string) => {
    const _id = new Types.ObjectId();
    await ledger().insertOne({
      _id,
      customerId: new Types.ObjectId(customerId),
      kind: 'earn',
      amount,
      frozenDelta: 0,
      lifetimeDelta: amount,
      reason: 'crashed',
      idempotencyKey: key,
      status: 'pending',
      at: new Date(),
      createdAt: new Date(),
      updatedAt: new Date(),
    });
    return _id;
  };

  it('finishes an entry a crash left before the balance update: no point created or lost', async () => {
    const customerId = await newMember(app);
    await credit(app, customerId, 300);
    const entryId = await pendingEntry(customerId, 70, `crash-before:${customerId}`);

    const look = await app.loyalty.reconcile({ fix: false });
    expect(look.pending).toBe(1);
    expect(look.drifted).toEqual([]);
    expect((await app.loyalty.getMember(customerId))!.balance).toBe(300);

    const repair = await app.loyalty.reconcile({ fix: true });
    expect(repair.completed).toBe(1);
    expect(repair.drifted).toEqual([]);
    const member = await app.loyalty.getMember(customerId);
    expect(member!.balance).toBe(370);
    expect(await appliedSum(customerId)).toBe(370);
    expect(await ledger().findOne({ _id: entryId })).toMatchObject({ status: 'applied', balanceAfter: 370 });

    const again = await app.loyalty.reconcile({ fix: true });
    expect(again).toMatchObject({ pending: 0, completed: 0, drifted: [], fixed: 0 });
    expect((await app.loyalty.getMember(customerId))!.balance).toBe(370);
  });

  it('marks an entry a crash left after the balance update, without applying it twice', async () => {
    const customerId = await newMember(app);
    await credit(app, customerId, 200);
    const entryId = await pendingEntry(customerId, 30, `crash-after:${customerId}`);
    // The second write happened (balance and id on the member); the crash came before the entry was marked.
    await members().updateOne({ customerId: new Types.ObjectId(customerId) }, { $inc: { balance: 30, lifetimePoints: 30 }, $push: { appliedEntryIds: entryId } } as Record<string, unknown>);

    expect((await app.loyalty.reconcile({ fix: false })).drifted).toEqual([]);
    await app.loyalty.reconcile({ fix: true });
    expect((await app.loyalty.getMember(customerId))!.balance).toBe(230);
    expect(await ledger().findOne({ _id: entryId })).toMatchObject({ status: 'applied', balanceAfter: 230 });
    expect(await appliedSum(customerId)).toBe(230);
  });

  it('lets a retry with the same key finish a crashed entry, once', async () => {
    const customerId = await newMember(app);
    const key = `crash-retry:${customerId}`;
    await pendingEntry(customerId, 40, key);
    const retries = await Promise.all([1, 2, 3].map(() => app.loyalty.postEntry({ customerId, amount: 40, kind: 'earn', reason: 'retry', idempotencyKey: key })));
    expect(new Set(retries.map((entry) => entry.id)).size).toBe(1);
    expect((await app.loyalty.getMember(customerId))!.balance).toBe(40);
  });

  it('restores a check-in a crash interrupted right after its ledger entry', async () => {
    const customerId = await newMember(app);
    const _id = new Types.ObjectId();
    const facts = { day: '2026-02-03', streak: 1, cycleDay: 1, points: 5 };
    await ledger().insertOne({
      _id,
      customerId: new Types.ObjectId(customerId),
      kind: 'checkin',
      amount: 5,
      frozenDelta: 0,
      lifetimeDelta: 5,
      reason: 'check-in',
      idempotencyKey: `checkin:${customerId}:2026-02-03`,
      status: 'pending',
      at: new Date('2026-02-03T01:00:00Z'),
      meta: facts,
    });
    await expect(app.loyalty.checkIn({ customerId, now: new Date('2026-02-03T02:00:00Z') })).rejects.toMatchObject({ code: 'ALREADY_CHECKED_IN' });
    await app.loyalty.reconcile({ fix: true });
    expect((await app.loyalty.getMember(customerId))!.balance).toBe(5);
    const calendar = await app.loyalty.calendar({ customerId, month: '2026-02', now: new Date('2026-02-03T03:00:00Z') });
    expect(calendar).toMatchObject({ checkedInToday: true, streak: 1, days: [{ day: '2026-02-03', points: 5, makeup: false }] });
    expect((await app.interactions.page(customerId, { limit: 5, type: 'checkin' })).items).toHaveLength(1);
  });

  it('reports a drifted balance and fixes it from the ledger', async () => {
    const customerId = await newMember(app);
    await credit(app, customerId, 120);
    await members().updateOne({ customerId: new Types.ObjectId(customerId) }, { $set: { balance: 999 } });

    const look = await app.loyalty.reconcile({ fix: false });
    expect(look.drifted).toContainEqual(expect.objectContaining({ customerId, expected: 120, actual: 999 }));
    expect(look.fixed).toBe(0);
    expect((await app.loyalty.getMember(customerId))!.balance).toBe(999);

    const repair = await app.loyalty.reconcile({ fix: true });
    expect(repair.fixed).toBe(1);
    expect((await app.loyalty.getMember(customerId))!.balance).toBe(120);
    expect((await app.loyalty.reconcile({ fix: true })).drifted).toEqual([]);
  });

  it('compacts old entry ids off the member and still reconciles', async () => {
    const customerId = await newMember(app);
    // Entries written two hours ago: only the clock behind ObjectIds and timestamps moves back.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() - 2 * 3_600_000 });
    try {
      for (const amount of [10, 20, 30]) await credit(app, customerId, amount);
    } finally {
      vi.useRealTimers();
    }
    await app.loyalty.reconcile({ fix: true });
    const member = await members().findOne({ customerId: new Types.ObjectId(customerId) });
    expect(member!.appliedEntryIds).toEqual([]);
    await credit(app, customerId, 5);
    expect((await app.loyalty.reconcile({ fix: false })).drifted).toEqual([]);
    expect((await app.loyalty.getMember(customerId))!.balance).toBe(65);
    // A retry of a compacted operation returns its first outcome and moves nothing.
    const [oldest] = await ledger().find({ customerId: new Types.ObjectId(customerId) }).sort({ _id: 1 }).limit(1).toArray();
    const retried = await app.loyalty.postEntry({ customerId, amount: 10, kind: 'earn', reason: 'test credit', idempotencyKey: oldest.idempotencyKey });
    expect(retried.id).toBe(String(oldest._id));
    expect((await app.loyalty.getMember(customerId))!.balance).toBe(65);
  });

  it('reports its progress member by member', async () => {
    const seen: number[] = [];
    const report = await app.loyalty.reconcile({ fix: false, onProgress: (checked) => seen.push(checked) });
    expect(seen).toHaveLength(report.checked);
    expect(seen.at(-1)).toBe(report.checked);
  });
});
