import type { LedgerEntryDto, MemberCardDto } from '../../../../shared/src/loyalty.ts';
import type { LedgerEntry } from './ledger.types.ts';
import type { MemberCard } from './member.service.ts';

/** The member card as the API sends it (shared with the mini-program). */
export function toMemberCardDto(card: MemberCard): MemberCardDto {
  return { ...card, joinedAt: card.joinedAt.toISOString() };
}

/** A ledger entry as the API sends it: no idempotency key, no internal metadata. */
export function toLedgerEntryDto(entry: LedgerEntry): LedgerEntryDto {
  return {
    id: entry.id,
    kind: entry.kind,
    amount: entry.amount,
    frozenDelta: entry.frozenDelta,
    reason: entry.reason,
    balanceAfter: entry.balanceAfter,
    at: entry.at.toISOString(),
    frozenUntil: entry.frozenUntil?.toISOString() ?? null,
  };
}
