import { Schema, type Connection, type InferSchemaType } from 'mongoose';

export const COMMAND_STATUSES = ['queued', 'sent', 'acked', 'failed'] as const;
export type CommandStatus = (typeof COMMAND_STATUSES)[number];

/** The outbox: every command for a bot, kept until acknowledged; `sent` ones are sent again after a reconnect. */
export const botCommandSchema = new Schema(
  {
    commandId: { type: String, required: true },
    botId: { type: Schema.Types.ObjectId, required: true },
    type: { type: String, required: true },
    frame: { type: Schema.Types.Mixed, required: true },
    /** 0 for replies and friendship accepts, 1 for proactive sends: a reply never waits behind a broadcast. */
    priority: { type: Number, required: true },
    status: { type: String, enum: COMMAND_STATUSES, default: 'queued' },
    attempts: { type: Number, default: 0 },
    reason: { type: String },
    detail: { type: String },
    messageId: { type: Schema.Types.ObjectId },
    sentAt: { type: Date },
    settledAt: { type: Date },
  },
  { timestamps: true, collection: 'bot_commands', minimize: false },
);
botCommandSchema.index({ commandId: 1 }, { unique: true });
botCommandSchema.index({ botId: 1, status: 1, priority: 1, _id: 1 });

export type BotCommandRecord = InferSchemaType<typeof botCommandSchema>;
export const createBotCommandModel = (db: Connection) => db.model('BotCommand', botCommandSchema);
