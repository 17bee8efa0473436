import { DomainError } from '../../lib/errors.ts';
import type { CustomerService } from '../customers/customer.service.ts';
import type { LoyaltyService } from '../loyalty/loyalty.service.ts';
import { toCardSummary } from './consumer-dto.util.ts';
import type { MemberCodes } from './member-code.service.ts';

/**
 * The in-store side of the member code. A code may be looked up again within its window (the cashier scans
 * twice); purchases are idempotent on the receipt number, so a replayed code cannot earn twice for one receipt.
 */
export function createScanService(deps: { memberCodes: MemberCodes; loyalty: LoyaltyService; customers: CustomerService }) {
  function customerIdFrom(code: string, now: Date): string {
    const check = deps.memberCodes.verify(code, now);
    if (check.ok) return check.customerId;
    if (check.reason === 'expired') throw new DomainError('MEMBER_CODE_EXPIRED');
    throw new DomainError('MEMBER_CODE_INVALID', `the member code is not valid (${check.reason})`);
  }

  async function lookup(code: string, now: Date = new Date()) {
    const customerId = customerIdFrom(code, now);
    const [member, customer] = await Promise.all([deps.loyalty.getMember(customerId), deps.customers.get(customerId)]);
    if (!member || !customer) throw new DomainError('NOT_A_MEMBER', 'this code belongs to no member');
    return {
      customerId,
      customer: { name: customer.name ?? null, nickname: customer.nickname ?? null, avatarUrl: customer.avatarUrl ?? null },
      card: toCardSummary(member),
    };
  }

  async function purchase(input: { code: string; receiptNo: string; amountCents: number; staffId: string }, now: Date = new Date()) {
    const customerId = customerIdFrom(input.code, now);
    const award = await deps.loyalty.awardPurchase({ customerId, receiptNo: input.receiptNo, amountCents: input.amountCents, staffId: input.staffId });
    return { ...award, frozenUntil: award.frozenUntil ? award.frozenUntil.toISOString() : null };
  }

  return { lookup, purchase };
}

export type ScanService = ReturnType<typeof createScanService>;
