import { Schema, type Connection, type InferSchemaType } from 'mongoose';

/** One chat per contact (or room) per bot; `lastSeq` numbers its messages, taken atomically with $inc. */
export const conversationSchema = new Schema(
  {
    /** `direct:<botId>:<contactId>` or `room:<botId>:<roomId>`. */
    key: { type: String, required: true },
    botId: { type: Schema.Types.ObjectId, required: true },
    kind: { type: String, enum: ['direct', 'room'], required: true },
    customerId: { type: Schema.Types.ObjectId },
    contactId: { type: String },
    roomId: { type: String },
    title: { type: String },
    lastSeq: { type: Number, default: 0 },
    lastMessageAt: { type: Date },
    lastMessagePreview: { type: String },
    unread: { type: Number, default: 0 },
  },
  { timestamps: true, collection: 'conversations' },
);
conversationSchema.index({ key: 1 }, { unique: true });
conversationSchema.index({ customerId: 1, lastMessageAt: -1, _id: -1 });
conversationSchema.index({ lastMessageAt: -1, _id: -1 });
conversationSchema.index({ botId: 1, lastMessageAt: -1, _id: -1 });

export type Conversation = InferSchemaType<typeof conversationSchema>;
export const createConversationModel = (db: Connection) => db.model('Conversation', conversationSchema);
