import { randomUUID } from 'node:crypto';
import { Types } from 'mongoose';
import { BOT_PROTOCOL_VERSION, type MESSAGE_TYPES, type SendContent, type SendPurpose } from '../../../../shared/src/bot-protocol.ts';
import { coalescedInsert } from '../../lib/coalesced-writes.ts';
import { decodeCursor, encodeCursor } from '../../lib/cursor.util.ts';
import type { EventBus } from '../../plugins/bus.ts';
import { toConversationDto, toMessageDto, type ConversationRecord, type MessageRecord } from './conversation-dto.util.ts';
import type { BotModels } from './models.ts';
import type { OutboxService } from './outbox.service.ts';

/** The copy of a message's text that search and previews read; the record keeps the whole text. */
export const SEARCH_TEXT_LIMIT = 2000;
const PREVIEW_LIMIT = 100;
const ORPHAN_LOOKBACK_MS = 24 * 3600_000;

export type ConversationTarget =
  | { botId: string; kind: 'direct'; contactId: string; customerId: Types.ObjectId | string; title?: string }
  | { botId: string; kind: 'room'; roomId: string; title?: string };

export interface NewMessage {
  sourceKey: string;
  direction: 'in' | 'out';
  type: (typeof MESSAGE_TYPES)[number];
  at: Date;
  customerId?: Types.ObjectId | string;
  text?: string;
  summary?: string;
  mediaRef?: string;
  eventId?: string;
  /** Outbound messages the brand sent from the phone arrive already sent. */
  status?: 'sent';
}

export interface OutboundMessage {
  content: SendContent;
  purpose: SendPurpose;
  /** Give one derived from the cause (event, broadcast delivery) so a retry queues nothing new. */
  commandId?: string;
  staffId?: string;
  autoReply?: boolean;
  ruleId?: string;
}

const keyOf = (target: ConversationTarget) => (target.kind === 'direct' ? `direct:${target.botId}:${target.contactId}` : `room:${target.botId}:${target.roomId}`);

function describeContent(content: SendContent): Pick<NewMessage, 'type' | 'text' | 'summary' | 'mediaRef'> {
  if (content.type === 'text') return { type: 'text', text: content.text };
  if (content.type === 'image') return { type: 'image', summary: '[图片]', mediaRef: content.url };
  if (content.type === 'link') return { type: 'link', summary: content.title, mediaRef: content.url };
  return { type: 'miniprogram', summary: content.title, mediaRef: `${content.appid}:${content.pagePath}` };
}

/** Conversations and their numbered messages; outbound messages go out through the outbox. */
export function createConversationService({ Conversation, Message }: BotModels, deps: { bus: EventBus; outbox: OutboxService }) {
  const insertMessage = coalescedInsert<MessageRecord>(Message);
  function publish(conversation: ConversationRecord, message: MessageRecord) {
    deps.bus.publish('conversation.message', {
      conversationId: String(conversation._id),
      botId: String(conversation.botId),
      customerId: message.customerId ? String(message.customerId) : null,
      message: toMessageDto(message),
    });
  }

  /** Takes the next seq atomically, creating the conversation with the first message. */
  async function nextSeq(filter: { key: string } | { _id: Types.ObjectId | string }, target: ConversationTarget | null, message: NewMessage) {
    const preview = (message.text ?? message.summary ?? `[${message.type}]`).slice(0, PREVIEW_LIMIT);
    const update = {
      $inc: { lastSeq: 1, unread: message.direction === 'in' ? 1 : 0 },
      $max: { lastMessageAt: message.at },
      $set: {
        lastMessagePreview: preview,
        ...(target?.title ? { title: target.title } : {}),
        ...(target?.kind === 'direct' ? { customerId: target.customerId } : {}),
      },
      ...(target
        ? { $setOnInsert: { botId: target.botId, kind: target.kind, ...(target.kind === 'direct' ? { contactId: target.contactId } : { roomId: target.roomId }) } }
        : {}),
    };
    const options = { upsert: Boolean(target), returnDocument: 'after' as const };
    try {
      return (await Conversation.findOneAndUpdate(filter, update, options).lean()) as ConversationRecord | null;
    } catch (error) {
      // Two first messages raced to create the conversation: the loser takes a seq in the winner's.
      if ((error as { code?: number }).code !== 11000) throw error;
      return (await Conversation.findOneAndUpdate(filter, update, options).lean()) as ConversationRecord | null;
    }
  }

  async function insert(conversation: ConversationRecord, fields: Record<string, unknown> & { sourceKey: string }) {
    try {
      const message = await insertMessage({ ...fields, conversationId: conversation._id, seq: conversation.lastSeq, botId: conversation.botId });
      publish(conversation, message);
      return message;
    } catch (error) {
      if ((error as { code?: number }).code !== 11000) throw error;
      return (await Message.findOne({ sourceKey: fields.sourceKey }).lean()) as MessageRecord;
    }
  }

  /** Finds or creates the conversation without adding a message (a new friend, a room the bot joined). */
  async function ensure(target: ConversationTarget): Promise<ConversationRecord> {
    const update = {
      $set: { ...(target.title ? { title: target.title } : {}), ...(target.kind === 'direct' ? { customerId: target.customerId } : {}) },
      $setOnInsert: { botId: target.botId, kind: target.kind, ...(target.kind === 'direct' ? { contactId: target.contactId } : { roomId: target.roomId }) },
    };
    const upsert = () => Conversation.findOneAndUpdate({ key: keyOf(target) }, update, { upsert: true, returnDocument: 'after' }).lean();
    try {
      return (await upsert()) as ConversationRecord;
    } catch (error) {
      if ((error as { code?: number }).code !== 11000) throw error;
      return (await upsert()) as ConversationRecord;
    }
  }

  /** Appends a message once per sourceKey: a replayed event finds its message and appends nothing. */
  /** `fresh`: the caller knows no earlier attempt stored this message (its event was never seen), so skip the lookup. */
  async function append(target: ConversationTarget, message: NewMessage, { fresh = false }: { fresh?: boolean } = {}) {
    const existing = fresh ? null : ((await Message.findOne({ sourceKey: message.sourceKey }).lean()) as MessageRecord | null);
    const conversation = existing
      ? ((await Conversation.findById(existing.conversationId).lean()) as ConversationRecord)
      : (await nextSeq({ key: keyOf(target) }, target, message))!;
    if (existing) return { conversation, message: existing };
    const searchText = message.text && message.text.length > SEARCH_TEXT_LIMIT ? message.text.slice(0, SEARCH_TEXT_LIMIT) : message.text;
    return { conversation, message: await insert(conversation, { ...message, searchText }) };
  }

  /** Stores an outbound message (queued) and its command; idempotent for a given commandId. */
  async function send(conversationId: string, outbound: OutboundMessage) {
    const conversation = (await Conversation.findById(conversationId).lean()) as ConversationRecord | null;
    if (!conversation) return null;
    const commandId = outbound.commandId ?? `send-${randomUUID()}`;
    const sourceKey = `command:${commandId}`;
    let message = (await Message.findOne({ sourceKey }).lean()) as MessageRecord | null;
    if (!message) {
      const fields = { ...describeContent(outbound.content), direction: 'out' as const, at: new Date(), sourceKey };
      const numbered = (await nextSeq({ _id: conversation._id }, null, fields))!;
      message = await insert(numbered, {
        ...fields,
        customerId: conversation.customerId ?? undefined,
        status: 'queued',
        commandId,
        content: outbound.content,
        purpose: outbound.purpose,
        autoReply: outbound.autoReply,
        ruleId: outbound.ruleId,
        staffId: outbound.staffId,
      });
    }
    await queueCommand(message, conversation);
    return { conversation, message };
  }

  async function queueCommand(message: MessageRecord, conversation: Pick<ConversationRecord, 'botId' | 'kind' | 'contactId' | 'roomId'>): Promise<boolean> {
    const to = conversation.kind === 'room' ? { roomId: conversation.roomId! } : { contactId: conversation.contactId! };
    const content = message.content as SendContent;
    const purpose: SendPurpose = message.purpose ?? 'proactive';
    return deps.outbox.enqueue(String(conversation.botId), { v: BOT_PROTOCOL_VERSION, kind: 'command', id: message.commandId!, type: 'send', to, content, purpose }, { messageId: message._id });
  }

  /** The bot's verdict on an outbound message; a message once sent is never marked failed by a late duplicate. */
  async function settle(messageId: Types.ObjectId | string, outcome: { ok: boolean; reason?: string }) {
    const changed = (await Message.findOneAndUpdate(
      { _id: messageId, status: { $ne: 'sent' } },
      { $set: { status: outcome.ok ? 'sent' : 'failed', reason: outcome.ok ? undefined : outcome.reason } },
      { returnDocument: 'after' },
    ).lean()) as MessageRecord | null;
    const message = changed ?? ((await Message.findById(messageId).lean()) as MessageRecord | null);
    if (!message) return null;
    const conversation = (await Conversation.findById(message.conversationId).lean()) as ConversationRecord;
    if (changed) publish(conversation, message);
    return { conversation, message };
  }

  async function recentAutoReplies(conversationId: Types.ObjectId | string, since: Date) {
    const rows = await Message.find({ conversationId, direction: 'out', createdAt: { $gte: since }, autoReply: true }, { text: 1, createdAt: 1 }).sort({ createdAt: -1 }).limit(50).lean();
    return rows.map((row) => ({ text: row.text ?? '', at: row.createdAt }));
  }

  /**
   * Outbound messages a crash left without their command (it stopped between the two inserts) get it now.
   * Idempotent, as the command id is the message's; a day back is enough for a restart and spares a broadcast backlog.
   */
  async function requeueOrphans(): Promise<number> {
    let requeued = 0;
    const since = new Date(Date.now() - ORPHAN_LOOKBACK_MS);
    for await (const message of Message.find({ status: 'queued', createdAt: { $gte: since } }).lean().cursor()) {
      const record = message as MessageRecord;
      const conversation = await Conversation.findById(record.conversationId).lean();
      if (!conversation || !record.commandId || !record.content) continue;
      if (await queueCommand(record, conversation as ConversationRecord)) requeued++;
    }
    return requeued;
  }

  async function list(query: { customerId?: string; botId?: string; cursor?: string; limit: number }) {
    const filter: Record<string, unknown> = {};
    if (query.customerId) filter.customerId = new Types.ObjectId(query.customerId);
    if (query.botId) filter.botId = new Types.ObjectId(query.botId);
    if (query.cursor) {
      const after = decodeCursor(query.cursor);
      const at = new Date(Number(after.value));
      filter.$or = [{ lastMessageAt: { $lt: at } }, { lastMessageAt: at, _id: { $lt: new Types.ObjectId(after.id) } }];
    }
    const rows = (await Conversation.find(filter).sort({ lastMessageAt: -1, _id: -1 }).limit(query.limit + 1).lean()) as ConversationRecord[];
    const items = rows.slice(0, query.limit);
    const last = items.at(-1);
    const nextCursor = rows.length > query.limit && last ? encodeCursor({ id: String(last._id), value: last.lastMessageAt?.getTime() ?? 0 }) : null;
    return { items: items.map(toConversationDto), nextCursor };
  }

  async function get(id: string) {
    const doc = (await Conversation.findById(id).lean()) as ConversationRecord | null;
    return doc ? toConversationDto(doc) : null;
  }

  /** Messages in ascending seq: the latest page (or the page before `beforeSeq`), or those after `afterSeq`. */
  async function messages(conversationId: string, query: { beforeSeq?: number; afterSeq?: number; limit: number }) {
    const forward = query.afterSeq !== undefined;
    const seq = forward ? { $gt: query.afterSeq } : query.beforeSeq !== undefined ? { $lt: query.beforeSeq } : undefined;
    const rows = (await Message.find({ conversationId, ...(seq ? { seq } : {}) })
      .sort({ seq: forward ? 1 : -1 })
      .limit(query.limit + 1)
      .lean()) as MessageRecord[];
    const page = rows.slice(0, query.limit);
    return { items: (forward ? page : page.reverse()).map(toMessageDto), hasMore: rows.length > query.limit };
  }

  async function markRead(id: string) {
    const doc = (await Conversation.findOneAndUpdate({ _id: id }, { $set: { unread: 0 } }, { returnDocument: 'after' }).lean()) as ConversationRecord | null;
    return doc ? toConversationDto(doc) : null;
  }

  return { ensure, append, send, settle, recentAutoReplies, requeueOrphans, list, get, messages, markRead };
}

export type ConversationService = ReturnType<typeof createConversationService>;
