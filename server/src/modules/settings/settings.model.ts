import { Schema, type Connection } from 'mongoose';

/** One document per brand: `_id` is the settings section's name. */
export const settingsSchema = new Schema(
  {
    _id: { type: String, required: true },
    value: { type: Schema.Types.Mixed, required: true },
  },
  { timestamps: true, collection: 'settings', minimize: false },
);

export const createSettingsModel = (db: Connection) => db.model('Settings', settingsSchema);
