import type { mongo, Types } from 'mongoose';
import { createBatcher, writeErrorsOf, type Outcome } from '../../lib/coalesced-writes.ts';
import type { EntryRecord, MemberSnapshot } from './ledger.types.ts';
import type { LoyaltyModels } from './models.ts';

type Deltas = Pick<EntryRecord, 'amount' | 'frozenDelta' | 'lifetimeDelta'>;
type MemberAfter = MemberSnapshot & { appliedEntryIds: Types.ObjectId[] };

/** The conditional update that applies an entry once: it matches only while the entry's id is not on the member. */
function applyOperation(entry: EntryRecord): mongo.AnyBulkWriteOperation {
  const filter: Record<string, unknown> = {
    customerId: entry.customerId,
    appliedEntryIds: { $ne: entry._id },
    appliedThrough: { $lt: entry._id },
  };
  // After the update, spendable (balance − frozen) and frozen must both stay ≥ 0.
  const spendableNeeded = entry.frozenDelta - entry.amount;
  if (spendableNeeded > 0) filter.$expr = { $gte: [{ $subtract: ['$balance', '$frozen'] }, spendableNeeded] };
  if (entry.frozenDelta < 0) filter.frozen = { $gte: -entry.frozenDelta };
  const update: Record<string, unknown> = {
    $inc: { balance: entry.amount, frozen: entry.frozenDelta, lifetimePoints: entry.lifetimeDelta },
    $push: { appliedEntryIds: entry._id },
    $set: { updatedAt: new Date() },
  };
  return { updateOne: { filter, update } };
}

/** Ids applied after the entry, in order, or null when the entry is not on the member. */
function appliedAfter(member: MemberAfter, entry: EntryRecord): Types.ObjectId[] | null {
  const position = member.appliedEntryIds.findIndex((id) => id.equals(entry._id));
  return position < 0 ? null : member.appliedEntryIds.slice(position + 1);
}

/**
 * Applies ledger entries to their members; resolves with the member's counters right after the entry, or null
 * when the entry is not on the member (not a member, not enough points, too old). The entries of a tick go as one
 * bulk update and one read of those members instead of a findOneAndUpdate each. `appliedEntryIds` lists entries
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

  const applyAll = createBatcher<EntryRecord, MemberSnapshot | null>(async (entries) => {
    let failed = new Map<number, Error>();
    try {
      await Member.collection.bulkWrite(entries.map(applyOperation), { ordered: false });
    } catch (error) {
      const perOperation = writeErrorsOf(error);
      if (!perOperation) throw error;
      failed = perOperation;
    }
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
    return entries.map((entry, index): Outcome<MemberSnapshot | null> => {
      if (failed.has(index)) return { ok: false, error: failed.get(index) };
      const found = member(entry);
      return { ok: true, value: found ? snapshotAfter(found, entry, known) : null };
    });
  });

  return applyAll;
}
