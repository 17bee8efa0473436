import { Schema, type Connection, type InferSchemaType } from 'mongoose';

/**
 * How many of one reward one member holds, for the per-member limit. `count` rises only through a conditional
 * `$inc` that pushes the redemption's id into `holds` in the same write, so concurrent redemptions never pass
 * the limit and a retry never counts twice.
 */
export const memberQuotaSchema = new Schema(
  {
    rewardId: { type: Schema.Types.ObjectId, required: true },
    customerId: { type: Schema.Types.ObjectId, required: true },
    count: { type: Number, required: true, default: 0 },
    holds: { type: [Schema.Types.ObjectId], default: [] },
  },
  { timestamps: true, collection: 'reward_member_quotas' },
);
memberQuotaSchema.index({ rewardId: 1, customerId: 1 }, { unique: true });
memberQuotaSchema.index({ customerId: 1 });
memberQuotaSchema.index({ holds: 1 });

export type MemberQuota = InferSchemaType<typeof memberQuotaSchema>;
export const createMemberQuotaModel = (db: Connection) => db.model('RewardMemberQuota', memberQuotaSchema);
