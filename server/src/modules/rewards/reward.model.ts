import { Schema, type Connection, type InferSchemaType } from 'mongoose';

/** The catalog: what members can spend points on. */
export const rewardSchema = new Schema(
  {
    name: { type: String, required: true, trim: true },
    description: { type: String, default: '' },
    imageUrl: { type: String },
    pointsCost: { type: Number, required: true },
    /** Units left to redeem; in-flight redemptions have taken theirs already. */
    stock: { type: Number, required: true },
    /** Redemptions one member may hold (issued or in flight); null for no limit. */
    perMemberLimit: { type: Number, default: null },
    validFrom: { type: Date, default: null },
    validTo: { type: Date, default: null },
    minTierCode: { type: String, default: null },
    couponValidDays: { type: Number, required: true },
    active: { type: Boolean, required: true, default: true },
    /** Redemptions issued. */
    redeemedCount: { type: Number, required: true, default: 0 },
    /**
     * Redemptions holding one unit of stock, pushed in the same atomic update as the decrement: a retry never takes
     * a second unit, and reconcile can tell whether a crash came before or after the decrement.
     */
    holds: { type: [Schema.Types.ObjectId], default: [] },
  },
  { timestamps: true, collection: 'rewards' },
);
rewardSchema.index({ active: 1, pointsCost: 1, _id: 1 });
rewardSchema.index({ holds: 1 });

export type Reward = InferSchemaType<typeof rewardSchema>;
export const createRewardModel = (db: Connection) => db.model('Reward', rewardSchema);
