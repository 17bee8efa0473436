import type { Connection } from 'mongoose';
import { createCouponModel } from './coupon.model.ts';
import { createMemberQuotaModel } from './member-quota.model.ts';
import { createRedemptionModel } from './redemption.model.ts';
import { createReferralCodeModel, createReferralModel } from './referral.model.ts';
import { createRewardModel } from './reward.model.ts';

/** The collections the rewards feature owns; other features go through `fastify.rewards`. */
export function createRewardsModels(db: Connection) {
  return {
    Reward: createRewardModel(db),
    Redemption: createRedemptionModel(db),
    MemberQuota: createMemberQuotaModel(db),
    Coupon: createCouponModel(db),
    ReferralCode: createReferralCodeModel(db),
    Referral: createReferralModel(db),
  };
}

export type RewardsModels = ReturnType<typeof createRewardsModels>;
