import type { Types } from 'mongoose';
import type { MergeHandler } from '../customers/merge.service.ts';
import type { LedgerService } from './ledger.service.ts';
import type { LoyaltyModels } from './models.ts';
import { changeCheckinHistory } from './checkin-history.ts';

/**
 * When two customer records merge, the survivor keeps the points. A lone membership moves over whole (card,
 * balance, ledger, check-ins); when both are members, the source's spendable points move by two ledger entries
 * with fixed idempotency keys, so a merge resumed after a crash moves them exactly once.
 */
export function createMergeMembers({ Member, PointsEntry, Checkin }: LoyaltyModels, deps: { ledger: Pick<LedgerService, 'postEntry'> }): MergeHandler {
  async function moveWhole(sourceId: Types.ObjectId, targetId: Types.ObjectId) {
    await Member.updateOne({ customerId: sourceId }, { $set: { customerId: targetId } });
    await PointsEntry.updateMany({ customerId: sourceId }, { $set: { customerId: targetId } });
    await changeCheckinHistory({ Member }, targetId, () =>
      Checkin.updateMany({ customerId: sourceId }, { $set: { customerId: targetId } }).catch(() => {
        // Both records checked in on the same day: the survivor's check-in stands.
      }),
    );
  }

  return async function mergeMembers({ sourceId, targetId }) {
    const [source, target] = await Promise.all([Member.findOne({ customerId: sourceId }).lean(), Member.findOne({ customerId: targetId }).lean()]);
    if (!source) return;
    if (!target) return moveWhole(sourceId, targetId);
    const outKey = `merge-out:${String(sourceId)}`;
    const earlier = await PointsEntry.findOne({ idempotencyKey: outKey }).lean();
    const amount = earlier ? -earlier.amount : source.balance - source.frozen;
    if (amount <= 0) return;
    const reason = `合并客户 ${String(sourceId)} → ${String(targetId)}`;
    await deps.ledger.postEntry({ customerId: String(sourceId), amount: -amount, kind: 'adjust', reason, idempotencyKey: outKey });
    await deps.ledger.postEntry({ customerId: String(targetId), amount, kind: 'adjust', reason, idempotencyKey: `merge-in:${String(sourceId)}` });
  };
}
