import { Schema, type Connection, type InferSchemaType } from 'mongoose';

/** 'expired' is not stored: an issued coupon past `expiresAt` reads as expired. */
export const COUPON_STATUSES = ['issued', 'used'] as const;

/** What a redemption yields: a code the store verifies once. One per redemption. */
export const couponSchema = new Schema(
  {
    redemptionId: { type: Schema.Types.ObjectId, required: true },
    customerId: { type: Schema.Types.ObjectId, required: true },
    rewardId: { type: Schema.Types.ObjectId, required: true },
    rewardName: { type: String, required: true },
    pointsCost: { type: Number, required: true },
    code: { type: String, required: true },
    status: { type: String, enum: COUPON_STATUSES, required: true, default: 'issued' },
    issuedAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
    usedAt: { type: Date },
    usedByStaffId: { type: Schema.Types.ObjectId },
  },
  { timestamps: true, collection: 'coupons' },
);
couponSchema.index({ code: 1 }, { unique: true });
couponSchema.index({ redemptionId: 1 }, { unique: true });
couponSchema.index({ customerId: 1, status: 1, _id: -1 });

export type Coupon = InferSchemaType<typeof couponSchema>;
export const createCouponModel = (db: Connection) => db.model('Coupon', couponSchema);
