import { Schema, type Connection, type InferSchemaType } from 'mongoose';

/** A member's invite code: created on first request, never changed. */
export const referralCodeSchema = new Schema(
  {
    customerId: { type: Schema.Types.ObjectId, required: true },
    code: { type: String, required: true },
  },
  { timestamps: true, collection: 'referral_codes' },
);
referralCodeSchema.index({ customerId: 1 }, { unique: true });
referralCodeSchema.index({ code: 1 }, { unique: true });

export const REFERRAL_STATUSES = ['pending', 'completed'] as const;

/** One per invitee (unique): a second invitation of the same person is refused by the index. */
export const referralSchema = new Schema(
  {
    inviteeId: { type: Schema.Types.ObjectId, required: true },
    inviterId: { type: Schema.Types.ObjectId, required: true },
    code: { type: String, required: true },
    status: { type: String, enum: REFERRAL_STATUSES, required: true, default: 'pending' },
    inviterPoints: { type: Number, required: true },
    inviteePoints: { type: Number, required: true },
    completedAt: { type: Date },
  },
  { timestamps: true, collection: 'referrals' },
);
referralSchema.index({ inviteeId: 1 }, { unique: true });
referralSchema.index({ inviterId: 1, status: 1 });
referralSchema.index({ status: 1, createdAt: 1 });

export type Referral = InferSchemaType<typeof referralSchema>;
export const createReferralCodeModel = (db: Connection) => db.model('ReferralCode', referralCodeSchema);
export const createReferralModel = (db: Connection) => db.model('Referral', referralSchema);
