import type { mongo, Types } from 'mongoose';
import { createBatcher, writeErrorsOf, type Outcome } from '../../lib/coalesced-writes.ts';
import type { EntryRecord, LastCheckin, MemberSnapshot } from './ledger.types.ts';
import type { LoyaltyModels } from './models.ts';

type Deltas = Pick<EntryRecord, 'amount' | 'frozenDelta' | 'lifetimeDelta'>;
type MemberAfter = MemberSnapshot & { appliedEntryIds: Types.ObjectId[] };

export interface ApplyOptions {
  /** The member's counters as the caller last read them: the update then also requires them, and on a match the counters after are known without reading the member back. */
  expected?: MemberSnapshot;
  /**
   * A check-in: `lastCheckin` and `checkinHistoryChanges` as read with `expected`, and the value after. Set only
   * while both are unchanged since the read, else forgotten (the next check-in walks).
   */
  lastCheckin?: { was: LastCheckin | null | undefined; changes: number | undefined; now: LastCheckin };
}

interface Application extends ApplyOptions {
  entry: EntryRecord;
}

/** Matches the value read: null only as null (a missing field means unknown), a day and streak exactly. */
function sameLastCheckin(was: LastCheckin | null | undefined): unknown {
  if (was === undefined) return { $exists: false };
  return was === null ? { $type: 'null' } : { day: was.day, streak: was.streak };
}

/** The conditional update that applies an entry once: it matches only while the entry's id is not on the member. */
function applyOperation({ entry, expected, lastCheckin }: Application): mongo.AnyBulkWriteOperation {
  const filter: Record<string, unknown> = {
    customerId: entry.customerId,
    appliedEntryIds: { $ne: entry._id },
    appliedThrough: { $lt: entry._id },
    ...(expected && { balance: expected.balance, frozen: expected.frozen, lifetimePoints: expected.lifetimePoints, tierCode: expected.tierCode }),
    ...(expected &&
      lastCheckin && {
        lastCheckin: sameLastCheckin(lastCheckin.was),
        checkinHistoryChanges: lastCheckin.changes === undefined ? { $exists: false } : lastCheckin.changes,
      }),
  };
  // After the update, spendable (balance − frozen) and frozen must both stay ≥ 0.
  const spendableNeeded = entry.frozenDelta - entry.amount;
  if (spendableNeeded > 0) filter.$expr = { $gte: [{ $subtract: ['$balance', '$frozen'] }, spendableNeeded] };
  if (entry.frozenDelta < 0) filter.frozen = { $gte: -entry.frozenDelta };
  const update: Record<string, unknown> = {
    $inc: { balance: entry.amount, frozen: entry.frozenDelta, lifetimePoints: entry.lifetimeDelta },
    $push: { appliedEntryIds: entry._id },
    $set: { updatedAt: new Date(), ...(expected && lastCheckin && { lastCheckin: { day: lastCheckin.now.day, streak: lastCheckin.now.streak } }) },
    ...(!expected && lastCheckin && { $unset: { lastCheckin: 1 } }),
  };
  return { updateOne: { filter, update } };
}

function plus(counters: MemberSnapshot, entry: Deltas): MemberSnapshot {
  return {
    customerId: counters.customerId,
    balance: counters.balance + entry.amount,
    frozen: counters.frozen + entry.frozenDelta,
    lifetimePoints: counters.lifetimePoints + entry.lifetimeDelta,
    tierCode: counters.tierCode,
  };
}

/** Ids applied after the entry, in order, or null when the entry is not on the member. */
function appliedAfter(member: MemberAfter, entry: EntryRecord): Types.ObjectId[] | null {
  const position = member.appliedEntryIds.findIndex((id) => id.equals(entry._id));
  return position < 0 ? null : member.appliedEntryIds.slice(position + 1);
}

/**
 * Applies ledger entries to their members; resolves with the member's counters right after the entry, or null
 * when the entry is not on the member (not a member, not enough points, too old). The entries of a tick go as one
 * bulk update instead of a findOneAndUpdate each. When every caller passed the counters it last read and every
 * update matched them, the counters after are known; otherwise the members are read back. `appliedEntryIds` lists entries
 * in the order they were applied, so the counters right after an entry are the current ones less every entry
 * pushed after it; entries from outside the batch among those are read from the ledger.
 */
export function createMemberApplier({ Member, PointsEntry }: LoyaltyModels) {
  async function deltasOf(ids: Types.ObjectId[], known: Map<string, Deltas>): Promise<void> {
    const unknown = ids.filter((id) => !known.has(id.toHexString()));
    if (!unknown.length) return;
    const rows = await PointsEntry.collection
      .find({ _id: { $in: unknown } }, { projection: { amount: 1, frozenDelta: 1, lifetimeDelta: 1 } })
      .toArray();
    for (const row of rows) known.set(String(row._id), row as unknown as Deltas);
  }

  function snapshotAfter(member: MemberAfter, entry: EntryRecord, known: Map<string, Deltas>): MemberSnapshot | null {
    const later = appliedAfter(member, entry);
    if (!later) return null;
    const snapshot = { customerId: member.customerId, balance: member.balance, frozen: member.frozen, lifetimePoints: member.lifetimePoints, tierCode: member.tierCode };
    for (const id of later) {
      const deltas = known.get(id.toHexString());
      if (!deltas) continue; // only a hand-edited id list has no entry; nothing to subtract
      snapshot.balance -= deltas.amount;
      snapshot.frozen -= deltas.frozenDelta ?? 0;
      snapshot.lifetimePoints -= deltas.lifetimeDelta ?? 0;
    }
    return snapshot;
  }

  async function readBack(entries: EntryRecord[]): Promise<Array<MemberSnapshot | null>> {
    const customerIds = [...new Map(entries.map((entry) => [entry.customerId.toHexString(), entry.customerId])).values()];
    const members = (await Member.collection
      .find({ customerId: { $in: customerIds } }, { projection: { customerId: 1, balance: 1, frozen: 1, lifetimePoints: 1, tierCode: 1, appliedEntryIds: 1 } })
      .toArray()) as unknown as MemberAfter[];
    const byCustomer = new Map(members.map((member) => [member.customerId.toHexString(), member]));
    const known = new Map<string, Deltas>(entries.map((entry) => [entry._id.toHexString(), entry]));
    const member = (entry: EntryRecord) => byCustomer.get(entry.customerId.toHexString());
    await deltasOf(
      entries.flatMap((entry) => (member(entry) && appliedAfter(member(entry)!, entry)) || []),
      known,
    );
    return entries.map((entry) => {
      const found = member(entry);
      return found ? snapshotAfter(found, entry, known) : null;
    });
  }

  const applyAll = createBatcher<Application, MemberSnapshot | null>(async (applications) => {
    let failed = new Map<number, Error>();
    let modified = -1;
    try {
      modified = (await Member.collection.bulkWrite(applications.map(applyOperation), { ordered: false })).modifiedCount;
    } catch (error) {
      const perOperation = writeErrorsOf(error);
      if (!perOperation) throw error;
      failed = perOperation;
    }
    // Every update matched the counters its caller expected: the counters after follow from them.
    if (modified === applications.length && applications.every((application) => application.expected)) {
      return applications.map(({ entry, expected }) => ({ ok: true, value: plus(expected!, entry) }));
    }
    const snapshots = await readBack(applications.map((application) => application.entry));
    return Promise.all(
      applications.map(async ({ entry, expected }, index): Promise<Outcome<MemberSnapshot | null>> => {
        if (failed.has(index)) return { ok: false, error: failed.get(index) };
        // Refused with counters that may have gone stale: once more, without them.
        if (!snapshots[index] && expected) return applyAll({ entry, lastCheckin: applications[index].lastCheckin }).then((value) => ({ ok: true, value }), (error: unknown) => ({ ok: false, error }));
        return { ok: true, value: snapshots[index] };
      }),
    );
  });

  return (entry: EntryRecord, { expected, lastCheckin }: ApplyOptions = {}) =>
    // Frozen points need their own condition on `frozen`, which would replace the expected value's.
    applyAll({ entry, lastCheckin, expected: entry.frozenDelta === 0 ? expected : undefined });
}
