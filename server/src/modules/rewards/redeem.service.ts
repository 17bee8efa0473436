import type { Types } from 'mongoose';
import type { MpRedeemReply } from '../../../../shared/src/rewards-api.ts';
import { DomainError } from '../../lib/errors.ts';
import { isDuplicateKey } from '../loyalty/is-duplicate-key.util.ts';
import type { LoyaltyService } from '../loyalty/loyalty.service.ts';
import { toObjectId } from '../../lib/object-id.util.ts';
import { isAvailableAt } from './availability.util.ts';
import type { RewardsModels } from './models.ts';
import type { RedemptionDriver } from './redemption-driver.ts';
import type { RedemptionRecord } from './redemption.types.ts';
import { tierAllows } from './tier-allows.util.ts';

export interface RedeemInput {
  customerId: string;
  rewardId: string;
  /** Chosen by the client per attempt; a retry with the same key is charged once and gets the same coupon. */
  idempotencyKey: string;
  now?: Date;
}

/** Redeeming without transactions; the steps and why they are safe to repeat are in redemption-driver.ts. */
export function createRedeemService({ Redemption, Reward }: RewardsModels, deps: { loyalty: LoyaltyService; driver: RedemptionDriver }) {
  /** Checks that need no write: a refusal here stores nothing. The conditional updates decide under races. */
  async function precheck(customerId: Types.ObjectId, rewardId: Types.ObjectId, now: Date) {
    const [member, reward, settings] = await Promise.all([
      deps.loyalty.getMember(String(customerId)),
      Reward.findById(rewardId, { holds: 0 }).lean(),
      deps.loyalty.getSettings(),
    ]);
    if (!reward) throw new DomainError('NOT_FOUND', 'no such reward');
    if (!member) throw new DomainError('NOT_A_MEMBER');
    if (!isAvailableAt(reward, now)) throw new DomainError('REWARD_UNAVAILABLE');
    if (!tierAllows({ tiers: settings.tiers, memberTier: member.tier.code, minTier: reward.minTierCode })) throw new DomainError('TIER_TOO_LOW');
    if (member.available < reward.pointsCost) throw new DomainError('INSUFFICIENT_POINTS');
    if (reward.stock <= 0) throw new DomainError('OUT_OF_STOCK');
    return reward;
  }

  async function redeem(input: RedeemInput): Promise<MpRedeemReply> {
    const now = input.now ?? new Date();
    const customerId = toObjectId(input.customerId);
    const rewardId = toObjectId(input.rewardId);
    if (!customerId) throw new DomainError('NOT_A_MEMBER');
    if (!rewardId) throw new DomainError('NOT_FOUND', 'no such reward');
    const replay = async () => {
      const existing = await Redemption.findOne({ customerId, idempotencyKey: input.idempotencyKey }).lean<RedemptionRecord>();
      if (existing && !existing.rewardId.equals(rewardId)) throw new DomainError('IDEMPOTENCY_KEY_REUSED');
      return existing && deps.driver.outcome(existing, now);
    };
    // Both at once; an existing redemption answers before any refusal of the checks.
    const [replayed, checked] = await Promise.all([replay(), precheck(customerId, rewardId, now).then((reward) => ({ reward }), (error: unknown) => ({ error }))]);
    if (replayed) return replayed;
    if ('error' in checked) throw checked.error;
    const { reward } = checked;
    let created: RedemptionRecord;
    try {
      const doc = await Redemption.create({
        customerId,
        rewardId,
        idempotencyKey: input.idempotencyKey,
        rewardName: reward.name,
        pointsCost: reward.pointsCost,
        couponValidDays: reward.couponValidDays,
        perMemberLimit: reward.perMemberLimit ?? null,
        at: now,
      });
      created = doc.toObject<RedemptionRecord>();
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      const raced = await replay();
      if (!raced) throw error;
      return raced;
    }
    return deps.driver.drive(created, now);
  }

  return { redeem };
}

export type RedeemService = ReturnType<typeof createRedeemService>;
