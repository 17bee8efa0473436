import type { MpRedeemReply } from '../../../../shared/src/rewards-api.ts';
import { DomainError, type ErrorCode } from '../../lib/errors.ts';
import type { LoyaltyService } from '../loyalty/loyalty.service.ts';
import { toCouponDto, type CouponRecord, type CouponService } from './coupon.service.ts';
import type { HoldOutcome, Holds } from './holds.service.ts';
import type { RewardsModels } from './models.ts';
import type { RedemptionStatus } from './redemption.model.ts';
import { spendKey, type RedemptionRecord } from './redemption.types.ts';

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

const isFinalRefusal = (error: unknown): error is DomainError => error instanceof DomainError && FINAL_REFUSALS.has(error.code);

/**
 * Runs a redemption's steps. Any number of runs of one redemption may overlap (a client's retries, reconcile
 * after a crash) and they converge, because every step is conditional on the redemption's own id:
 * - reserving: quota and stock are taken; a refusal here fails the redemption and gives back what it holds.
 * - reserving → charging is the point of no return, a conditional update that succeeds only while the
 *   redemption is not failed. A run that took a unit after the redemption ended fails this step and gives it back.
 * - charging: the points are spent under the redemption's ledger key, so all runs get the ledger's one answer;
 *   then the coupon (unique per redemption), the status, and the holds settled into the sold count.
 */
export function createRedemptionDriver({ Redemption }: RewardsModels, deps: { loyalty: LoyaltyService; holds: Holds; coupons: CouponService }) {
  function reply(redemption: RedemptionRecord, coupon: CouponRecord, now: Date): MpRedeemReply {
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

  async function moveFrom(redemption: RedemptionRecord, from: RedemptionStatus[], set: Record<string, unknown>): Promise<RedemptionRecord | null> {
    const moved = await Redemption.findOneAndUpdate({ _id: redemption._id, status: { $in: from } }, { $set: set }, { returnDocument: 'after' }).lean<RedemptionRecord>();
    return moved ?? (await Redemption.findById(redemption._id).lean<RedemptionRecord>());
  }

  /** Fails the redemption if it is still in `phase`; answers however it ended (another run may have moved it on). */
  async function refuse(redemption: RedemptionRecord, phase: RedemptionStatus, error: DomainError, now: Date): Promise<MpRedeemReply> {
    const current = await moveFrom(redemption, [phase], { status: 'failed', failureCode: error.code });
    if (current?.status === 'failed') await deps.holds.releaseAll(redemption);
    if (!current || current.status === phase) throw error;
    return outcome(current, now);
  }

  async function reserve(redemption: RedemptionRecord, now: Date): Promise<MpRedeemReply | null> {
    let quota: HoldOutcome;
    let stock: HoldOutcome;
    try {
      quota = await deps.holds.takeQuota(redemption);
      stock = await deps.holds.takeStock(redemption, now);
    } catch (error) {
      if (!isFinalRefusal(error)) throw error;
      return refuse(redemption, 'reserving', error, now);
    }
    const current = await moveFrom(redemption, ['reserving', 'charging'], { status: 'charging' });
    if (current?.status === 'charging') return null;
    if (stock === 'taken') await deps.holds.releaseStock(redemption);
    if (quota === 'taken') await deps.holds.releaseQuota(redemption);
    if (!current) throw new DomainError('NOT_FOUND', 'no such redemption');
    return outcome(current, now);
  }

  async function charge(redemption: RedemptionRecord, now: Date): Promise<MpRedeemReply> {
    try {
      await deps.loyalty.postEntry({
        customerId: redemption.customerId,
        amount: -redemption.pointsCost,
        kind: 'spend',
        reason: `兑换 ${redemption.rewardName}`,
        idempotencyKey: spendKey(redemption._id),
        meta: { redemptionId: String(redemption._id), rewardId: String(redemption.rewardId) },
      });
    } catch (error) {
      if (!isFinalRefusal(error)) throw error;
      return refuse(redemption, 'charging', error, now);
    }
    const coupon = await deps.coupons.issue(redemption, now);
    await Redemption.updateOne({ _id: redemption._id, status: 'charging' }, { $set: { status: 'issued', couponId: coupon._id } });
    await deps.holds.settleAll(redemption);
    return reply(redemption, coupon, now);
  }

  /** Runs whatever steps remain; safe to run again, concurrently too. */
  async function drive(redemption: RedemptionRecord, now: Date): Promise<MpRedeemReply> {
    if (redemption.status === 'reserving') {
      const ended = await reserve(redemption, now);
      if (ended) return ended;
    }
    return charge(redemption, now);
  }

  /** What an existing redemption answers: its coupon, its refusal, or (unfinished) the rest of its steps. */
  async function outcome(redemption: RedemptionRecord, now: Date): Promise<MpRedeemReply> {
    if (redemption.status === 'failed') throw new DomainError((redemption.failureCode ?? 'CONFLICT') as ErrorCode);
    if (redemption.status !== 'issued') return drive(redemption, now);
    // The coupon is written before the status, so it exists; issuing would repair its absence all the same.
    const coupon = (await deps.coupons.findByRedemptions([redemption._id])).get(String(redemption._id));
    return reply(redemption, coupon ?? (await deps.coupons.issue(redemption, now)), now);
  }

  return { drive, outcome };
}

export type RedemptionDriver = ReturnType<typeof createRedemptionDriver>;
