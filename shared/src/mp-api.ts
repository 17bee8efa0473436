/**
 * The mini-program API (`/api/mp/*`): request and reply schemas shared by the server's routes, the
 * mini-program's API client and the tests. Every route except POST /api/mp/login needs
 * `Authorization: Bearer <token>` with the consumer token from login.
 */
import { Type, type Static, type TSchema } from 'typebox';
import { IsoDateTime, LocalDate, ObjectIdString, StrictObject } from './schema.ts';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
/** Versions of the terms or of the consent wording the consumer saw, e.g. `2026-01` or `v3`. */
const VersionTag = Type.String({ pattern: '^[A-Za-z0-9._-]{1,40}$' });
const WechatCode = Type.String({ minLength: 1, maxLength: 128, pattern: '^[\\x21-\\x7e]+$' });
const Points = Type.Integer({ minimum: 0 });
const NoBody = StrictObject({});

// ── login and profile ────────────────────────────────────────────────────────────────────────────────────
/** POST /api/mp/login: the code from wx.login. */
export const MpLoginBody = StrictObject({ code: WechatCode });
export type MpLoginBody = Static<typeof MpLoginBody>;

export const MpCustomerBrief = StrictObject({ id: ObjectIdString, nickname: Nullable(Type.String()), isMember: Type.Boolean() });
export type MpCustomerBrief = Static<typeof MpCustomerBrief>;

export const MpLoginReply = StrictObject({ token: Type.String(), expiresAt: IsoDateTime, customer: MpCustomerBrief });
export type MpLoginReply = Static<typeof MpLoginReply>;

/**
 * POST /api/mp/join. `phoneCode` is the code from `<button open-type="getPhoneNumber">`; the terms must be
 * accepted; marketing consent is separate and optional, and needs the version of the wording shown.
 */
export const MpJoinBody = StrictObject(
  {
    phoneCode: WechatCode,
    acceptTerms: Type.Literal(true),
    termsVersion: VersionTag,
    marketingConsent: Type.Optional(Type.Boolean()),
    consentWordingVersion: Type.Optional(VersionTag),
    referralCode: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9]{4,32}$' })),
  },
  { dependencies: { marketingConsent: ['consentWordingVersion'] } },
);
export type MpJoinBody = Static<typeof MpJoinBody>;

export const MpJoinReply = StrictObject({
  customer: MpCustomerBrief,
  cardNumber: Type.String(),
  joinedAt: IsoDateTime,
  /** false when the consumer was a member already (joining twice is harmless). */
  created: Type.Boolean(),
  /** What happened to the referral code: none given, applied, or refused (unknown code, self-invitation…). */
  referral: Type.Union([Type.Literal('none'), Type.Literal('applied'), Type.Literal('refused')]),
});
export type MpJoinReply = Static<typeof MpJoinReply>;

export const MpConsentState = StrictObject({
  marketing: Type.Boolean(),
  wordingVersion: Nullable(Type.String()),
  at: Nullable(IsoDateTime),
});
export type MpConsentState = Static<typeof MpConsentState>;

/** GET /api/mp/me. The phone number is masked (138****5678). */
export const MpMeReply = StrictObject({
  id: ObjectIdString,
  nickname: Nullable(Type.String()),
  avatarUrl: Nullable(Type.String()),
  phone: Nullable(Type.String()),
  isMember: Type.Boolean(),
  consent: MpConsentState,
});
export type MpMeReply = Static<typeof MpMeReply>;

/** PUT /api/mp/me/consent: marketing messages on or off, with the version of the wording shown. */
export const MpConsentBody = StrictObject({ marketing: Type.Boolean(), wordingVersion: VersionTag });
export type MpConsentBody = Static<typeof MpConsentBody>;

// ── member card ──────────────────────────────────────────────────────────────────────────────────────────
export const MpTier = StrictObject({ code: Type.String(), name: Type.String(), multiplier: Type.Number() });
export const MpNextTier = StrictObject({ name: Type.String(), pointsNeeded: Points });

/** The dynamic member code: valid for this minute (and the next, for clock skew); fetch a new one before expiresAt. */
export const MpMemberCode = StrictObject({
  code: Type.String(),
  expiresAt: IsoDateTime,
  /** A PNG QR code of `code`, as a data URL for `<image src>`. */
  qrDataUrl: Type.String(),
});
export type MpMemberCode = Static<typeof MpMemberCode>;

export const MpCardSummary = StrictObject({
  cardNumber: Type.String(),
  tier: MpTier,
  balance: Points,
  /** Purchase points still inside the return window: shown, not yet spendable. */
  frozen: Points,
  lifetimePoints: Points,
  nextTier: Nullable(MpNextTier),
  joinedAt: IsoDateTime,
});
export type MpCardSummary = Static<typeof MpCardSummary>;

/** GET /api/mp/card (404 NOT_A_MEMBER before joining). GET /api/mp/card/code returns only `memberCode`. */
export const MpCardReply = StrictObject({ ...MpCardSummary.properties, memberCode: MpMemberCode });
export type MpCardReply = Static<typeof MpCardReply>;

// ── check-ins and points ─────────────────────────────────────────────────────────────────────────────────
/** POST /api/mp/checkins takes no fields: the day is always the server's, in the brand's time zone. */
export const MpCheckInBody = NoBody;

/** POST /api/mp/checkins/makeup: a missed day this month (补签); costs points. */
export const MpMakeUpBody = StrictObject({ day: LocalDate });
export type MpMakeUpBody = Static<typeof MpMakeUpBody>;

export const MpCalendarQuery = StrictObject({ month: Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$' }) });
export type MpCalendarQuery = Static<typeof MpCalendarQuery>;

export const MpPointsQuery = StrictObject({
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Integer({ minimum: 1, maximum: 50, default: 20 }),
});
export type MpPointsQuery = Static<typeof MpPointsQuery>;

// ── subscribe-message grants ─────────────────────────────────────────────────────────────────────────────
export const TemplateId = Type.String({ pattern: '^[A-Za-z0-9_-]{10,64}$' });
export const MP_SUBSCRIBE_RESULTS = ['accept', 'reject', 'ban', 'filter'] as const;
export const MpSubscribeResult = Type.Enum(MP_SUBSCRIBE_RESULTS);

/**
 * POST /api/mp/subscriptions: the result of wx.requestSubscribeMessage, template id → decision, without its
 * `errMsg` field. Every 'accept' is one message the brand may send later.
 */
export const MpSubscriptionsBody = StrictObject({
  results: Type.Record(TemplateId, MpSubscribeResult, { minProperties: 1, maxProperties: 10, additionalProperties: false }),
});
export type MpSubscriptionsBody = Static<typeof MpSubscriptionsBody>;

export const MpGrant = StrictObject({
  templateId: Type.String(),
  available: Points,
  lastResult: MpSubscribeResult,
  lastResultAt: IsoDateTime,
});
export const MpSubscriptionsReply = StrictObject({ items: Type.Array(MpGrant) });
export type MpSubscriptionsReply = Static<typeof MpSubscriptionsReply>;
