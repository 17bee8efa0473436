import { Schema, type Connection } from 'mongoose';

/** One document, `_id: 'loyalty'`: the program's rules. Missing fields fall back to the defaults. */
export const loyaltySettingsSchema = new Schema(
  {
    _id: { type: String, required: true },
    value: { type: Schema.Types.Mixed, required: true },
  },
  { timestamps: true, collection: 'loyalty_settings', minimize: false },
);

export const createLoyaltySettingsModel = (db: Connection) => db.model('LoyaltySettings', loyaltySettingsSchema);
