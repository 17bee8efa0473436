import { Schema, type Connection, type InferSchemaType } from 'mongoose';
import { BOT_STATUSES } from '../../../../shared/src/bot-protocol.ts';

/** A WeChat account run by a bot process. The token is never stored, only its SHA-256. */
export const botSchema = new Schema(
  {
    name: { type: String, required: true, trim: true },
    tokenHash: { type: String, required: true },
    revokedAt: { type: Date },
    ownerStaffId: { type: Schema.Types.ObjectId, required: true },
    status: { type: String, enum: BOT_STATUSES, default: 'starting' },
    statusSince: { type: Date, default: () => new Date() },
    qrcode: { type: String },
    error: { type: String },
    account: { id: { type: String }, name: { type: String } },
    /** The live socket's id; cleared when that socket closes. */
    connectionId: { type: String },
    lastSeenAt: { type: Date },
  },
  { timestamps: true, collection: 'bots' },
);
botSchema.index({ tokenHash: 1 }, { unique: true });
botSchema.index({ createdAt: 1 });

export type Bot = InferSchemaType<typeof botSchema>;
export const createBotModel = (db: Connection) => db.model('Bot', botSchema);
