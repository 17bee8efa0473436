import type { LifecycleStage } from '../../../../shared/src/customer.ts';

export interface LifecycleThresholds {
  newDays: number;
  activeDays: number;
  churnDays: number;
}

const DAY_MS = 86_400_000;

/**
 * Lifecycle is derived from dates at read time rather than stored, so it is never stale and needs no
 * recompute job; filters compile to date ranges that the createdAt/lastActiveAt indexes serve.
 */
export function lifecycleStage(input: { createdAt: Date; lastActiveAt?: Date | null; now: Date; thresholds: LifecycleThresholds }): LifecycleStage {
  const age = input.now.getTime() - input.createdAt.getTime();
  if (age < input.thresholds.newDays * DAY_MS) return 'new';
  if (!input.lastActiveAt) return 'churned';
  const idle = input.now.getTime() - input.lastActiveAt.getTime();
  if (idle <= input.thresholds.activeDays * DAY_MS) return 'active';
  if (idle <= input.thresholds.churnDays * DAY_MS) return 'at-risk';
  return 'churned';
}

export function lifecycleFilter(stage: LifecycleStage, now: Date, thresholds: LifecycleThresholds): Record<string, unknown> {
  const daysAgo = (days: number) => new Date(now.getTime() - days * DAY_MS);
  const newSince = daysAgo(thresholds.newDays);
  if (stage === 'new') return { createdAt: { $gt: newSince } };
  const notNew = { createdAt: { $lte: newSince } };
  if (stage === 'active') return { ...notNew, lastActiveAt: { $gte: daysAgo(thresholds.activeDays) } };
  if (stage === 'at-risk') {
    return { ...notNew, lastActiveAt: { $gte: daysAgo(thresholds.churnDays), $lt: daysAgo(thresholds.activeDays) } };
  }
  return { ...notNew, $or: [{ lastActiveAt: { $lt: daysAgo(thresholds.churnDays) } }, { lastActiveAt: null }] };
}
