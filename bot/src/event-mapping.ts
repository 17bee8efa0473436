import { createHash } from 'node:crypto';
import { types, type Contact, type Friendship, type Message, type payloads, type Room } from 'wechaty';
import { BOT_PROTOCOL_VERSION, MESSAGE_TYPES, type BotEvent, type ContactInfo } from '../../shared/src/bot-protocol.ts';

type MessageType = (typeof MESSAGE_TYPES)[number];
type EventOf<T extends BotEvent['type']> = Extract<BotEvent, { type: T }>;
type RoomInfo = { id: string; topic: string };

const MESSAGE_TYPE_NAMES: Partial<Record<types.Message, MessageType>> = {
  [types.Message.Text]: 'text',
  [types.Message.Image]: 'image',
  [types.Message.Audio]: 'voice',
  [types.Message.Attachment]: 'file',
  [types.Message.Url]: 'link',
  [types.Message.MiniProgram]: 'miniprogram',
  [types.Message.Emoticon]: 'emoticon',
  [types.Message.Video]: 'video',
};

const GENDERS: Record<types.ContactGender, ContactInfo['gender']> = {
  [types.ContactGender.Unknown]: 'unknown',
  [types.ContactGender.Male]: 'male',
  [types.ContactGender.Female]: 'female',
};

const KINDS: Record<types.Contact, ContactInfo['kind']> = {
  [types.Contact.Unknown]: 'unknown',
  [types.Contact.Individual]: 'individual',
  [types.Contact.Official]: 'official',
  [types.Contact.Corporation]: 'corporation',
};

/** WeChat's notice when a customer has deleted the brand account: the only sign a deletion leaves. */
const DELETED_BY_CONTACT = /开启了朋友验证|你还不是他（她）朋友|you are not (his|her|their) friend/i;

/** The protocol's view of a contact, read from the puppet's payload (what Contact's getters read too). */
export function mapContactPayload(payload: payloads.Contact, overrides: Partial<ContactInfo> = {}): ContactInfo {
  const { alias, avatar, province, city, friend } = payload;
  return {
    id: payload.id,
    name: clip(payload.name ?? '', 200),
    ...(alias ? { alias: clip(alias, 200) } : {}),
    ...(avatar && /^https?:\/\//.test(avatar) ? { avatarUrl: clip(avatar, 1000) } : {}),
    gender: GENDERS[payload.gender] ?? 'unknown',
    ...(province ? { province: clip(province, 60) } : {}),
    ...(city ? { city: clip(city, 60) } : {}),
    ...(friend === undefined ? {} : { friend }),
    kind: KINDS[payload.type] ?? 'unknown',
    ...overrides,
  };
}

export function mapContact(contact: Contact, overrides: Partial<ContactInfo> = {}): ContactInfo {
  if (!contact.payload) return { id: contact.id, name: clip(contact.name(), 200), ...overrides };
  return mapContactPayload(contact.payload, overrides);
}

export async function mapRoom(room: Room): Promise<RoomInfo> {
  const topic = await room.topic().catch(() => '');
  return { id: room.id, topic: clip(topic, 200) };
}

/**
 * A message as a protocol event, or a `friend_removed` event for WeChat's "not friends any more" notice.
 * For a message the brand sent in a one-to-one chat, `contact` is the customer it went to.
 */
export async function mapMessage(msg: Message): Promise<EventOf<'message'> | EventOf<'friend_removed'>> {
  const room = msg.room();
  const fromSelf = msg.self();
  const customer = !room && fromSelf ? (msg.listener() ?? msg.talker()) : msg.talker();
  const contact = mapContact(customer);
  const at = msg.date().toISOString();
  if (!room && !fromSelf && DELETED_BY_CONTACT.test(msg.text())) {
    return frame('friend_removed', `friend_removed:msg:${msg.id}`, at, { contact: { ...contact, friend: false } });
  }
  const messageType = MESSAGE_TYPE_NAMES[msg.type()] ?? 'other';
  return frame('message', `msg:${msg.id}`, at, {
    messageId: msg.id,
    contact,
    ...(room ? { room: await mapRoom(room) } : {}),
    mentionSelf: room ? await msg.mentionSelf().catch(() => false) : false,
    fromSelf,
    messageType,
    ...(await describeContent(msg, messageType)),
  });
}

export async function mapFriendshipRequest(friendship: Friendship): Promise<EventOf<'friendship_request'>> {
  const hello = friendship.hello();
  return frame('friendship_request', `friendship:${friendship.id}`, friendshipDate(friendship), {
    requestId: friendship.id,
    contact: mapContact(friendship.contact()),
    ...(hello ? { hello: clip(hello, 500) } : {}),
  });
}

/** `sourceId` names the WeChat event that made them friends (a request accepted or confirmed), keeping the id stable. */
export async function mapFriendAdded(contact: Contact, sourceId: string, at = new Date()): Promise<EventOf<'friend_added'>> {
  return frame('friend_added', `friend_added:${contact.id}:${sourceId}`, at.toISOString(), { contact: mapContact(contact, { friend: true }) });
}

export async function mapRoomMembership(
  type: 'room_join' | 'room_leave',
  room: Room,
  members: Contact[],
  at: Date,
  inviter?: Contact,
): Promise<EventOf<'room_join'> | EventOf<'room_leave'>> {
  const key = [room.id, ...members.map((member) => member.id).sort(), at.getTime()].join('|');
  return frame(type, `${type}:${digest(key)}`, at.toISOString(), {
    room: await mapRoom(room),
    members: members.slice(0, 500).map((member) => mapContact(member)),
    ...(inviter ? { inviterId: inviter.id } : {}),
  });
}

/** Keyed by the profile's content: the same change seen twice is one event, a new change a new one. */
export function mapContactUpdated(payload: payloads.Contact): EventOf<'contact_updated'> {
  const info = mapContactPayload(payload);
  return frame('contact_updated', `contact:${info.id}:${digest(JSON.stringify(info))}`, new Date().toISOString(), { contact: info });
}

async function describeContent(msg: Message, messageType: MessageType): Promise<{ text?: string; summary?: string; mediaRef?: string }> {
  if (messageType === 'text') return { text: clip(msg.text(), 100_000) };
  if (messageType === 'link') {
    const link = await msg.toUrlLink().catch(() => undefined);
    return link ? { summary: clip(link.title(), 500), mediaRef: clip(link.url(), 1000) } : {};
  }
  if (messageType === 'miniprogram') {
    const card = await msg.toMiniProgram().catch(() => undefined);
    return card ? { summary: clip(card.title() ?? '', 500), mediaRef: clip(`miniprogram:${card.appid() ?? ''}/${card.pagePath() ?? ''}`, 1000) } : {};
  }
  if (messageType === 'other') return { text: clip(msg.text(), 100_000) };
  // Media stays on WeChat; the reference lets the bot fetch it later by message id.
  const name = messageType === 'file' || messageType === 'video' ? await fileName(msg) : undefined;
  return { ...(name ? { summary: clip(name, 500) } : {}), mediaRef: clip(`wechaty:${msg.id}`, 1000) };
}

async function fileName(msg: Message): Promise<string | undefined> {
  const box = await msg.toFileBox().catch(() => undefined);
  return box?.name;
}

function frame<T extends BotEvent['type']>(type: T, id: string, at: string, payload: EventOf<T>['payload']): EventOf<T> {
  return { v: BOT_PROTOCOL_VERSION, kind: 'event', id: clipId(id), type, at, payload } as EventOf<T>;
}

function friendshipDate(friendship: Friendship): string {
  const timestamp = friendship.payload?.timestamp;
  return (timestamp ? new Date(timestamp) : new Date()).toISOString();
}

/** Ids stay within the protocol's 128 characters without losing uniqueness. */
function clipId(id: string): string {
  return id.length <= 128 ? id : `${id.slice(0, 80)}:${digest(id)}`;
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, max);
}
