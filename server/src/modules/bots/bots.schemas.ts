import { Type, type Static } from 'typebox';
import { BOT_STATUSES } from '../../../../shared/src/bot-protocol.ts';
import { ObjectIdString, StrictObject } from '../../../../shared/src/schema.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

export const IdParams = StrictObject({ id: ObjectIdString });

export const BotSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  status: Type.Enum(BOT_STATUSES),
  statusSince: Type.String({ format: 'date-time' }),
  /** The login QR code's content while status is `scanning`: the console renders it as an image. */
  qrcode: Nullable(Type.String()),
  account: Nullable(Type.Object({ id: Type.String(), name: Type.String() })),
  error: Nullable(Type.String()),
  online: Type.Boolean(),
  lastSeenAt: Nullable(Type.String({ format: 'date-time' })),
  revokedAt: Nullable(Type.String({ format: 'date-time' })),
  ownerStaffId: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
});
export type BotDto = Static<typeof BotSchema>;

export const CreateBotBody = StrictObject({ name: Type.String({ minLength: 1, maxLength: 60 }) });

export const CreatedBotSchema = Type.Object({
  bot: BotSchema,
  token: Type.String({ description: 'shown once: the bot process sends it as `Authorization: Bearer <token>`' }),
});

const Gap = Type.Integer({ minimum: 0, maximum: 3_600_000 });

export const BotSettingsSchema = StrictObject({
  throttle: StrictObject({
    replyMinGapMs: Gap,
    proactiveMinGapMs: Gap,
    proactiveMaxGapMs: Gap,
    dailyCap: Type.Integer({ minimum: 0, maximum: 10_000 }),
    unansweredPerContactPerDay: Type.Integer({ minimum: 0, maximum: 100 }),
  }),
  autoAcceptFriends: Type.Boolean(),
  autoReply: StrictObject({
    maxPerContact: Type.Integer({ minimum: 0, maximum: 100, description: 'auto-replies to one contact (or room) per window' }),
    windowMinutes: Type.Integer({ minimum: 1, maximum: 1440 }),
  }),
});
export type BotSettings = Static<typeof BotSettingsSchema>;

/** Public reports: bursts get accounts restricted; 15–35 s random gaps and a few unanswered messages a day stay safe. */
export const DEFAULT_BOT_SETTINGS: BotSettings = {
  throttle: { replyMinGapMs: 3000, proactiveMinGapMs: 15_000, proactiveMaxGapMs: 35_000, dailyCap: 200, unansweredPerContactPerDay: 3 },
  autoAcceptFriends: true,
  autoReply: { maxPerContact: 3, windowMinutes: 10 },
};
