import { Type, type TSchema } from 'typebox';
import { MpCardSummary } from '../../../../shared/src/mp-api.ts';
import { IsoDateTime, ObjectIdString, StrictObject } from '../../../../shared/src/schema.ts';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const MemberCode = Type.String({ minLength: 1, maxLength: 200, description: 'the scanned dynamic member code' });

export const ScanBody = StrictObject({ code: MemberCode });

export const ScanReply = StrictObject({
  customerId: ObjectIdString,
  customer: StrictObject({ name: Nullable(Type.String()), nickname: Nullable(Type.String()), avatarUrl: Nullable(Type.String()) }),
  card: MpCardSummary,
});

export const ScanPurchaseBody = StrictObject({
  code: MemberCode,
  receiptNo: Type.String({ pattern: '^[\\w-]{1,64}$' }),
  amountCents: Type.Integer({ minimum: 1, maximum: 10_000_000_000 }),
});

export const ScanPurchaseReply = StrictObject({
  customerId: ObjectIdString,
  receiptNo: Type.String(),
  amountCents: Type.Integer(),
  points: Type.Integer(),
  /** Until then the points are frozen (the return window); null when nothing is frozen. */
  frozenUntil: Nullable(IsoDateTime),
  /** false when this receipt had earned its points before: nothing was added. */
  created: Type.Boolean(),
  balance: Nullable(Type.Integer()),
});
