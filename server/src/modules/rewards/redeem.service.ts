import type { Types } from 'mongoose';
import type { MpRedeemReply } from '../../../../shared/src/rewards-api.ts';
import { DomainError, type ErrorCode } from '../../lib/errors.ts';
import { isDuplicateKey } from '../loyalty/is-duplicate-key.util.ts';
import type { LoyaltyService } from '../loyalty/loyalty.service.ts';
import { toObjectId } from '../loyalty/object-id.util.ts';
import { isAvailableAt } from './availability.util.ts';
import { toCouponDto, type CouponRecord, type CouponService } from './coupon.service.ts';
import type { Holds } from './holds.service.ts';
import type { RewardsModels } from './models.ts';
import { spendKey, type RedemptionRecord } from './redemption.types.ts';
import { tierAllows } from './tier-allows.util.ts';

export interface RedeemInput {
  customerId: string;
  rewardId: string;
  /** Chosen by the client per attempt; a retry with the same key is charged once and gets the same coupon. */
  idempotencyKey: string;
  now?: Date;
}

/** Refusals that end a redemption for good: stored, so a retry with the same key answers the same. */
const FINAL_REFUSALS = new Set<ErrorCode>([
  'OUT_OF_STOCK',
  'REDEEM_LIMIT',
  'REWARD_UNAVAILABLE',
  'INSUFFICIENT_POINTS',
  'NOT_A_MEMBER',
  // The ledger's answer for a spend left pending too long: the entry is rejected and can never apply.
  'CONFLICT',
]);

/**
 * Redeeming without transactions: (1) the redemption is inserted, unique on the member's idempotency key;
 * (2) quota and stock are taken by conditional updates that record the redemption's id; (3) the points are
 * spent through the ledger under a key derived from the redemption's id; (4) a coupon is issued (unique per
 * redemption) and the redemption marked issued; (5) the holds are settled. Every step can run again with the
 * same outcome, so a retry — or reconcile after a crash — drives an unfinished redemption forward from wherever
 * it stopped. A refusal marks it failed first and then gives back whatever it held.
 */
export function createRedeemService(
  { Redemption, Reward }: RewardsModels,
  deps: { loyalty: LoyaltyService; holds: Holds; coupons: CouponService },
) {
  async function reply(redemption: RedemptionRecord, coupon: CouponRecord, now: Date): Promise<MpRedeemReply> {
    return {
      redemption: {
        id: String(redemption._id),
        rewardId: String(redemption.rewardId),
        rewardName: redemption.rewardName,
        pointsCost: redemption.pointsCost,
        status: 'issued',
        at: redemption.at.toISOString(),
      },
      coupon: toCouponDto(coupon, now),
    };
  }

  /** Ends a redemption as refused, unless a concurrent run issued it; returns how it ended. */
  async function fail(redemption: RedemptionRecord, code: ErrorCode): Promise<RedemptionRecord | null> {
    await Redemption.updateOne({ _id: redemption._id, status: 'reserving' }, { $set: { status: 'failed', failureCode: code } });
    const current = await Redemption.findById(redemption._id).lean<RedemptionRecord>();
    if (current?.status === 'failed') await deps.holds.releaseAll(redemption);
    return current;
  }

  /** Runs the remaining steps of a redemption; safe to run again, concurrently too. */
  async function drive(redemption: RedemptionRecord, now: Date): Promise<MpRedeemReply> {
    try {
      const quota = await deps.holds.takeQuota(redemption);
      const stock = await deps.holds.takeStock(redemption, now);
      if (quota === 'taken' || stock === 'taken') {
        // A late retry can take a unit after the redemption ended (ending comes before releasing); it gives it back.
        const current = await Redemption.findById(redemption._id).lean<RedemptionRecord>();
        if (current && current.status !== 'reserving') {
          if (stock === 'taken') await deps.holds.releaseStock(redemption);
          if (quota === 'taken') await deps.holds.releaseQuota(redemption);
          return outcome(current, now);
        }
      }
      await deps.loyalty.postEntry({
        customerId: redemption.customerId,
        amount: -redemption.pointsCost,
        kind: 'spend',
        reason: `兑换 ${redemption.rewardName}`,
        idempotencyKey: spendKey(redemption._id),
        meta: { redemptionId: String(redemption._id), rewardId: String(redemption.rewardId) },
      });
    } catch (error) {
      if (!(error instanceof DomainError && FINAL_REFUSALS.has(error.code))) throw error;
      // A late retry may be refused (no stock, quota used up) by its own redemption's success: answer that.
      const ended = await fail(redemption, error.code);
      if (ended) return outcome(ended, now);
      throw error;
    }
    const coupon = await deps.coupons.issue(redemption, now);
    await Redemption.updateOne({ _id: redemption._id, status: 'reserving' }, { $set: { status: 'issued', couponId: coupon._id } });
    await deps.holds.settleAll(redemption);
    return reply(redemption, coupon, now);
  }

  /** What an existing redemption answers: its coupon, its refusal, or (unfinished) the rest of its steps. */
  async function outcome(redemption: RedemptionRecord, now: Date): Promise<MpRedeemReply> {
    if (redemption.status === 'failed') throw new DomainError((redemption.failureCode ?? 'CONFLICT') as ErrorCode);
    if (redemption.status === 'reserving') return drive(redemption, now);
    // The coupon is written before the status, so it exists; issuing would repair its absence all the same.
    const coupon = (await deps.coupons.findByRedemptions([redemption._id])).get(String(redemption._id));
    return reply(redemption, coupon ?? (await deps.coupons.issue(redemption, now)), now);
  }

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
      return existing && outcome(existing, now);
    };
    const replayed = await replay();
    if (replayed) return replayed;

    const reward = await precheck(customerId, rewardId, now);
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
    return drive(created, now);
  }

  return { redeem, drive };
}

export type RedeemService = ReturnType<typeof createRedeemService>;
