import type { Types } from 'mongoose';
import { coalescedFindBy } from '../../lib/coalesced-writes.ts';
import type { LoyaltyModels } from './models.ts';
import { shiftDay } from './shift-day.util.ts';

/** Enough for years of daily check-ins: each step jumps a whole recorded streak, so a step is usually the last. */
const MAX_STEPS = 100;

/**
 * Streaks from the check-in documents. Each stores the streak it ended when recorded; a later make-up can only
 * lengthen that, so the walk jumps `streak` days back and looks again, and the result is right after make-ups
 * without rewriting later days. An unpaid make-up still in flight does not count. Each step is an exact lookup
 * on the unique (customer, day) index, which stays fast on every database we run on; a range read does not.
 * Concurrent check-ins share those lookups: one query per tick and day.
 */
export function createStreakWalker({ Checkin }: LoyaltyModels) {
  const findCheckin = coalescedFindBy<{ streak: number; makeup?: boolean; settled?: boolean }>(Checkin, 'customerId', {
    customerId: 1,
    streak: 1,
    makeup: 1,
    settled: 1,
  });

  async function runEndingAt(customerId: Types.ObjectId, day: string): Promise<number> {
    let total = 0;
    let cursor = day;
    for (let step = 0; step < MAX_STEPS; step++) {
      const checkin = await findCheckin(String(customerId), { day: cursor });
      if (!checkin || (checkin.makeup && !checkin.settled)) break;
      total += checkin.streak;
      cursor = shiftDay({ day: cursor, days: -checkin.streak });
    }
    return total;
  }

  return { runEndingAt };
}
