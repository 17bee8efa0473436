import type { Tier } from '../loyalty/loyalty-settings.schemas.ts';
import type { RewardDto } from '../rewards/rewards.schemas.ts';
import type { Dictionary, Locale } from './console-i18n.ts';
import { formatDateTime } from './format-date-time.util.ts';

export interface RewardsInput {
  page: { items: RewardDto[]; nextCursor: string | null };
  cursor: string | undefined;
  tiers: Tier[];
  t: Dictionary;
  locale: Locale;
  timeZone: string;
}

function validity(reward: RewardDto, t: Dictionary, when: (iso: string | null) => string | null): string {
  if (!reward.validFrom && !reward.validTo) return t.rewards.catalog.anyTime;
  return `${when(reward.validFrom) ?? ''} – ${when(reward.validTo) ?? ''}`;
}

export function rewardsView({ page, cursor, tiers, t, locale, timeZone }: RewardsInput) {
  const text = t.rewards.catalog;
  const when = (iso: string | null) => formatDateTime(iso, locale, timeZone);
  const tierName = (code: string | null) => (code ? (tiers.find((tier) => tier.code === code)?.name ?? code) : text.anyTier);
  // Redemptions as bars beside the numbers: the popular rewards stand out at a glance.
  const most = Math.max(0, ...page.items.map((reward) => reward.redeemedCount));
  return {
    title: text.title,
    rows: page.items.map((reward) => ({
      ...reward,
      limit: reward.perMemberLimit ?? text.unlimited,
      validity: validity(reward, t, when),
      minTier: tierName(reward.minTierCode),
      redeemedPercent: most ? Math.round((reward.redeemedCount / most) * 1000) / 10 : 0,
      json: JSON.stringify(reward),
    })),
    tierOptions: [{ value: '', label: text.anyTier }, ...tiers.map((tier) => ({ value: tier.code, label: tier.name }))],
    pager: page.nextCursor || cursor ? { next: page.nextCursor ? `/console/rewards?cursor=${encodeURIComponent(page.nextCursor)}` : null, first: cursor ? '/console/rewards' : null } : null,
  };
}

export const rewardsClientData = (t: Dictionary) => {
  const { newReward, editReward, form } = t.rewards.catalog;
  return { newReward, editReward, currentStock: form.currentStock };
};
