/**
 * Loyalty shapes shared by the server's routes (staff and mini-program) and the mini-program's API client.
 * Dates travel as ISO 8601 strings; points are integers.
 */
import { Type, type Static } from 'typebox';
import { StrictObject } from './schema.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const Points = Type.Integer();

export const MemberCardSchema = StrictObject({
  customerId: Type.String(),
  cardNumber: Type.String({ description: '8 digits and a Luhn check digit' }),
  cardNumberDisplay: Type.String({ description: 'grouped for reading aloud, e.g. "8800 1234 5"' }),
  tier: StrictObject({ code: Type.String(), name: Type.String(), multiplier: Type.Number() }),
  balance: Type.Integer({ description: 'all points held, frozen included' }),
  frozen: Type.Integer({ description: 'purchase points inside the return window: not spendable yet' }),
  available: Type.Integer({ description: 'balance − frozen' }),
  lifetimePoints: Points,
  nextTier: Nullable(StrictObject({ code: Type.String(), name: Type.String(), pointsNeeded: Points })),
  joinedAt: Type.String({ format: 'date-time' }),
});
export type MemberCardDto = Static<typeof MemberCardSchema>;

export const LEDGER_ENTRY_KINDS = ['earn', 'spend', 'expire', 'adjust', 'purchase', 'refund', 'checkin', 'referral', 'release'] as const;

export const LedgerEntrySchema = StrictObject({
  id: Type.String(),
  kind: Type.Enum(LEDGER_ENTRY_KINDS, { description: 'release: frozen points became spendable (amount 0)' }),
  amount: Type.Integer({ description: 'change to the balance: + earned, − spent' }),
  frozenDelta: Type.Integer(),
  reason: Type.String(),
  balanceAfter: Nullable(Type.Integer()),
  at: Type.String({ format: 'date-time' }),
  frozenUntil: Nullable(Type.String({ format: 'date-time' })),
});
export type LedgerEntryDto = Static<typeof LedgerEntrySchema>;

export const LedgerPageSchema = StrictObject({ items: Type.Array(LedgerEntrySchema), nextCursor: Nullable(Type.String()) });
export type LedgerPageDto = Static<typeof LedgerPageSchema>;

export const CheckInResultSchema = StrictObject({
  day: Type.String({ description: 'brand-local day, YYYY-MM-DD' }),
  streak: Type.Integer({ minimum: 1 }),
  points: Points,
  cycleDay: Type.Integer({ minimum: 1 }),
  reward: StrictObject({ cycleDay: Type.Integer(), points: Points, bonus: Type.Boolean(), nextPoints: Points }),
  balance: Nullable(Type.Integer()),
});
export type CheckInResultDto = Static<typeof CheckInResultSchema>;

export const MakeUpResultSchema = StrictObject({
  day: Type.String(),
  cost: Points,
  streak: Type.Integer(),
  balance: Nullable(Type.Integer()),
});
export type MakeUpResultDto = Static<typeof MakeUpResultSchema>;

export const CheckinCalendarSchema = StrictObject({
  month: Type.String({ description: 'YYYY-MM' }),
  today: Type.String(),
  checkedInToday: Type.Boolean(),
  streak: Type.Integer({ minimum: 0 }),
  todayReward: StrictObject({ points: Points, cycleDay: Type.Integer(), bonus: Type.Boolean() }),
  days: Type.Array(StrictObject({ day: Type.String(), points: Points, makeup: Type.Boolean() })),
  makeup: StrictObject({ cost: Points, perMonth: Type.Integer(), usedThisMonth: Type.Integer() }),
});
export type CheckinCalendarDto = Static<typeof CheckinCalendarSchema>;

/** A make-up request: only the day; its month and "not in the future" are checked against the server's clock. */
export const MakeUpBody = StrictObject({ day: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }) });
export const CalendarQuery = StrictObject({ month: Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$' }) });
