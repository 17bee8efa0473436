import type { Tier } from './loyalty-settings.schemas.ts';

export interface TierProgress {
  tier: Tier;
  nextTier: { code: string; name: string; threshold: number; pointsNeeded: number } | null;
}

/** The tier lifetime points reach, and how far the next one is. Tiers arrive sorted by threshold, the first at 0. */
export function tierProgress({ lifetimePoints, tiers }: { lifetimePoints: number; tiers: readonly Tier[] }): TierProgress {
  let index = 0;
  while (index + 1 < tiers.length && lifetimePoints >= tiers[index + 1].threshold) index++;
  const next = tiers[index + 1];
  return {
    tier: tiers[index],
    nextTier: next ? { code: next.code, name: next.name, threshold: next.threshold, pointsNeeded: next.threshold - lifetimePoints } : null,
  };
}
