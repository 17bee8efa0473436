import { Schema, type Connection, type InferSchemaType } from 'mongoose';

/** reserving: taking stock and quota; charging: past the point of no return, spending; then issued or failed. */
export const REDEMPTION_STATUSES = ['reserving', 'charging', 'issued', 'failed'] as const;
export type RedemptionStatus = (typeof REDEMPTION_STATUSES)[number];

/** One attempt to redeem, unique on the member's idempotency key: a retry finds it instead of starting again. */
export const redemptionSchema = new Schema(
  {
    customerId: { type: Schema.Types.ObjectId, required: true },
    rewardId: { type: Schema.Types.ObjectId, required: true },
    idempotencyKey: { type: String, required: true },
    status: { type: String, enum: REDEMPTION_STATUSES, required: true, default: 'reserving' },
    /** Why it failed: a stable error code, so a retry answers exactly what the first attempt did. */
    failureCode: { type: String },
    /** Snapshots at the time of redeeming: later catalog edits do not change what was bought. */
    rewardName: { type: String, required: true },
    pointsCost: { type: Number, required: true },
    couponValidDays: { type: Number, required: true },
    perMemberLimit: { type: Number, default: null },
    couponId: { type: Schema.Types.ObjectId },
    at: { type: Date, required: true },
  },
  { timestamps: true, collection: 'redemptions' },
);
redemptionSchema.index({ customerId: 1, idempotencyKey: 1 }, { unique: true });
redemptionSchema.index({ status: 1, createdAt: 1 });
redemptionSchema.index({ rewardId: 1, _id: -1 });
redemptionSchema.index({ customerId: 1, _id: -1 });

export type Redemption = InferSchemaType<typeof redemptionSchema>;
export const createRedemptionModel = (db: Connection) => db.model('Redemption', redemptionSchema);
