import { Type, type Static, type TSchema } from 'typebox';
import { IsoDateTime, ObjectIdString, StrictObject } from '../../../../shared/src/schema.ts';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const TierCode = Type.String({ pattern: '^[a-z][a-z0-9_-]{0,19}$' });

const fields = {
  name: Type.String({ minLength: 1, maxLength: 60 }),
  description: Type.String({ maxLength: 1000 }),
  imageUrl: Type.String({ pattern: '^https://[^\\s]+$', maxLength: 2048, description: 'https only' }),
  pointsCost: Type.Integer({ minimum: 1, maximum: 10_000_000 }),
  perMemberLimit: Type.Integer({ minimum: 1, maximum: 1000, description: 'redemptions one member may hold; omit or null for no limit' }),
  validFrom: IsoDateTime,
  validTo: IsoDateTime,
  minTierCode: TierCode,
  couponValidDays: Type.Integer({ minimum: 1, maximum: 3650 }),
  active: Type.Boolean(),
};

export const RewardParams = StrictObject({ id: ObjectIdString });

export const CreateRewardBody = StrictObject({
  name: fields.name,
  description: Type.Optional(fields.description),
  imageUrl: Type.Optional(fields.imageUrl),
  pointsCost: fields.pointsCost,
  stock: Type.Integer({ minimum: 0, maximum: 10_000_000 }),
  perMemberLimit: Type.Optional(Nullable(fields.perMemberLimit)),
  validFrom: Type.Optional(Nullable(fields.validFrom)),
  validTo: Type.Optional(Nullable(fields.validTo)),
  minTierCode: Type.Optional(Nullable(fields.minTierCode)),
  couponValidDays: Type.Optional(fields.couponValidDays),
  active: Type.Optional(fields.active),
});
export type CreateRewardBody = Static<typeof CreateRewardBody>;

/** Stock changes by a delta, applied atomically, so a restock never overwrites units taken meanwhile. */
export const UpdateRewardBody = StrictObject(
  {
    name: Type.Optional(fields.name),
    description: Type.Optional(fields.description),
    imageUrl: Type.Optional(Nullable(fields.imageUrl)),
    pointsCost: Type.Optional(fields.pointsCost),
    addStock: Type.Optional(Type.Integer({ minimum: -10_000_000, maximum: 10_000_000, not: { const: 0 }, description: 'units to add (+) or withdraw (−)' })),
    perMemberLimit: Type.Optional(Nullable(fields.perMemberLimit)),
    validFrom: Type.Optional(Nullable(fields.validFrom)),
    validTo: Type.Optional(Nullable(fields.validTo)),
    minTierCode: Type.Optional(Nullable(fields.minTierCode)),
    couponValidDays: Type.Optional(fields.couponValidDays),
    active: Type.Optional(fields.active),
  },
  { minProperties: 1 },
);
export type UpdateRewardBody = Static<typeof UpdateRewardBody>;

export const RewardSchema = StrictObject({
  id: ObjectIdString,
  name: Type.String(),
  description: Type.String(),
  imageUrl: Nullable(Type.String()),
  pointsCost: Type.Integer(),
  stock: Type.Integer(),
  perMemberLimit: Nullable(Type.Integer()),
  validFrom: Nullable(IsoDateTime),
  validTo: Nullable(IsoDateTime),
  minTierCode: Nullable(Type.String()),
  couponValidDays: Type.Integer(),
  active: Type.Boolean(),
  redeemedCount: Type.Integer(),
  /** Redemptions holding a unit right now. */
  inFlight: Type.Integer(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export type RewardDto = Static<typeof RewardSchema>;

const Page = { cursor: Type.Optional(Type.String({ maxLength: 200 })), limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }) };

export const RewardsQuery = StrictObject({ active: Type.Optional(Type.Boolean()), ...Page });
export const RewardsPage = StrictObject({ items: Type.Array(RewardSchema), nextCursor: Nullable(Type.String()) });

export const RedemptionsQuery = StrictObject({
  status: Type.Optional(Type.Enum(['reserving', 'charging', 'issued', 'failed'])),
  rewardId: Type.Optional(ObjectIdString),
  customerId: Type.Optional(ObjectIdString),
  ...Page,
});
export type RedemptionsQuery = Static<typeof RedemptionsQuery>;

export const StaffCoupon = StrictObject({
  id: ObjectIdString,
  /** Masked: staff verify the code the member shows, they never read it from the list. */
  codeHint: Type.String(),
  status: Type.Enum(['issued', 'used', 'expired']),
  expiresAt: IsoDateTime,
  usedAt: Nullable(IsoDateTime),
});

export const RedemptionSchema = StrictObject({
  id: ObjectIdString,
  customerId: ObjectIdString,
  rewardId: ObjectIdString,
  rewardName: Type.String(),
  pointsCost: Type.Integer(),
  status: Type.Enum(['reserving', 'charging', 'issued', 'failed']),
  failureCode: Nullable(Type.String()),
  coupon: Nullable(StaffCoupon),
  at: IsoDateTime,
});
export type RedemptionDto = Static<typeof RedemptionSchema>;
export const RedemptionsPage = StrictObject({ items: Type.Array(RedemptionSchema), nextCursor: Nullable(Type.String()) });
export type RedemptionsPageDto = Static<typeof RedemptionsPage>;

export const VerifyCouponBody = StrictObject({ code: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9 -]{3,39}$', description: 'as shown; spaces and dashes are ignored' }) });

export const VerifiedCoupon = StrictObject({
  id: ObjectIdString,
  customerId: ObjectIdString,
  rewardId: ObjectIdString,
  rewardName: Type.String(),
  pointsCost: Type.Integer(),
  status: Type.Literal('used'),
  usedAt: IsoDateTime,
});
export type VerifiedCouponDto = Static<typeof VerifiedCoupon>;
