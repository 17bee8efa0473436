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
/** No fields: the body may be omitted or `{}`. Without `type: object` an absent body passes; any field fails. */
const NoBody = Type.Unsafe<Record<string, never> | undefined>({
  additionalProperties: false,
  not: { type: ['array', 'string', 'number', 'boolean'] },
  description: 'no fields; omit the body or send {}',
});

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
export const MpNextTier = StrictObject({ code: Type.String(), name: Type.String(), pointsNeeded: Points });

/** The dynamic member code: valid for this minute (and the next, for clock skew); fetch a new one before expiresAt. */
export const MpMemberCode = StrictObject({
  code: Type.String(),
  expiresAt: IsoDateTime,
  /** A PNG QR code of `code`, as a data URL for `<image src>`. */
  qrDataUrl: Type.String(),
});
export type MpMemberCode = Static<typeof MpMemberCode>;

export const MpCardSummary = StrictObject({
  /** Digits only, for the barcode; the last one is a check digit. */
  cardNumber: Type.String(),
  /** Grouped for reading aloud: "8800 1234 5". */
  cardNumberDisplay: Type.String(),
  tier: MpTier,
  /** All points held, frozen included. */
  balance: Points,
  /** Purchase points still inside the return window: shown, not yet spendable. */
  frozen: Points,
  /** balance − frozen: what can be spent now. */
  available: Points,
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

export const MpCheckInReward = StrictObject({
  /** 1…N: this day's place in the reward cycle. */
  cycleDay: Type.Integer({ minimum: 1 }),
  points: Points,
  /** A day paying more than the cycle's smallest reward (e.g. day 7). */
  bonus: Type.Boolean(),
  /** What tomorrow pays if the streak continues. */
  nextPoints: Points,
});

/** POST /api/mp/checkins → 200; 409 ALREADY_CHECKED_IN when today is done; 404 NOT_A_MEMBER before joining. */
export const MpCheckInReply = StrictObject({
  day: LocalDate,
  streak: Type.Integer({ minimum: 1 }),
  points: Points,
  cycleDay: Type.Integer({ minimum: 1 }),
  reward: MpCheckInReward,
  /** The balance right after the check-in; null when the day paid nothing. */
  balance: Nullable(Type.Integer()),
});
export type MpCheckInReply = Static<typeof MpCheckInReply>;

/** POST /api/mp/checkins/makeup: a missed day earlier this month (补签); costs points, limited per month. */
export const MpMakeUpBody = StrictObject({ day: LocalDate });
export type MpMakeUpBody = Static<typeof MpMakeUpBody>;

/** 409 INSUFFICIENT_POINTS, MAKEUP_LIMIT or ALREADY_CHECKED_IN; 400 for a day outside this month. */
export const MpMakeUpReply = StrictObject({
  day: LocalDate,
  cost: Points,
  /** The current streak after the make-up. */
  streak: Type.Integer({ minimum: 0 }),
  balance: Nullable(Type.Integer()),
});
export type MpMakeUpReply = Static<typeof MpMakeUpReply>;

/** GET /api/mp/checkins?month=YYYY-MM */
export const MpCalendarQuery = StrictObject({ month: Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$' }) });
export type MpCalendarQuery = Static<typeof MpCalendarQuery>;

export const MpCalendarReply = StrictObject({
  month: Type.String(),
  today: LocalDate,
  checkedInToday: Type.Boolean(),
  /** Consecutive days through today (or through yesterday while today is still open). */
  streak: Type.Integer({ minimum: 0 }),
  /** What today paid, or what checking in now would pay. */
  todayReward: StrictObject({ points: Points, cycleDay: Type.Integer({ minimum: 1 }), bonus: Type.Boolean() }),
  days: Type.Array(StrictObject({ day: LocalDate, points: Points, makeup: Type.Boolean() })),
  makeup: StrictObject({ cost: Points, perMonth: Points, usedThisMonth: Points }),
});
export type MpCalendarReply = Static<typeof MpCalendarReply>;

/** GET /api/mp/points?cursor&limit: the points ledger, newest first; pass nextCursor back for the next page. */
export const MpPointsQuery = StrictObject({
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Integer({ minimum: 1, maximum: 50, default: 20 }),
});
export type MpPointsQuery = Static<typeof MpPointsQuery>;

export const MP_LEDGER_KINDS = ['earn', 'spend', 'expire', 'adjust', 'purchase', 'refund', 'checkin', 'referral', 'release'] as const;

export const MpPointsEntry = StrictObject({
  id: ObjectIdString,
  kind: Type.Enum(MP_LEDGER_KINDS),
  /** + earned, − spent or expired; 0 for 'release' (frozen purchase points becoming spendable). */
  amount: Type.Integer(),
  reason: Type.String(),
  balanceAfter: Nullable(Type.Integer()),
  at: IsoDateTime,
  /** Purchase points: when they become spendable; null otherwise. */
  frozenUntil: Nullable(IsoDateTime),
});
export type MpPointsEntry = Static<typeof MpPointsEntry>;

export const MpPointsPage = StrictObject({ items: Type.Array(MpPointsEntry), nextCursor: Nullable(Type.String()) });
export type MpPointsPage = Static<typeof MpPointsPage>;

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
