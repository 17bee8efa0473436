import { Types } from 'mongoose';
import { decodeCursor, encodeCursor } from '../../lib/cursor.util.ts';
import { couponStatusAt, type CouponRecord, type CouponService } from './coupon.service.ts';
import type { RewardsModels } from './models.ts';
import type { RedemptionRecord } from './redemption.types.ts';
import type { RedemptionDto, RedemptionsPageDto, RedemptionsQuery } from './rewards.schemas.ts';

const maskCode = (code: string) => `${'*'.repeat(code.length - 4)}${code.slice(-4)}`;

function toRedemptionDto(redemption: RedemptionRecord, coupon: CouponRecord | undefined, now: Date): RedemptionDto {
  return {
    id: String(redemption._id),
    customerId: String(redemption.customerId),
    rewardId: String(redemption.rewardId),
    rewardName: redemption.rewardName,
    pointsCost: redemption.pointsCost,
    status: redemption.status,
    failureCode: redemption.failureCode ?? null,
    coupon: coupon
      ? { id: String(coupon._id), codeHint: maskCode(coupon.code), status: couponStatusAt(coupon, now), expiresAt: coupon.expiresAt.toISOString(), usedAt: coupon.usedAt?.toISOString() ?? null }
      : null,
    at: redemption.at.toISOString(),
  };
}

/** The staff list of redemptions, newest first, with each one's coupon. */
export function createRedemptionList({ Redemption }: RewardsModels, deps: { coupons: CouponService }) {
  return async function listRedemptions(query: RedemptionsQuery, now = new Date()): Promise<RedemptionsPageDto> {
    const filter: Record<string, unknown> = {};
    if (query.status) filter.status = query.status;
    if (query.rewardId) filter.rewardId = new Types.ObjectId(query.rewardId);
    if (query.customerId) filter.customerId = new Types.ObjectId(query.customerId);
    if (query.cursor) filter._id = { $lt: new Types.ObjectId(decodeCursor(query.cursor).id) };
    const rows = await Redemption.find(filter).sort({ _id: -1 }).limit(query.limit + 1).lean<RedemptionRecord[]>();
    const items = rows.slice(0, query.limit);
    const coupons = await deps.coupons.findByRedemptions(items.map((row) => row._id));
    const last = items.at(-1);
    return {
      items: items.map((row) => toRedemptionDto(row, coupons.get(String(row._id)), now)),
      nextCursor: rows.length > query.limit && last ? encodeCursor({ id: String(last._id) }) : null,
    };
  };
}
