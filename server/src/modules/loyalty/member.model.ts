import { Schema, Types, type Connection, type InferSchemaType } from 'mongoose';

/** Lower than every ObjectId: a new member has compacted no ledger entries yet. */
export const NO_ENTRY_ID = new Types.ObjectId('000000000000000000000000');

export const memberSchema = new Schema(
  {
    customerId: { type: Schema.Types.ObjectId, required: true },
    /** 8 digits and a Luhn check digit, unique. */
    cardNumber: { type: String, required: true },
    joinedAt: { type: Date, required: true },
    /** Every point the member holds, frozen included: always the sum of the applied ledger entries' amounts. */
    balance: { type: Number, required: true, default: 0 },
    /** Points not yet spendable (purchases inside the return window); spendable = balance − frozen. */
    frozen: { type: Number, required: true, default: 0 },
    /** Earned points ever (refunded purchases taken back): tiers are thresholds on this. */
    lifetimePoints: { type: Number, required: true, default: 0 },
    /** The tier last recorded, so a change is recorded once as an interaction; the card computes it afresh. */
    tierCode: { type: String, required: true },
    /**
     * Ids of the ledger entries applied to this document, pushed in the same atomic update as the `$inc`: an entry
     * can never be applied twice, and reconcile can tell whether a crash came before or after the balance update.
     */
    appliedEntryIds: { type: [Schema.Types.ObjectId], default: [] },
    /**
     * Entries with ids up to here are settled and their ids compacted out of `appliedEntryIds`; an entry at or
     * below it can no longer be applied, so removing its id never reopens it.
     */
    appliedThrough: { type: Schema.Types.ObjectId, required: true, default: () => NO_ENTRY_ID },
    /**
     * The latest check-in's day and the exact streak ending there, so a check-in needs no walk through past days:
     * null = never checked in; absent = unknown (a make-up, a recovery or a merge may have changed the history
     * since), and the next check-in walks the check-in documents instead.
     */
    lastCheckin: { type: new Schema({ day: { type: String, required: true }, streak: { type: Number, required: true } }, { _id: false }), default: null },
    /** Counts those history changes: a check-in stores `lastCheckin` only while the count is as it read it. */
    checkinHistoryChanges: { type: Number },
  },
  { timestamps: true, collection: 'members' },
);
memberSchema.index({ customerId: 1 }, { unique: true });
memberSchema.index({ cardNumber: 1 }, { unique: true });

export type Member = InferSchemaType<typeof memberSchema>;
export const createMemberModel = (db: Connection) => db.model('LoyaltyMember', memberSchema);
export type MemberModel = ReturnType<typeof createMemberModel>;
