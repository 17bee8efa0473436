import { types, type Contact, type ContactSelf, type Friendship, type Message, type Room, type Wechaty } from 'wechaty';
import type { BotEvent } from '../../shared/src/bot-protocol.ts';
import { mapContactUpdated, mapFriendAdded, mapFriendshipRequest, mapMessage, mapRoomMembership } from './event-mapping.ts';
import type { FriendshipBook } from './friendship-book.ts';
import type { StatusUpdate } from './gateway-client.ts';
import type { Logger } from './logger.ts';
import type { SendScheduler } from './send-scheduler.ts';
import type { SentEchoes } from './sent-echoes.ts';

export interface ListenerDeps {
  bot: Wechaty;
  publish: (event: BotEvent) => Promise<void>;
  setStatus: (status: StatusUpdate) => void;
  scheduler: SendScheduler;
  friendships: FriendshipBook;
  echoes: SentEchoes;
  logger: Logger;
  onQrCode?: (qrcode: string) => void;
}

const SHOWN_SCAN_STATUSES = new Set([types.ScanStatus.Waiting, types.ScanStatus.Timeout, types.ScanStatus.Unknown]);

/** Turns what happens on WeChat into protocol events and status frames. */
export function attachListeners(deps: ListenerDeps): void {
  const { bot, logger } = deps;
  const lastProfiles = new Map<string, string>();

  function guarded<Args extends unknown[]>(name: string, handler: (...args: Args) => Promise<void> | void) {
    return async (...args: Args): Promise<void> => {
      try {
        await handler(...args);
      } catch (error) {
        logger.error({ err: error, handler: name }, 'wechaty event not handled');
      }
    };
  }

  function onScan(qrcode: string, status: types.ScanStatus): void {
    if (!SHOWN_SCAN_STATUSES.has(status) || !qrcode) return;
    deps.onQrCode?.(qrcode);
    deps.setStatus({ status: 'scanning', qrcode: qrcode.slice(0, 2000) });
  }

  function onLogin(user: ContactSelf): void {
    logger.info({ account: user.id, name: user.name() }, 'logged in to WeChat');
    deps.setStatus({ status: 'logged_in', account: { id: user.id, name: user.name().slice(0, 200) || user.id } });
  }

  function onLogout(user: ContactSelf, reason?: string): void {
    logger.warn({ account: user.id, reason }, 'logged out of WeChat');
    deps.setStatus({ status: 'logged_out', ...(reason ? { error: reason.slice(0, 1000) } : {}) });
  }

  function onError(error: Error): void {
    logger.warn({ err: error }, 'wechaty error');
    // While logged in, puppet errors are usually about one payload; only a bot that cannot log in is in error.
    if (bot.isLoggedIn) return;
    deps.setStatus({ status: 'error', error: error.message.slice(0, 1000) });
  }

  async function onMessage(msg: Message): Promise<void> {
    if (msg.type() === types.Message.Recalled) return;
    const event = await mapMessage(msg);
    if (event.type === 'message' && event.payload.fromSelf && isEcho(event)) return;
    if (event.type === 'message' && !event.payload.fromSelf) deps.scheduler.noteInbound(event.payload.room?.id ?? event.payload.contact.id);
    await deps.publish(event);
  }

  function isEcho(event: Extract<BotEvent, { type: 'message' }>): boolean {
    const { messageId, room, contact, messageType, text } = event.payload;
    return deps.echoes.consume({ messageId, conversationId: room?.id ?? contact.id, messageType, text });
  }

  async function onFriendship(friendship: Friendship): Promise<void> {
    const type = friendship.type();
    if (type === types.Friendship.Receive) {
      await deps.friendships.remember(friendship);
      return deps.publish(await mapFriendshipRequest(friendship));
    }
    if (type !== types.Friendship.Confirm) return;
    const contact = friendship.contact();
    // The bot announced this friend itself when it accepted the request.
    if (deps.friendships.recentlyAccepted(contact.id)) return;
    await deps.publish(await mapFriendAdded(contact, `friendship:${friendship.id}`));
  }

  async function onRoomJoin(room: Room, invitees: Contact[], inviter: Contact, date?: Date): Promise<void> {
    if (invitees.length === 0) return;
    await deps.publish(await mapRoomMembership('room_join', room, invitees, date ?? new Date(), inviter));
  }

  async function onRoomLeave(room: Room, leavers: Contact[], remover?: Contact, date?: Date): Promise<void> {
    if (leavers.length === 0) return;
    await deps.publish(await mapRoomMembership('room_leave', room, leavers, date ?? new Date(), remover));
  }

  async function onDirty({ payloadType, payloadId }: { payloadType: types.Dirty; payloadId: string }): Promise<void> {
    if (payloadType !== types.Dirty.Contact || !bot.isLoggedIn || payloadId === bot.currentUser.id) return;
    const payload = await bot.puppet.contactPayload(payloadId);
    const event = mapContactUpdated(payload);
    if (lastProfiles.get(payloadId) === event.id) return;
    lastProfiles.set(payloadId, event.id);
    await deps.publish(event);
  }

  bot.on('scan', guarded('scan', onScan));
  bot.on('login', guarded('login', onLogin));
  bot.on('logout', guarded('logout', onLogout));
  bot.on('error', guarded('error', onError));
  bot.on('message', guarded('message', onMessage));
  bot.on('friendship', guarded('friendship', onFriendship));
  bot.on('room-join', guarded('room-join', onRoomJoin));
  bot.on('room-leave', guarded('room-leave', onRoomLeave));
  bot.on('puppet', (puppet) => puppet.on('dirty', guarded('dirty', onDirty)));
}
