import { Schema, type Connection, type InferSchemaType } from 'mongoose';
import { MESSAGE_TYPES, SEND_PURPOSES } from '../../../../shared/src/bot-protocol.ts';

export const MESSAGE_STATUSES = ['queued', 'sent', 'failed'] as const;

/** A chat message, numbered within its conversation. Inbound text is kept whole; `searchText` is a bounded copy. */
export const messageSchema = new Schema(
  {
    conversationId: { type: Schema.Types.ObjectId, required: true },
    seq: { type: Number, required: true },
    botId: { type: Schema.Types.ObjectId, required: true },
    /** The sender of an inbound message; the recipient of an outbound one in a direct chat. */
    customerId: { type: Schema.Types.ObjectId },
    direction: { type: String, enum: ['in', 'out'], required: true },
    type: { type: String, enum: MESSAGE_TYPES, required: true },
    text: { type: String },
    searchText: { type: String },
    summary: { type: String },
    mediaRef: { type: String },
    at: { type: Date, required: true },
    /** Outbound only. */
    status: { type: String, enum: MESSAGE_STATUSES },
    reason: { type: String },
    eventId: { type: String },
    commandId: { type: String },
    /** `event:<botId>:<eventId>` or `command:<commandId>`: a replay appends nothing. */
    sourceKey: { type: String },
    autoReply: { type: Boolean },
    ruleId: { type: Schema.Types.ObjectId },
    staffId: { type: Schema.Types.ObjectId },
    /** Outbound only: what the command sends, so a send a crash interrupted can be queued again. */
    content: { type: Schema.Types.Mixed },
    purpose: { type: String, enum: SEND_PURPOSES },
  },
  { timestamps: true, collection: 'messages' },
);
messageSchema.index({ conversationId: 1, seq: 1 }, { unique: true });
messageSchema.index({ sourceKey: 1 }, { unique: true, sparse: true });
messageSchema.index({ conversationId: 1, direction: 1, createdAt: -1 });
messageSchema.index({ status: 1, createdAt: 1 }, { sparse: true });

export type Message = InferSchemaType<typeof messageSchema>;
export const createMessageModel = (db: Connection) => db.model('Message', messageSchema);
