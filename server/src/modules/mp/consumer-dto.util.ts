import type { MpCardSummary, MpConsentState, MpMeReply, MpPointsEntry } from '../../../../shared/src/mp-api.ts';
import type { CustomerRecord } from '../customers/customer-dto.util.ts';
import { maskPhone } from '../customers/phone.util.ts';
import type { LedgerEntry } from '../loyalty/ledger.types.ts';
import type { MemberCard } from '../loyalty/member.service.ts';

/** What the consumer sees of their own record: no identities, unionid, tags or staff notes. */
export function toMe(customer: CustomerRecord, isMember: boolean): MpMeReply {
  const consent = customer.consents?.find((entry) => entry.channel === 'mp');
  const state: MpConsentState = {
    marketing: consent?.status === 'granted',
    wordingVersion: consent?.wordingVersion ?? null,
    at: consent?.at ? consent.at.toISOString() : null,
  };
  return {
    id: String(customer._id),
    nickname: customer.nickname ?? null,
    avatarUrl: customer.avatarUrl ?? null,
    phone: customer.phone ? maskPhone(customer.phone) : null,
    isMember,
    consent: state,
  };
}

/** The card without internal ids. */
export function toCardSummary(member: MemberCard): MpCardSummary {
  return {
    cardNumber: member.cardNumber,
    cardNumberDisplay: member.cardNumberDisplay,
    tier: member.tier,
    balance: member.balance,
    frozen: member.frozen,
    available: member.available,
    lifetimePoints: member.lifetimePoints,
    nextTier: member.nextTier,
    joinedAt: member.joinedAt.toISOString(),
  };
}

/** A ledger line as the member sees it: no idempotency keys or staff metadata. */
export function toPointsEntry(entry: LedgerEntry): MpPointsEntry {
  return {
    id: entry.id,
    kind: entry.kind,
    amount: entry.amount,
    reason: entry.reason,
    balanceAfter: entry.balanceAfter,
    at: entry.at.toISOString(),
    frozenUntil: entry.frozenUntil ? entry.frozenUntil.toISOString() : null,
  };
}
