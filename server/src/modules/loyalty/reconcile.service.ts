import type { FastifyBaseLogger } from 'fastify';
import { Types } from 'mongoose';
import { DomainError } from '../../lib/errors.ts';
import type { LedgerService } from './ledger.service.ts';
import type { EntryRecord } from './ledger.types.ts';
import { NO_ENTRY_ID } from './member.model.ts';
import type { LoyaltyModels } from './models.ts';

export interface ReconcileReport {
  checked: number;
  /** Members whose counters differed from their ledger (before any fix). */
  drifted: Array<{ customerId: string; expected: number; actual: number; expectedFrozen: number; actualFrozen: number; expectedLifetime: number; actualLifetime: number }>;
  fixed: number;
  /** Pending entries a crash left, now applied or rejected (fix only). */
  completed: number;
  /** Pending entries seen (reported in both modes). */
  pending: number;
  /** Check-ins, make-ups, releases and refunds a crash left half done, now finished or undone (fix only). */
  repaired: number;
}

export interface ReconcileOptions {
  fix: boolean;
  now?: Date;
  /** Leave pending entries younger than this alone: while the server takes requests, they may still be in flight. */
  pendingOlderThanMs?: number;
  onProgress?: (checked: number, total: number) => void;
}

interface MemberState {
  _id: Types.ObjectId;
  customerId: Types.ObjectId;
  balance: number;
  frozen: number;
  lifetimePoints: number;
  appliedEntryIds: Types.ObjectId[];
  appliedThrough: Types.ObjectId;
}

/** Ids of entries older than this are compacted out of the member document; nothing stays pending that long. */
const COMPACT_AFTER_MS = 60 * 60_000;

/**
 * The ledger is the truth: an entry is applied when its id is on the member (`appliedEntryIds`) or, once
 * compacted, when it is at or below `appliedThrough` and marked applied. Balance, frozen and lifetime points must
 * equal the sums over applied entries. The member's counters and its id list are read in one document, so the
 * comparison is exact while other requests keep writing, and a fix is a compare-and-set on that same state.
 */
export function createReconcileService(
  { Member, PointsEntry }: LoyaltyModels,
  deps: { ledger: LedgerService; recover: (entry: EntryRecord) => Promise<void>; repairs: (now: Date) => Promise<number>; log: FastifyBaseLogger },
) {
  async function expectedFor(member: MemberState) {
    const [sums] = await PointsEntry.aggregate<{ balance: number; frozen: number; lifetime: number }>([
      { $match: { customerId: member.customerId, $or: [{ _id: { $lte: member.appliedThrough }, status: 'applied' }, { _id: { $in: member.appliedEntryIds } }] } },
      { $group: { _id: null, balance: { $sum: '$amount' }, frozen: { $sum: '$frozenDelta' }, lifetime: { $sum: '$lifetimeDelta' } } },
    ]);
    return { balance: sums?.balance ?? 0, frozen: sums?.frozen ?? 0, lifetime: sums?.lifetime ?? 0 };
  }

  /** Entries whose ids are on the member but which a crash left unmarked: applied, with the balance as of that entry. */
  async function markApplied(member: MemberState): Promise<void> {
    const unmarked = await PointsEntry.find({ _id: { $in: member.appliedEntryIds }, status: { $ne: 'applied' } }, { _id: 1 }).lean();
    for (const { _id } of unmarked) {
      const [upTo] = await PointsEntry.aggregate<{ balance: number }>([
        { $match: { customerId: member.customerId, _id: { $lte: _id }, $or: [{ _id: { $lte: member.appliedThrough }, status: 'applied' }, { _id: { $in: member.appliedEntryIds } }] } },
        { $group: { _id: null, balance: { $sum: '$amount' } } },
      ]);
      await PointsEntry.updateOne({ _id, status: { $ne: 'applied' } }, { $set: { status: 'applied', balanceAfter: upTo?.balance ?? 0, appliedAt: new Date() }, $unset: { rejectedReason: 1 } });
    }
  }

  /** Moves `appliedThrough` forward so the id list stays short; only over entries that are all settled. */
  async function compact(member: MemberState): Promise<void> {
    // The real clock, never a caller's `now`: this guards against processes stalled mid-write, not business time.
    const through = Types.ObjectId.createFromTime(Math.floor((Date.now() - COMPACT_AFTER_MS) / 1000));
    const old = member.appliedEntryIds.filter((id) => id.toHexString() <= through.toHexString());
    if (!old.length) return;
    // Past the mark, status alone says "applied": so every entry there must be settled and agree with the id list.
    const disagreeing = await PointsEntry.exists({
      customerId: member.customerId,
      _id: { $gt: member.appliedThrough, $lte: through },
      $or: [{ status: 'pending' }, { status: 'applied', _id: { $nin: member.appliedEntryIds } }],
    });
    if (disagreeing) return;
    await Member.updateOne({ _id: member._id, appliedThrough: member.appliedThrough }, { $set: { appliedThrough: through }, $pull: { appliedEntryIds: { $in: old } } });
  }

  async function completePending(report: ReconcileReport, fix: boolean, bornBefore: Date): Promise<void> {
    const bornBeforeId = Types.ObjectId.createFromTime(Math.floor(bornBefore.getTime() / 1000));
    for await (const entry of PointsEntry.find({ status: 'pending', _id: { $lt: bornBeforeId } }).sort({ _id: 1 }).lean<EntryRecord[]>().cursor()) {
      report.pending++;
      if (!fix) continue;
      try {
        await deps.recover(await deps.ledger.settle(entry));
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
      }
      report.completed++;
    }
  }

  async function checkMember(member: MemberState, report: ReconcileReport, options: ReconcileOptions): Promise<void> {
    let state = member;
    for (let attempt = 0; attempt < 3; attempt++) {
      const expected = await expectedFor(state);
      const same = expected.balance === state.balance && expected.frozen === state.frozen && expected.lifetime === state.lifetimePoints;
      if (same) break;
      if (attempt === 0) {
        report.drifted.push({
          customerId: String(state.customerId),
          expected: expected.balance,
          actual: state.balance,
          expectedFrozen: expected.frozen,
          actualFrozen: state.frozen,
          expectedLifetime: expected.lifetime,
          actualLifetime: state.lifetimePoints,
        });
      }
      if (!options.fix) return;
      const fixed = await Member.updateOne(
        { _id: state._id, balance: state.balance, frozen: state.frozen, lifetimePoints: state.lifetimePoints, appliedThrough: state.appliedThrough, appliedEntryIds: { $size: state.appliedEntryIds.length } },
        { $set: { balance: expected.balance, frozen: expected.frozen, lifetimePoints: expected.lifetime } },
      );
      if (fixed.modifiedCount) {
        report.fixed++;
        deps.log.warn({ customerId: String(state.customerId), expected, actual: { balance: state.balance, frozen: state.frozen, lifetime: state.lifetimePoints } }, 'points drift fixed');
        break;
      }
      // Another request changed the member meanwhile: look again at the new state.
      const fresh = await Member.findById(state._id).lean<MemberState>();
      if (!fresh) return;
      state = fresh;
    }
    if (options.fix) {
      await markApplied(state);
      await compact(state);
    }
  }

  /** Checks every member against the ledger; with `fix`, completes what crashes left and corrects drift. */
  async function reconcile(options: ReconcileOptions): Promise<ReconcileReport> {
    const now = options.now ?? new Date();
    const report: ReconcileReport = { checked: 0, drifted: [], fixed: 0, completed: 0, pending: 0, repaired: 0 };
    await completePending(report, options.fix, new Date(now.getTime() - (options.pendingOlderThanMs ?? 0) + 1000));
    if (options.fix) report.repaired = await deps.repairs(now);
    const total = await Member.estimatedDocumentCount();
    const members = Member.find({}, { customerId: 1, balance: 1, frozen: 1, lifetimePoints: 1, appliedEntryIds: 1, appliedThrough: 1 })
      .sort({ _id: 1 })
      .lean<MemberState[]>()
      .cursor({ batchSize: 200 });
    for await (const member of members) {
      await checkMember({ ...member, appliedThrough: member.appliedThrough ?? NO_ENTRY_ID }, report, options);
      report.checked++;
      options.onProgress?.(report.checked, total);
    }
    return report;
  }

  return { reconcile };
}
