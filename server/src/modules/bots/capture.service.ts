import type { AckFrame, BotEvent, ContactInfo } from '../../../../shared/src/bot-protocol.ts';
import { coalescedInsert, coalescedUpdate } from '../../lib/coalesced-writes.ts';
import type { EventBus } from '../../plugins/bus.ts';
import type { CustomerRecord } from '../customers/customer-dto.util.ts';
import type { CustomerService } from '../customers/customer.service.ts';
import type { InteractionService } from '../customers/interaction.service.ts';
import type { MergeService } from '../customers/merge.service.ts';
import type { NotesService } from '../customers/notes.service.ts';
import type { AutomationService } from './automation.service.ts';
import type { BotSettingsService } from './bot-settings.service.ts';
import { commandIdFor } from './command-id.util.ts';
import { contactProfileChanges } from './contact-profile.util.ts';
import type { ConversationService } from './conversation.service.ts';
import type { BotModels } from './models.ts';
import type { OutboxService } from './outbox.service.ts';

/** The bot as capture sees it; `accountId` is the logged-in WeChat account, once the bot has reported it. */
export interface BotContext {
  id: string;
  name: string;
  ownerStaffId: string;
  accountId: string | null;
}

type EventOf<Type extends BotEvent['type']> = Extract<BotEvent, { type: Type }>;

interface Applying {
  bot: BotContext;
  at: Date;
  /** `bot:<botId>:<eventId>`: the idempotency key of every interaction the event writes. */
  sourceKey: string;
  /** First delivery of the event: nothing it writes can exist yet, so replay checks may be skipped. */
  fresh: boolean;
  /** A message's speaker, looked up while the event was being recorded (null: not a known, unmerged customer). */
  speaker?: Promise<CustomerRecord | null>;
  /** Runs a side effect that must not repeat (an alert) once, even when the event is applied again. */
  once(step: string, effect: () => Promise<void>): Promise<void>;
}

export interface CaptureDeps {
  bus: EventBus;
  customers: CustomerService;
  customerMerge: MergeService;
  interactions: InteractionService;
  notes: NotesService;
  conversations: ConversationService;
  outbox: OutboxService;
  automation: AutomationService;
  botSettings: BotSettingsService;
}

/** What applying needs of a stored event record. */
interface EventRecord {
  appliedAt?: Date | null;
  done?: string[] | null;
}

const eventTime = (event: BotEvent) => new Date(Math.min(Date.parse(event.at), Date.now()));

/**
 * Applies what bots report. Every write is idempotent (identity upserts, sourceKeys, derived command ids), and an
 * event is marked applied only after all of them, so a replay after a crash completes it without duplicates.
 */
export function createCaptureService({ BotEvent, RoomMember }: BotModels, deps: CaptureDeps) {
  // Events from many contacts arrive together: their bookkeeping writes share bulk commands.
  const recordEvent = coalescedInsert(BotEvent);
  const markApplied = coalescedUpdate(BotEvent);
  const identityOf = (bot: BotContext, contact: ContactInfo) => ({ type: 'bot' as const, accountId: bot.accountId ?? bot.id, externalId: contact.id });

  /** The customer behind a contact, with `saved`: their profile refresh and activity mark, still being written. */
  async function lookUpContact(bot: BotContext, contact: ContactInfo, activeAt?: Date, prefetched?: Promise<CustomerRecord | null>) {
    const identity = identityOf(bot, contact);
    const known = activeAt ? await (prefetched ?? deps.customers.findLiveByIdentity(identity)) : null;
    const customer = known ?? (await deps.customerMerge.identify({ identity, profile: contactProfileChanges(contact, null) }));
    const changes = contactProfileChanges(contact, customer);
    return { customer, changed: Object.keys(changes), saved: deps.customers.refreshProfile(customer._id, changes, activeAt) };
  }

  async function identifyContact(bot: BotContext, contact: ContactInfo, activeAt?: Date) {
    const found = await lookUpContact(bot, contact, activeAt);
    await found.saved;
    return found;
  }

  async function onMessage({ bot, at, sourceKey, fresh, speaker: prefetched }: Applying, event: EventOf<'message'>) {
    const message = event.payload;
    // In a room, a message from the brand account has the bot itself as talker: there is no customer to update.
    const found = message.room && message.fromSelf ? null : await lookUpContact(bot, message.contact, message.fromSelf ? undefined : at, prefetched);
    const speaker = found?.customer ?? null;
    const target = message.room
      ? { botId: bot.id, kind: 'room' as const, roomId: message.room.id, title: message.room.topic }
      : { botId: bot.id, kind: 'direct' as const, contactId: message.contact.id, customerId: speaker!._id, title: message.contact.name };
    const summary = (message.text ?? message.summary ?? `[${message.messageType}]`).slice(0, 140);
    const data = { botId: bot.id, messageType: message.messageType, ...(message.room ? { roomId: message.room.id } : {}) };
    // The layer, the timeline entry and the chat message do not depend on one another: written side by side.
    const [, , , { conversation }] = await Promise.all([
      found?.saved,
      speaker && !message.fromSelf ? deps.automation.raiseTo(speaker, 'guest', 'bot message') : undefined,
      speaker ? deps.interactions.append({ customerId: speaker._id, type: message.fromSelf ? 'message_out' : 'message_in', at, channel: 'bot', summary, data, sourceKey }) : undefined,
      deps.conversations.append(
        target,
        {
          sourceKey: `event:${bot.id}:${event.id}`,
          direction: message.fromSelf ? 'out' : 'in',
          ...(message.fromSelf ? { status: 'sent' as const } : {}),
          type: message.messageType,
          at,
          customerId: speaker?._id,
          text: message.text,
          summary: message.summary,
          mediaRef: message.mediaRef,
          eventId: event.id,
        },
        { fresh },
      ),
    ]);
    if (!speaker || message.fromSelf) return;
    await deps.automation.onInboundMessage({
      botId: bot.id,
      eventId: event.id,
      sourceKey,
      customer: speaker,
      conversationId: conversation._id,
      text: message.text ?? '',
      contactKind: message.contact.kind,
      inRoom: Boolean(message.room),
      mentionSelf: message.mentionSelf,
    });
  }

  async function onFriendshipRequest({ bot, at }: Applying, event: EventOf<'friendship_request'>) {
    const { customer } = await identifyContact(bot, event.payload.contact, at);
    await deps.automation.raiseTo(customer, 'guest', 'friendship request');
    if (!(await deps.botSettings.get()).autoAcceptFriends) return;
    const id = commandIdFor({ purpose: 'accept', botId: bot.id, eventId: event.id });
    await deps.outbox.enqueue(bot.id, { v: 1, kind: 'command', id, type: 'accept_friendship', requestId: event.payload.requestId });
  }

  async function onFriendAdded({ bot, at, sourceKey }: Applying, event: EventOf<'friend_added'>) {
    const { contact } = event.payload;
    const { customer } = await identifyContact(bot, contact, at);
    if (customer.lost?.at) await deps.customers.setLost(customer._id, null);
    await deps.automation.raiseTo(customer, 'friend', 'added the brand account');
    await deps.interactions.append({ customerId: customer._id, type: 'friend_added', at, channel: 'bot', summary: bot.name, data: { botId: bot.id }, sourceKey });
    const conversation = await deps.conversations.ensure({ botId: bot.id, kind: 'direct', contactId: contact.id, customerId: customer._id, title: contact.name });
    await deps.automation.welcome({ botId: bot.id, eventId: event.id, customer, conversationId: conversation._id, contactKind: contact.kind });
  }

  async function onFriendRemoved({ bot, at, sourceKey, once }: Applying, event: EventOf<'friend_removed'>) {
    const { customer } = await identifyContact(bot, event.payload.contact);
    await deps.customers.setLost(customer._id, { at, botAccountId: bot.accountId ?? bot.id });
    await deps.interactions.append({ customerId: customer._id, type: 'friend_removed', at, channel: 'bot', summary: bot.name, data: { botId: bot.id }, sourceKey });
    // At least once: a crash right after the reminder repeats it, which beats an owner never hearing of the loss.
    await once('alert-owner', async () => {
      const who = customer.remark || customer.nickname || customer.name || event.payload.contact.name;
      await deps.notes.addReminder(String(customer._id), { title: `流失：${who} 删除了 ${bot.name}`, dueAt: new Date().toISOString(), assigneeId: bot.ownerStaffId }, bot.ownerStaffId);
      deps.bus.publish('customer.lost', { customerId: String(customer._id), botId: bot.id, ownerStaffId: bot.ownerStaffId, at: at.toISOString() });
    });
  }

  async function onContactUpdated({ bot, at, sourceKey }: Applying, event: EventOf<'contact_updated'>) {
    const { customer, changed } = await identifyContact(bot, event.payload.contact);
    const summary = changed.length ? changed.join(', ') : 'profile refreshed';
    await deps.interactions.append({ customerId: customer._id, type: 'profile_updated', at, channel: 'bot', summary, data: { botId: bot.id, fields: changed }, sourceKey });
  }

  async function onRoomMembership({ bot, at, sourceKey }: Applying, event: EventOf<'room_join' | 'room_leave'>) {
    const { room, members, inviterId } = event.payload;
    const joined = event.type === 'room_join';
    await deps.conversations.ensure({ botId: bot.id, kind: 'room', roomId: room.id, title: room.topic });
    for (const member of members) {
      if (member.id === bot.accountId) continue;
      const { customer } = await identifyContact(bot, member, joined ? at : undefined);
      if (joined) await deps.automation.raiseTo(customer, 'guest', 'joined a group chat');
      const membership = joined ? { $set: { active: true, joinedAt: at, customerId: customer._id, roomTopic: room.topic }, $unset: { leftAt: 1 } } : { $set: { active: false, leftAt: at, customerId: customer._id, roomTopic: room.topic } };
      await RoomMember.updateOne({ botId: bot.id, roomId: room.id, contactId: member.id }, membership, { upsert: true });
      await deps.interactions.append({
        customerId: customer._id,
        type: joined ? 'room_joined' : 'room_left',
        at,
        channel: 'bot',
        summary: room.topic,
        data: { botId: bot.id, roomId: room.id, ...(inviterId ? { inviterId } : {}) },
        sourceKey: `${sourceKey}:${member.id}`,
      });
    }
  }

  function dispatch(applying: Applying, event: BotEvent): Promise<void> {
    switch (event.type) {
      case 'message':
        return onMessage(applying, event);
      case 'friendship_request':
        return onFriendshipRequest(applying, event);
      case 'friend_added':
        return onFriendAdded(applying, event);
      case 'friend_removed':
        return onFriendRemoved(applying, event);
      case 'contact_updated':
        return onContactUpdated(applying, event);
      case 'room_join':
      case 'room_leave':
        return onRoomMembership(applying, event);
    }
  }

  /** Applies an event once per bot and event id; 'duplicate' when it was applied before (ack it again). */
  async function applyEvent(bot: BotContext, event: BotEvent): Promise<'applied' | 'duplicate'> {
    const key = { botId: bot.id, eventId: event.id };
    const at = eventTime(event);
    // Most events are messages from known customers: their lookup need not wait for the record.
    const speaker = event.type === 'message' && !event.payload.fromSelf ? deps.customers.findLiveByIdentity(identityOf(bot, event.payload.contact)).catch(() => null) : undefined;
    // The record first: a new one means a first delivery; a duplicate key means a replay, whose record says how far it got.
    const { recorded, fresh } = await recordEvent({ ...key, type: event.type, at, receivedAt: new Date() }).then(
      () => ({ recorded: null, fresh: true }),
      async (error: { code?: number }) => {
        if (error.code !== 11000) throw error;
        return { recorded: (await BotEvent.findOne(key).lean()) as EventRecord | null, fresh: false };
      },
    );
    if (recorded?.appliedAt) return 'duplicate';
    const once = async (step: string, effect: () => Promise<void>) => {
      if (recorded?.done?.includes(step)) return;
      await effect();
      await BotEvent.updateOne(key, { $addToSet: { done: step } });
    };
    await dispatch({ bot, at, sourceKey: `bot:${bot.id}:${event.id}`, fresh, speaker, once }, event);
    await markApplied(key, { $set: { appliedAt: new Date() } });
    return 'applied';
  }

  /** The bot's verdict on a command: the message first, then the command, so a repeated ack repairs a crash between. */
  async function applyAck(bot: BotContext, ack: AckFrame): Promise<'settled' | 'repeat' | 'unknown'> {
    const command = await deps.outbox.find(bot.id, ack.id);
    if (!command) return 'unknown';
    if (command.status === 'acked' || command.status === 'failed') return 'repeat';
    if (command.messageId) {
      const settled = await deps.conversations.settle(command.messageId, { ok: ack.ok, reason: ack.reason ?? 'error' });
      const message = settled?.message;
      if (settled && message?.status === 'sent' && message.customerId && settled.conversation.kind === 'direct') {
        const summary = (message.text ?? message.summary ?? `[${message.type}]`).slice(0, 140);
        const data = { botId: bot.id, commandId: ack.id, autoReply: message.autoReply ?? false };
        await deps.interactions.append({ customerId: message.customerId, type: 'message_out', at: new Date(), channel: 'bot', summary, data, sourceKey: `bot:${bot.id}:command:${ack.id}` });
      }
    }
    await deps.outbox.settle(bot.id, ack);
    return 'settled';
  }

  return { applyEvent, applyAck };
}

export type CaptureService = ReturnType<typeof createCaptureService>;
