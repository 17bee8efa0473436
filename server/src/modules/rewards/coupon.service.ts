import { Types } from 'mongoose';
import type { MpCoupon, MpCouponStatus, MpCouponsPage } from '../../../../shared/src/rewards-api.ts';
import { decodeCursor, encodeCursor } from '../../lib/cursor.util.ts';
import { DomainError } from '../../lib/errors.ts';
import { isDuplicateKey } from '../loyalty/is-duplicate-key.util.ts';
import type { RewardsModels } from './models.ts';
import { randomCode } from './random-code.util.ts';

export interface CouponRecord {
  _id: Types.ObjectId;
  redemptionId: Types.ObjectId;
  customerId: Types.ObjectId;
  rewardId: Types.ObjectId;
  rewardName: string;
  pointsCost: number;
  code: string;
  status: 'issued' | 'used';
  issuedAt: Date;
  expiresAt: Date;
  usedAt?: Date | null;
  usedByStaffId?: Types.ObjectId | null;
}

export interface CouponSource {
  _id: Types.ObjectId;
  customerId: Types.ObjectId;
  rewardId: Types.ObjectId;
  rewardName: string;
  pointsCost: number;
  couponValidDays: number;
}

const DAY_MS = 86_400_000;
/** 12 characters of a 31-letter alphabet: about 2^59 codes, so guessing one at a till is hopeless. */
const CODE_LENGTH = 12;
const CODE_ATTEMPTS = 5;

export const normalizeCouponCode = (raw: string) => raw.replace(/[^0-9a-z]/gi, '').toUpperCase();

export function couponStatusAt(coupon: Pick<CouponRecord, 'status' | 'expiresAt'>, now: Date): MpCouponStatus {
  if (coupon.status === 'used') return 'used';
  return coupon.expiresAt.getTime() <= now.getTime() ? 'expired' : 'issued';
}

export function toCouponDto(coupon: CouponRecord, now: Date): MpCoupon {
  return {
    id: String(coupon._id),
    rewardId: String(coupon.rewardId),
    rewardName: coupon.rewardName,
    pointsCost: coupon.pointsCost,
    code: coupon.code,
    codeDisplay: coupon.code.replace(/(.{4})(?=.)/g, '$1 '),
    status: couponStatusAt(coupon, now),
    issuedAt: coupon.issuedAt.toISOString(),
    expiresAt: coupon.expiresAt.toISOString(),
    usedAt: coupon.usedAt?.toISOString() ?? null,
  };
}

/** 'expired' is derived from the clock, so each status is a condition on the stored fields. */
function statusFilter(status: MpCouponStatus | undefined, now: Date): Record<string, unknown> {
  if (status === 'used') return { status: 'used' };
  if (status === 'issued') return { status: 'issued', expiresAt: { $gt: now } };
  if (status === 'expired') return { status: 'issued', expiresAt: { $lte: now } };
  return {};
}

export function createCouponService({ Coupon }: RewardsModels) {
  /** One coupon per redemption (unique index): issuing again returns the first. */
  async function issue(source: CouponSource, now: Date): Promise<CouponRecord> {
    for (let attempt = 0; attempt < CODE_ATTEMPTS; attempt++) {
      try {
        const created = await Coupon.create({
          redemptionId: source._id,
          customerId: source.customerId,
          rewardId: source.rewardId,
          rewardName: source.rewardName,
          pointsCost: source.pointsCost,
          code: randomCode(CODE_LENGTH),
          issuedAt: now,
          expiresAt: new Date(now.getTime() + source.couponValidDays * DAY_MS),
        });
        return created.toObject<CouponRecord>();
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        const existing = await Coupon.findOne({ redemptionId: source._id }).lean<CouponRecord>();
        if (existing) return existing;
        // Otherwise the random code was taken: draw another.
      }
    }
    throw new DomainError('CONFLICT', 'no free coupon code found; try again');
  }

  async function listForCustomer(customerId: string, query: { status?: MpCouponStatus; cursor?: string; limit: number }, now: Date): Promise<MpCouponsPage> {
    const filter: Record<string, unknown> = { customerId: new Types.ObjectId(customerId), ...statusFilter(query.status, now) };
    if (query.cursor) filter._id = { $lt: new Types.ObjectId(decodeCursor(query.cursor).id) };
    const rows = await Coupon.find(filter).sort({ _id: -1 }).limit(query.limit + 1).lean<CouponRecord[]>();
    const items = rows.slice(0, query.limit);
    const last = items.at(-1);
    return { items: items.map((row) => toCouponDto(row, now)), nextCursor: rows.length > query.limit && last ? encodeCursor({ id: String(last._id) }) : null };
  }

  /** Filtered by the owner: someone else's coupon reads as not found. */
  async function getForCustomer(customerId: string, couponId: string): Promise<CouponRecord | null> {
    return Coupon.findOne({ _id: new Types.ObjectId(couponId), customerId: new Types.ObjectId(customerId) }).lean<CouponRecord>();
  }

  async function findByRedemptions(redemptionIds: Types.ObjectId[]): Promise<Map<string, CouponRecord>> {
    const rows = await Coupon.find({ redemptionId: { $in: redemptionIds } }).lean<CouponRecord[]>();
    return new Map(rows.map((row) => [String(row.redemptionId), row]));
  }

  /** Marks a coupon used: one conditional update, so of two tills scanning the same code only one succeeds. */
  async function verify(input: { code: string; staffId: string; now: Date }): Promise<CouponRecord> {
    const code = normalizeCouponCode(input.code);
    const used = await Coupon.findOneAndUpdate(
      { code, status: 'issued', expiresAt: { $gt: input.now } },
      { $set: { status: 'used', usedAt: input.now, usedByStaffId: new Types.ObjectId(input.staffId) } },
      { returnDocument: 'after' },
    ).lean<CouponRecord>();
    if (used) return used;
    const coupon = await Coupon.findOne({ code }).lean<CouponRecord>();
    if (!coupon) throw new DomainError('NOT_FOUND', 'no coupon has this code');
    throw new DomainError(coupon.status === 'used' ? 'COUPON_ALREADY_USED' : 'COUPON_EXPIRED');
  }

  return { issue, listForCustomer, getForCustomer, findByRedemptions, verify };
}

export type CouponService = ReturnType<typeof createCouponService>;
