import type { FastifyBaseLogger } from 'fastify';
import type { InteractionService } from '../customers/interaction.service.ts';
import type { LoyaltyService } from '../loyalty/loyalty.service.ts';
import { createCatalogService } from './catalog.service.ts';
import { createCouponService, toCouponDto } from './coupon.service.ts';
import { createHolds } from './holds.service.ts';
import type { RewardsModels } from './models.ts';
import { createRedemptionReconciler } from './reconcile.service.ts';
import { createRedeemService } from './redeem.service.ts';
import { createRedemptionDriver } from './redemption-driver.ts';
import { createRedemptionList } from './redemption-list.service.ts';
import { createReferralService } from './referral.service.ts';

export interface RewardsDeps {
  loyalty: LoyaltyService;
  interactions: InteractionService;
  log: FastifyBaseLogger;
}

/** The rewards feature's public service (`fastify.rewards`): catalog, redemptions, coupons, referrals. */
export function createRewardsService(models: RewardsModels, deps: RewardsDeps) {
  const holds = createHolds(models);
  const coupons = createCouponService(models);
  const catalog = createCatalogService(models, { loyalty: deps.loyalty });
  const driver = createRedemptionDriver(models, { loyalty: deps.loyalty, holds, coupons });
  const redeemer = createRedeemService(models, { loyalty: deps.loyalty, driver });
  const referrals = createReferralService(models, { loyalty: deps.loyalty, interactions: deps.interactions });
  const reconciler = createRedemptionReconciler(models, { driver, holds, referrals, log: deps.log });

  return {
    createReward: catalog.create,
    updateReward: catalog.update,
    getReward: catalog.get,
    listRewards: catalog.list,
    catalogFor: catalog.forMember,
    rewardFor: catalog.getForMember,
    redeem: redeemer.redeem,
    listRedemptions: createRedemptionList(models, { coupons }),
    verifyCoupon: coupons.verify,
    listCoupons: coupons.listForCustomer,
    /** A consumer's own coupon, or null (also for someone else's). */
    getCoupon: async (customerId: string, couponId: string, now = new Date()) => {
      const coupon = await coupons.getForCustomer(customerId, couponId);
      return coupon && toCouponDto(coupon, now);
    },
    referralCode: referrals.referralCode,
    referralSummary: referrals.summary,
    applyReferral: referrals.applyReferral,
    reconcileRedemptions: reconciler.reconcileRedemptions,
  };
}

export type RewardsService = ReturnType<typeof createRewardsService>;
