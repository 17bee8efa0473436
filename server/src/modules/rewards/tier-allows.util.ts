/** True when the member's tier is at or above the reward's minimum; a minimum no longer in the settings allows no one. */
export function tierAllows({ tiers, memberTier, minTier }: { tiers: ReadonlyArray<{ code: string }>; memberTier: string; minTier?: string | null }): boolean {
  if (!minTier) return true;
  const required = tiers.findIndex((tier) => tier.code === minTier);
  const held = tiers.findIndex((tier) => tier.code === memberTier);
  return required >= 0 && held >= required;
}
