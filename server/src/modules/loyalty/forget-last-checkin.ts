import type { Types } from 'mongoose';
import type { LoyaltyModels } from './models.ts';

/**
 * After the check-in history changed other than by a check-in (a make-up paid, a check-in recovered by reconcile,
 * check-ins moved by a merge): the member's `lastCheckin` may no longer be exact, so the next check-in walks.
 */
export async function forgetLastCheckin({ Member }: Pick<LoyaltyModels, 'Member'>, customerId: Types.ObjectId): Promise<void> {
  await Member.updateOne({ customerId }, { $unset: { lastCheckin: 1 } });
}
