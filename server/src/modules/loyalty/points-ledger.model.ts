import { Schema, type Connection, type InferSchemaType } from 'mongoose';

/** Kinds callers post; 'release' is internal: it moves points from frozen to spendable without changing the balance. */
export const ENTRY_KINDS = ['earn', 'spend', 'expire', 'adjust', 'purchase', 'refund', 'checkin', 'referral'] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];
export const LEDGER_KINDS = [...ENTRY_KINDS, 'release'] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];

export const ENTRY_STATUSES = ['pending', 'applied', 'rejected'] as const;
export type EntryStatus = (typeof ENTRY_STATUSES)[number];

/** Frozen points move frozen → releasing → released, or (a refund) frozen|released → voiding → voided. */
export const FROZEN_STATES = ['frozen', 'releasing', 'released', 'voiding', 'voided'] as const;
export type FrozenState = (typeof FROZEN_STATES)[number];

export const REJECTION_REASONS = ['INSUFFICIENT_POINTS', 'NOT_A_MEMBER', 'STALE'] as const;

export const pointsEntrySchema = new Schema(
  {
    customerId: { type: Schema.Types.ObjectId, required: true },
    kind: { type: String, enum: LEDGER_KINDS, required: true },
    /** Change to the balance: + earn, − spend. */
    amount: { type: Number, required: true },
    /** Change to the frozen points. */
    frozenDelta: { type: Number, required: true, default: 0 },
    /** Change to lifetime points (earns; a refund takes its purchase's back). */
    lifetimeDelta: { type: Number, required: true, default: 0 },
    reason: { type: String, required: true },
    idempotencyKey: { type: String, required: true },
    status: { type: String, enum: ENTRY_STATUSES, required: true, default: 'pending' },
    rejectedReason: { type: String, enum: REJECTION_REASONS },
    balanceAfter: { type: Number },
    /** When it happened in business terms (expiry counts from here); callers may pass their own `now`. */
    at: { type: Date, required: true },
    appliedAt: { type: Date },
    meta: { type: Schema.Types.Mixed },
    frozenUntil: { type: Date },
    frozenState: { type: String, enum: FROZEN_STATES },
    /** The state a refund found the purchase in: a frozen purchase is voided whole, a released one from what is left. */
    voidedFrom: { type: String, enum: FROZEN_STATES },
    /** For a release or a refund: the entry whose points it releases or voids. */
    relatedEntryId: { type: Schema.Types.ObjectId },
  },
  { timestamps: true, collection: 'points_ledger', minimize: false },
);
pointsEntrySchema.index({ idempotencyKey: 1 }, { unique: true });
pointsEntrySchema.index({ customerId: 1, status: 1, _id: -1 });
pointsEntrySchema.index({ status: 1, _id: 1 });
pointsEntrySchema.index({ frozenState: 1, frozenUntil: 1 }, { sparse: true });
pointsEntrySchema.index({ relatedEntryId: 1 }, { sparse: true });

export type PointsEntry = InferSchemaType<typeof pointsEntrySchema>;
export const createPointsEntryModel = (db: Connection) => db.model('PointsEntry', pointsEntrySchema);
export type PointsEntryModel = ReturnType<typeof createPointsEntryModel>;
