import { Type } from 'typebox';
import { LedgerEntrySchema, LedgerPageSchema, MemberCardSchema } from '../../../../shared/src/loyalty.ts';
import { ObjectIdString, StrictObject } from '../../../../shared/src/schema.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
export const ReceiptNo = Type.String({ pattern: '^[\\w-]{1,64}$', description: 'the till receipt number: letters, digits, _ or -' });

export const MemberParams = StrictObject({ customerId: ObjectIdString });
export const CardParams = StrictObject({ cardNumber: Type.String({ pattern: '^[0-9][0-9 -]{7,14}[0-9]$' }) });
export const ReceiptParams = StrictObject({ receiptNo: ReceiptNo });

export const LedgerQuery = StrictObject({
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
});

export const PurchaseBody = StrictObject({
  receiptNo: ReceiptNo,
  amountCents: Type.Integer({ minimum: 1, maximum: 10_000_000_000, description: 'the amount paid, in fen' }),
});

export const AdjustmentBody = StrictObject({
  amount: Type.Integer({ minimum: -1_000_000, maximum: 1_000_000, not: { const: 0 }, description: 'points to add (+) or remove (−)' }),
  reason: Type.String({ minLength: 2, maxLength: 200 }),
});

export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ pattern: '^[\\w:.-]{8,100}$' })),
});

export const MemberWithLedger = StrictObject({ member: MemberCardSchema, ledger: LedgerPageSchema });

export const PurchaseAwardSchema = StrictObject({
  receiptNo: Type.String(),
  customerId: Type.String(),
  amountCents: Type.Integer(),
  points: Type.Integer(),
  frozenUntil: Nullable(Type.String({ format: 'date-time' })),
  created: Type.Boolean(),
  balance: Nullable(Type.Integer()),
});

export const RefundResultSchema = StrictObject({
  receiptNo: Type.String(),
  customerId: Type.String(),
  refundedPoints: Type.Integer(),
  balance: Nullable(Type.Integer()),
  created: Type.Boolean(),
});

export const AdjustmentResultSchema = StrictObject({ entry: LedgerEntrySchema });
