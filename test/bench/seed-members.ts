import { ObjectId, type Document } from 'mongodb';
import { luhnCheckDigit } from '../../server/src/modules/loyalty/luhn-check-digit.util.ts';

/** member.model.ts's NO_ENTRY_ID, lower than every ObjectId: nothing compacted yet. */
const NO_ENTRY_ID = new ObjectId('000000000000000000000000');

/** The n-th seeded card number: 8 digits counted up from 10000000 (unique by construction) and the Luhn check digit. */
export function benchCardNumber(n: number): string {
  const body = String(10_000_000 + n);
  return `${body}${luhnCheckDigit(body)}`;
}

/**
 * A `members` document with every field member.model.ts requires, as enrolment leaves it: no points, the lowest
 * tier, no ledger entry applied yet.
 */
export function memberDocument(options: { customerId: ObjectId; n: number; joinedAt: Date; tierCode: string }): Document {
  return {
    customerId: options.customerId,
    cardNumber: benchCardNumber(options.n),
    joinedAt: options.joinedAt,
    balance: 0,
    frozen: 0,
    lifetimePoints: 0,
    tierCode: options.tierCode,
    appliedEntryIds: [],
    appliedThrough: NO_ENTRY_ID,
    lastCheckin: null,
    createdAt: options.joinedAt,
    updatedAt: options.joinedAt,
  };
}
