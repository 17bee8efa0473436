import type { Types } from 'mongoose';
import type { LoyaltyModels } from './models.ts';

type Members = Pick<LoyaltyModels, 'Member'>;

async function forgetLastCheckin({ Member }: Members, customerId: Types.ObjectId): Promise<void> {
  await Member.updateOne({ customerId }, { $unset: { lastCheckin: 1 }, $inc: { checkinHistoryChanges: 1 } });
}

/**
 * Runs a change to a member's check-in history other than a check-in (a make-up paid, a check-in recovered by
 * reconcile, check-ins moved by a merge), after which `lastCheckin` may no longer be exact: the next check-in
 * walks. Forgotten before the change, so a crash midway leaves it forgotten, and after it, with a count a
 * check-in that read the member meanwhile must still find unchanged before it stores a value.
 */
export async function changeCheckinHistory<T>(models: Members, customerId: Types.ObjectId, change: () => Promise<T>): Promise<T> {
  await forgetLastCheckin(models, customerId);
  const result = await change();
  await forgetLastCheckin(models, customerId);
  return result;
}
