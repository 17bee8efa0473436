import type { Types } from 'mongoose';
import { DomainError } from '../../lib/errors.ts';
import { availableFilter, isAvailableAt } from './availability.util.ts';
import { isDuplicateKey } from '../loyalty/is-duplicate-key.util.ts';
import type { RewardsModels } from './models.ts';

/** What a hold needs to know about the redemption it is for. */
export interface HoldOwner {
  _id: Types.ObjectId;
  rewardId: Types.ObjectId;
  customerId: Types.ObjectId;
  perMemberLimit?: number | null;
}

/** 'taken' when this call took the unit; 'held' when the redemption held it already (a retry); 'none' when no limit applies. */
export type HoldOutcome = 'taken' | 'held' | 'none';

const hasQuota = (owner: HoldOwner) => owner.perMemberLimit !== null && owner.perMemberLimit !== undefined;

/**
 * Stock and per-member quota, each taken by one conditional atomic update that also records the redemption's id
 * in `holds`. The id makes every step repeatable: a retry never takes a second unit, a release or a settle
 * happens at most once, and reconcile can see exactly which redemptions hold what.
 */
export function createHolds({ Reward, MemberQuota }: RewardsModels) {
  async function takeStock(owner: HoldOwner, now: Date): Promise<HoldOutcome> {
    const taken = await Reward.updateOne(
      { _id: owner.rewardId, holds: { $ne: owner._id }, stock: { $gt: 0 }, ...availableFilter(now) },
      { $inc: { stock: -1 }, $push: { holds: owner._id } },
    );
    if (taken.modifiedCount === 1) return 'taken';
    // `holds` is short: only redemptions in flight.
    const reward = await Reward.findById(owner.rewardId, { active: 1, validFrom: 1, validTo: 1, holds: 1 }).lean();
    if (reward?.holds.some((id) => id.equals(owner._id))) return 'held';
    throw new DomainError(reward && isAvailableAt(reward, now) ? 'OUT_OF_STOCK' : 'REWARD_UNAVAILABLE');
  }

  async function releaseStock(owner: HoldOwner): Promise<void> {
    await Reward.updateOne({ _id: owner.rewardId, holds: owner._id }, { $inc: { stock: 1 }, $pull: { holds: owner._id } });
  }

  /** The unit is redeemed for good: counted, and the id leaves `holds`. */
  async function settleStock(owner: HoldOwner): Promise<void> {
    await Reward.updateOne({ _id: owner.rewardId, holds: owner._id }, { $inc: { redeemedCount: 1 }, $pull: { holds: owner._id } });
  }

  async function takeQuota(owner: HoldOwner): Promise<HoldOutcome> {
    if (!hasQuota(owner)) return 'none';
    const key = { rewardId: owner.rewardId, customerId: owner.customerId };
    try {
      await MemberQuota.updateOne(key, { $setOnInsert: { count: 0, holds: [] } }, { upsert: true });
    } catch (error) {
      // Two first redemptions raced to create the counter; it exists either way.
      if (!isDuplicateKey(error)) throw error;
    }
    const taken = await MemberQuota.updateOne(
      { ...key, holds: { $ne: owner._id }, count: { $lt: owner.perMemberLimit } },
      { $inc: { count: 1 }, $push: { holds: owner._id } },
    );
    if (taken.modifiedCount === 1) return 'taken';
    if (await MemberQuota.exists({ ...key, holds: owner._id })) return 'held';
    throw new DomainError('REDEEM_LIMIT');
  }

  async function releaseQuota(owner: HoldOwner): Promise<void> {
    await MemberQuota.updateOne(
      { rewardId: owner.rewardId, customerId: owner.customerId, holds: owner._id },
      { $inc: { count: -1 }, $pull: { holds: owner._id } },
    );
  }

  /** The count stays: an issued coupon uses up the member's quota. */
  async function settleQuota(owner: HoldOwner): Promise<void> {
    await MemberQuota.updateOne({ rewardId: owner.rewardId, customerId: owner.customerId, holds: owner._id }, { $pull: { holds: owner._id } });
  }

  async function releaseAll(owner: HoldOwner): Promise<void> {
    await Promise.all([releaseStock(owner), hasQuota(owner) && releaseQuota(owner)]);
  }

  async function settleAll(owner: HoldOwner): Promise<void> {
    await Promise.all([settleStock(owner), hasQuota(owner) && settleQuota(owner)]);
  }

  return { takeStock, takeQuota, releaseAll, settleAll, releaseStock, releaseQuota };
}

export type Holds = ReturnType<typeof createHolds>;
