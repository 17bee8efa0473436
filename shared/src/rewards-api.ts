/**
 * Rewards, coupons (我的券) and referrals (裂变) in the mini-program API (`/api/mp/*`): request and reply schemas
 * shared by the server's routes, the mini-program's API client and the tests. Every route needs
 * `Authorization: Bearer <token>` with the consumer token from login. Dates are ISO 8601 strings.
 */
import { Type, type Static, type TSchema } from 'typebox';
import { IsoDateTime, ObjectIdString, StrictObject } from './schema.ts';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Points = Type.Integer({ minimum: 0 });

// ── catalog ──────────────────────────────────────────────────────────────────────────────────────────────
export const MpRewardParams = StrictObject({ id: ObjectIdString });
export type MpRewardParams = Static<typeof MpRewardParams>;

export const MpReward = StrictObject({
  id: ObjectIdString,
  name: Type.String(),
  description: Type.String(),
  imageUrl: Nullable(Type.String()),
  pointsCost: Type.Integer({ minimum: 1 }),
  /** Units left; 0 means sold out. */
  stock: Points,
  /** How many one member may hold; null for no limit. */
  perMemberLimit: Nullable(Type.Integer({ minimum: 1 })),
  /** Coupons I hold for it. */
  redeemedByMe: Points,
  validFrom: Nullable(IsoDateTime),
  validTo: Nullable(IsoDateTime),
  minTier: Nullable(StrictObject({ code: Type.String(), name: Type.String() })),
  couponValidDays: Type.Integer({ minimum: 1 }),
  /** I have enough spendable points. */
  affordable: Type.Boolean(),
  /** I am a member of the required tier and under the per-member limit. */
  eligible: Type.Boolean(),
});
export type MpReward = Static<typeof MpReward>;

/** GET /api/mp/rewards: active rewards inside their validity window, cheapest first. */
export const MpRewardList = StrictObject({
  items: Type.Array(MpReward),
  /** My spendable points; null before joining. */
  available: Nullable(Points),
});
export type MpRewardList = Static<typeof MpRewardList>;

// ── redeeming ────────────────────────────────────────────────────────────────────────────────────────────
/**
 * POST /api/mp/rewards/:id/redeem. Generate `idempotencyKey` once per tap of 确认兑换 (e.g. a UUID) and send the
 * same key on every retry: the points are charged once and the same coupon comes back.
 * 409 OUT_OF_STOCK, REDEEM_LIMIT, REWARD_UNAVAILABLE, INSUFFICIENT_POINTS, IDEMPOTENCY_KEY_REUSED;
 * 403 TIER_TOO_LOW; 404 NOT_A_MEMBER or NOT_FOUND.
 */
export const MpRedeemBody = StrictObject({ idempotencyKey: Type.String({ pattern: '^[A-Za-z0-9_-]{8,64}$' }) });
export type MpRedeemBody = Static<typeof MpRedeemBody>;

export const MP_COUPON_STATUSES = ['issued', 'used', 'expired'] as const;
export type MpCouponStatus = (typeof MP_COUPON_STATUSES)[number];

export const MpCoupon = StrictObject({
  id: ObjectIdString,
  rewardId: ObjectIdString,
  rewardName: Type.String(),
  pointsCost: Type.Integer(),
  /** Shown to the store, which verifies it once. */
  code: Type.String(),
  /** Grouped for reading aloud: "ABCD EFGH JKMN". */
  codeDisplay: Type.String(),
  status: Type.Enum(MP_COUPON_STATUSES),
  issuedAt: IsoDateTime,
  expiresAt: IsoDateTime,
  usedAt: Nullable(IsoDateTime),
});
export type MpCoupon = Static<typeof MpCoupon>;

export const MpRedemption = StrictObject({
  id: ObjectIdString,
  rewardId: ObjectIdString,
  rewardName: Type.String(),
  pointsCost: Type.Integer(),
  status: Type.Literal('issued'),
  at: IsoDateTime,
});
export type MpRedemption = Static<typeof MpRedemption>;

export const MpRedeemReply = StrictObject({ redemption: MpRedemption, coupon: MpCoupon });
export type MpRedeemReply = Static<typeof MpRedeemReply>;

// ── my coupons (我的券) ───────────────────────────────────────────────────────────────────────────────────
/** GET /api/mp/coupons?status&cursor&limit: newest first; pass nextCursor back for the next page. */
export const MpCouponsQuery = StrictObject({
  status: Type.Optional(Type.Enum(MP_COUPON_STATUSES)),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Integer({ minimum: 1, maximum: 50, default: 20 }),
});
export type MpCouponsQuery = Static<typeof MpCouponsQuery>;

export const MpCouponsPage = StrictObject({ items: Type.Array(MpCoupon), nextCursor: Nullable(Type.String()) });
export type MpCouponsPage = Static<typeof MpCouponsPage>;

/** GET /api/mp/coupons/:id (404 for a coupon that is not mine). */
export const MpCouponParams = StrictObject({ id: ObjectIdString });
export type MpCouponParams = Static<typeof MpCouponParams>;

// ── referral (裂变) ──────────────────────────────────────────────────────────────────────────────────────
/** GET /api/mp/referral (404 NOT_A_MEMBER before joining). Share `path` with wx.shareAppMessage. */
export const MpReferralReply = StrictObject({
  code: Type.String({ pattern: '^[A-Z0-9]{4,32}$' }),
  /** The join page with the code, e.g. `pages/join/index?ref=K7QM2P`. */
  path: Type.String(),
  /** Friends who joined with my code. */
  invited: Points,
  /** What an invitation pays: me, and the friend who joins. */
  inviterPoints: Points,
  inviteePoints: Points,
});
export type MpReferralReply = Static<typeof MpReferralReply>;
