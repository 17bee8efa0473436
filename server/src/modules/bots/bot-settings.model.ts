import { Schema, type Connection } from 'mongoose';

/** One document, `_id: 'bots'`: throttle, friendship and auto-reply settings shared by every bot. */
export const botSettingsSchema = new Schema(
  {
    _id: { type: String, required: true },
    value: { type: Schema.Types.Mixed, required: true },
  },
  { timestamps: true, collection: 'bot_settings', minimize: false },
);

export const createBotSettingsModel = (db: Connection) => db.model('BotSettings', botSettingsSchema);
