import { Type } from 'typebox';
import { MESSAGE_TYPES } from '../../../../shared/src/bot-protocol.ts';
import { ObjectIdString, StrictObject } from '../../../../shared/src/schema.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

export const ConversationSchema = Type.Object({
  id: Type.String(),
  botId: Type.String(),
  kind: Type.Enum(['direct', 'room']),
  customerId: Nullable(Type.String()),
  contactId: Nullable(Type.String()),
  roomId: Nullable(Type.String()),
  title: Nullable(Type.String()),
  lastSeq: Type.Integer(),
  lastMessageAt: Nullable(Type.String({ format: 'date-time' })),
  lastMessagePreview: Nullable(Type.String()),
  unread: Type.Integer(),
});

export const MessageSchema = Type.Object({
  id: Type.String(),
  conversationId: Type.String(),
  seq: Type.Integer(),
  direction: Type.Enum(['in', 'out']),
  type: Type.Enum(MESSAGE_TYPES),
  text: Nullable(Type.String()),
  summary: Nullable(Type.String()),
  mediaRef: Nullable(Type.String()),
  at: Type.String({ format: 'date-time' }),
  status: Nullable(Type.Enum(['queued', 'sent', 'failed'])),
  reason: Nullable(Type.String()),
  autoReply: Type.Boolean(),
  customerId: Nullable(Type.String()),
  staffId: Nullable(Type.String()),
});

export const ConversationListQuery = StrictObject({
  customerId: Type.Optional(ObjectIdString),
  botId: Type.Optional(ObjectIdString),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
});

export const ConversationList = Type.Object({ items: Type.Array(ConversationSchema), nextCursor: Nullable(Type.String()) });

export const MessagesQuery = StrictObject({
  beforeSeq: Type.Optional(Type.Integer({ minimum: 1, description: 'the latest messages before this seq (default: the latest)' })),
  afterSeq: Type.Optional(Type.Integer({ minimum: 0, description: 'the messages after this seq, to catch up' })),
  limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
});

export const MessagePage = Type.Object({
  items: Type.Array(MessageSchema, { description: 'ascending by seq' }),
  hasMore: Type.Boolean(),
});

export const SendMessageBody = StrictObject({ text: Type.String({ minLength: 1, maxLength: 4000, pattern: '\\S' }) });
