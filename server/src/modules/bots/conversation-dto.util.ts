import type { Types } from 'mongoose';
import type { Conversation } from './conversation.model.ts';
import type { Message } from './message.model.ts';

export type ConversationRecord = Conversation & { _id: Types.ObjectId };
export type MessageRecord = Message & { _id: Types.ObjectId; createdAt: Date };

const idOrNull = (id?: Types.ObjectId | null) => (id ? String(id) : null);

export function toConversationDto(doc: ConversationRecord) {
  return {
    id: String(doc._id),
    botId: String(doc.botId),
    kind: doc.kind,
    customerId: idOrNull(doc.customerId),
    contactId: doc.contactId ?? null,
    roomId: doc.roomId ?? null,
    title: doc.title ?? null,
    lastSeq: doc.lastSeq ?? 0,
    lastMessageAt: doc.lastMessageAt?.toISOString() ?? null,
    lastMessagePreview: doc.lastMessagePreview ?? null,
    unread: doc.unread ?? 0,
  };
}

export function toMessageDto(doc: MessageRecord) {
  return {
    id: String(doc._id),
    conversationId: String(doc.conversationId),
    seq: doc.seq,
    direction: doc.direction,
    type: doc.type,
    text: doc.text ?? null,
    summary: doc.summary ?? null,
    mediaRef: doc.mediaRef ?? null,
    at: doc.at.toISOString(),
    status: doc.status ?? null,
    reason: doc.reason ?? null,
    autoReply: doc.autoReply ?? false,
    customerId: idOrNull(doc.customerId),
    staffId: idOrNull(doc.staffId),
  };
}

export type ConversationDto = ReturnType<typeof toConversationDto>;
export type MessageDto = ReturnType<typeof toMessageDto>;
