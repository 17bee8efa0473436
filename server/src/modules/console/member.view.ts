import type { LedgerEntryDto, MemberCardDto } from '../../../../shared/src/loyalty.ts';
import type { Tier } from '../loyalty/loyalty-settings.schemas.ts';
import type { Dictionary, Locale } from './console-i18n.ts';
import { formatDateTime } from './format-date-time.util.ts';

type When = (iso: string | null) => string | null;

export interface MemberInput {
  card: MemberCardDto;
  displayName: string;
  ledger: { items: LedgerEntryDto[]; nextCursor: string | null };
  tiers: Tier[];
  mayAdjust: boolean;
  t: Dictionary;
  locale: Locale;
  timeZone: string;
}

/** How far from the current tier's threshold to the next one; mirrored by tierProgress() in assets/member-page.js. */
function tierProgress(card: Pick<MemberCardDto, 'tier' | 'nextTier' | 'lifetimePoints'>, tiers: Pick<Tier, 'code' | 'threshold'>[]): number {
  if (!card.nextTier) return 100;
  const from = tiers.find((tier) => tier.code === card.tier.code)?.threshold ?? 0;
  const to = card.lifetimePoints + card.nextTier.pointsNeeded;
  return to > from ? Math.round(((card.lifetimePoints - from) / (to - from)) * 1000) / 10 : 0;
}

/** Mirrored by ledgerFields() in assets/member-page.js for the rows a refresh or "load more" brings. */
function ledgerRow(entry: LedgerEntryDto, t: Dictionary, when: When) {
  const text = t.loyalty.members;
  return {
    id: entry.id,
    kind: entry.kind,
    at: when(entry.at),
    kindLabel: text.kinds[entry.kind],
    amount: entry.amount > 0 ? `+${entry.amount}` : String(entry.amount),
    sign: entry.amount > 0 ? 'plus' : entry.amount < 0 ? 'minus' : 'zero',
    reason: entry.reason,
    frozen: entry.frozenUntil && entry.frozenDelta > 0 ? text.frozenUntil.replace('{date}', when(entry.frozenUntil) ?? '') : '',
    balanceAfter: entry.balanceAfter === null ? t.common.none : String(entry.balanceAfter),
  };
}

function nextTierText(card: MemberCardDto, t: Dictionary): string {
  if (!card.nextTier) return t.loyalty.members.topTier;
  return t.loyalty.members.nextTier.replace('{name}', card.nextTier.name).replace('{points}', String(card.nextTier.pointsNeeded));
}

export function memberView({ card, displayName, ledger, tiers, mayAdjust, t, locale, timeZone }: MemberInput) {
  const when: When = (iso) => formatDateTime(iso, locale, timeZone);
  return {
    title: `${displayName} · ${t.loyalty.members.title}`,
    timeZone,
    member: {
      ...card,
      displayName,
      profileHref: `/console/customers/${card.customerId}`,
      joined: when(card.joinedAt),
      nextTierText: nextTierText(card, t),
      progress: tierProgress(card, tiers),
    },
    ledger: { rows: ledger.items.map((entry) => ledgerRow(entry, t, when)), nextCursor: ledger.nextCursor },
    mayAdjust,
  };
}

export function memberClientData(t: Dictionary, tiers: Tier[]) {
  const text = t.loyalty.members;
  return {
    ...text,
    none: t.common.none,
    tiers: tiers.map(({ code, threshold }) => ({ code, threshold })),
  };
}
