/**
 * The bot gateway protocol (`/ws/bot`), version 1. The bot process and the server both validate every frame
 * against these schemas. Every event and command carries an id and is acknowledged by the other side;
 * event ids are unique forever, so a replayed event is recognised and stored once.
 */
import { Type, type Static } from 'typebox';
import { StrictObject } from './schema.ts';

export const BOT_PROTOCOL_VERSION = 1;

const Id = Type.String({ minLength: 1, maxLength: 128 });
const Text = (maxLength: number) => Type.String({ maxLength });

export const ContactInfo = StrictObject({
  id: Id,
  name: Text(200),
  alias: Type.Optional(Text(200)),
  avatarUrl: Type.Optional(Text(1000)),
  gender: Type.Optional(Type.Enum(['male', 'female', 'unknown'])),
  province: Type.Optional(Text(60)),
  city: Type.Optional(Text(60)),
  friend: Type.Optional(Type.Boolean()),
  /** Another bot or an official account: never auto-replied to, which breaks bot-to-bot loops. */
  kind: Type.Optional(Type.Enum(['individual', 'official', 'corporation', 'unknown'])),
});
export type ContactInfo = Static<typeof ContactInfo>;

export const RoomInfo = StrictObject({ id: Id, topic: Text(200) });

export const MESSAGE_TYPES = ['text', 'image', 'voice', 'file', 'link', 'miniprogram', 'emoticon', 'video', 'other'] as const;

export const MessagePayload = StrictObject({
  messageId: Id,
  contact: ContactInfo,
  room: Type.Optional(RoomInfo),
  mentionSelf: Type.Boolean(),
  /** Sent by the brand account itself (from the phone or by the bot). */
  fromSelf: Type.Boolean(),
  messageType: Type.Enum(MESSAGE_TYPES),
  /** The full text; the server keeps it whole for the record and truncates a copy for search. */
  text: Type.Optional(Text(100_000)),
  summary: Type.Optional(Text(500)),
  mediaRef: Type.Optional(Text(1000)),
});

export const FriendshipRequestPayload = StrictObject({ requestId: Id, contact: ContactInfo, hello: Type.Optional(Text(500)) });
export const FriendPayload = StrictObject({ contact: ContactInfo });
export const RoomMembershipPayload = StrictObject({ room: RoomInfo, members: Type.Array(ContactInfo, { maxItems: 500 }), inviterId: Type.Optional(Id) });

const eventFrame = <Name extends string, Payload extends Parameters<typeof Type.Object>[0]>(type: Name, payload: ReturnType<typeof StrictObject<Payload>>) =>
  StrictObject({
    v: Type.Literal(BOT_PROTOCOL_VERSION),
    kind: Type.Literal('event'),
    id: Id,
    type: Type.Literal(type),
    at: Type.String({ format: 'date-time' }),
    payload,
  });

export const BotEvent = Type.Union([
  eventFrame('message', MessagePayload),
  eventFrame('friendship_request', FriendshipRequestPayload),
  eventFrame('friend_added', FriendPayload),
  eventFrame('friend_removed', FriendPayload),
  eventFrame('contact_updated', FriendPayload),
  eventFrame('room_join', RoomMembershipPayload),
  eventFrame('room_leave', RoomMembershipPayload),
]);
export type BotEvent = Static<typeof BotEvent>;
export type BotEventType = BotEvent['type'];

export const BOT_STATUSES = ['starting', 'scanning', 'logged_in', 'logged_out', 'error'] as const;

export const BotStatusFrame = StrictObject({
  v: Type.Literal(BOT_PROTOCOL_VERSION),
  kind: Type.Literal('status'),
  status: Type.Enum(BOT_STATUSES),
  qrcode: Type.Optional(Text(2000)),
  account: Type.Optional(StrictObject({ id: Id, name: Text(200) })),
  error: Type.Optional(Text(1000)),
});
export type BotStatusFrame = Static<typeof BotStatusFrame>;

export const FAILURE_REASONS = ['rate_limited', 'daily_cap', 'contact_cap', 'not_a_friend', 'logged_out', 'invalid', 'error'] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];

export const AckFrame = StrictObject({
  v: Type.Literal(BOT_PROTOCOL_VERSION),
  kind: Type.Literal('ack'),
  id: Id,
  ok: Type.Boolean(),
  reason: Type.Optional(Type.Enum(FAILURE_REASONS)),
  detail: Type.Optional(Text(500)),
});
export type AckFrame = Static<typeof AckFrame>;

/** Everything the bot may send to the server. */
export const BotToServer = Type.Union([BotEvent, BotStatusFrame, AckFrame]);
export type BotToServer = Static<typeof BotToServer>;

export const SendContent = Type.Union([
  StrictObject({ type: Type.Literal('text'), text: Type.String({ minLength: 1, maxLength: 4000 }) }),
  StrictObject({ type: Type.Literal('image'), url: Type.String({ maxLength: 1000 }) }),
  StrictObject({ type: Type.Literal('link'), url: Type.String({ maxLength: 1000 }), title: Text(200), description: Type.Optional(Text(500)), thumbnailUrl: Type.Optional(Text(1000)) }),
  StrictObject({ type: Type.Literal('miniprogram'), appid: Text(64), title: Text(200), pagePath: Text(500), thumbUrl: Type.Optional(Text(1000)) }),
]);
export type SendContent = Static<typeof SendContent>;

/** A reply in a live conversation goes out promptly; proactive sends (broadcasts, reminders) are paced. */
export const SEND_PURPOSES = ['reply', 'proactive'] as const;
export type SendPurpose = (typeof SEND_PURPOSES)[number];

export const SendCommand = StrictObject({
  v: Type.Literal(BOT_PROTOCOL_VERSION),
  kind: Type.Literal('command'),
  id: Id,
  type: Type.Literal('send'),
  to: Type.Union([StrictObject({ contactId: Id }), StrictObject({ roomId: Id })]),
  content: SendContent,
  purpose: Type.Enum(SEND_PURPOSES),
});
export type SendCommand = Static<typeof SendCommand>;

export const AcceptFriendshipCommand = StrictObject({
  v: Type.Literal(BOT_PROTOCOL_VERSION),
  kind: Type.Literal('command'),
  id: Id,
  type: Type.Literal('accept_friendship'),
  requestId: Id,
});

export const BotCommand = Type.Union([SendCommand, AcceptFriendshipCommand]);
export type BotCommand = Static<typeof BotCommand>;

/** Sent once after the server accepts the connection: the throttle settings the bot must keep. */
export const WelcomeFrame = StrictObject({
  v: Type.Literal(BOT_PROTOCOL_VERSION),
  kind: Type.Literal('welcome'),
  botId: Id,
  throttle: StrictObject({
    replyMinGapMs: Type.Integer({ minimum: 0 }),
    proactiveMinGapMs: Type.Integer({ minimum: 0 }),
    proactiveMaxGapMs: Type.Integer({ minimum: 0 }),
    dailyCap: Type.Integer({ minimum: 0 }),
    unansweredPerContactPerDay: Type.Integer({ minimum: 0 }),
  }),
});
export type WelcomeFrame = Static<typeof WelcomeFrame>;

/** Everything the server may send to the bot. */
export const ServerToBot = Type.Union([BotCommand, AckFrame, WelcomeFrame]);
export type ServerToBot = Static<typeof ServerToBot>;
