/**
 * Percent (0…100, whole) of lifetime points already earned towards the next tier. The card reply says how many
 * points are still missing, not where the current tier began, so the bar runs from zero; null means the top tier.
 */
export function tierProgress({ lifetimePoints, pointsNeeded }: { lifetimePoints: number; pointsNeeded: number | null }): number {
  if (pointsNeeded === null || pointsNeeded <= 0) return 100;
  const target = lifetimePoints + pointsNeeded;
  return Math.min(100, Math.floor((lifetimePoints / target) * 100));
}
