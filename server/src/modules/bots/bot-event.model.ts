import { Schema, type Connection } from 'mongoose';

/**
 * Every event a bot delivered, unique per bot and event id: a replay finds the record and is acknowledged
 * without being applied again. `appliedAt` is set last, so an event recorded before a crash is applied again,
 * idempotently, when the bot replays it.
 */
export const botEventSchema = new Schema(
  {
    botId: { type: Schema.Types.ObjectId, required: true },
    eventId: { type: String, required: true },
    type: { type: String, required: true },
    at: { type: Date, required: true },
    receivedAt: { type: Date, required: true },
    appliedAt: { type: Date },
    /** Side effects that must not repeat (alerts), recorded as they complete. */
    done: { type: [String], default: undefined },
  },
  { collection: 'bot_events', versionKey: false },
);
botEventSchema.index({ botId: 1, eventId: 1 }, { unique: true });
// Real MongoDB trims old records; the stand-in keeps them (a cleanup job can follow).
botEventSchema.index({ receivedAt: 1 }, { expireAfterSeconds: 90 * 86_400 });

export const createBotEventModel = (db: Connection) => db.model('BotEvent', botEventSchema);
