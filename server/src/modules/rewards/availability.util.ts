/** A reward's switch and validity window, as stored. */
export interface RewardWindow {
  active: boolean;
  validFrom?: Date | null;
  validTo?: Date | null;
}

/** Active, and inside its window (from inclusive, to exclusive). */
export function isAvailableAt(reward: RewardWindow, now: Date): boolean {
  if (!reward.active) return false;
  if (reward.validFrom && reward.validFrom.getTime() > now.getTime()) return false;
  return !(reward.validTo && reward.validTo.getTime() <= now.getTime());
}

/** The same rule as a query, so a conditional update checks it atomically with the stock. */
export function availableFilter(now: Date): Record<string, unknown> {
  return {
    active: true,
    $and: [{ $or: [{ validFrom: null }, { validFrom: { $lte: now } }] }, { $or: [{ validTo: null }, { validTo: { $gt: now } }] }],
  };
}
