import type { Types } from 'mongoose';
import type { LoyaltyModels } from './models.ts';
import { shiftDay } from './shift-day.util.ts';

/** Recent check-ins read at once: one query covers any streak up to this long. */
const WINDOW = 40;
/** A bound on reads for streaks of years (each read covers a window). */
const MAX_READS = 20;

/**
 * Streaks from the check-in documents. Each stores the streak it ended when recorded; a later make-up can only
 * lengthen that, so the walk jumps `streak` days back and looks again, and the result is right after make-ups
 * without rewriting later days. An unpaid make-up still in flight does not count.
 */
export function createStreakWalker({ Checkin }: LoyaltyModels) {
  async function runEndingAt(customerId: Types.ObjectId, day: string): Promise<number> {
    let total = 0;
    let cursor = day;
    for (let read = 0; read < MAX_READS; read++) {
      const recent = await Checkin.find({ customerId, day: { $lte: cursor } }, { day: 1, streak: 1, makeup: 1, settled: 1 })
        .sort({ day: -1 })
        .limit(WINDOW)
        .lean();
      const byDay = new Map(recent.map((checkin) => [checkin.day, checkin]));
      const oldestRead = recent.length === WINDOW ? recent[WINDOW - 1].day : '';
      for (;;) {
        const checkin = byDay.get(cursor);
        if (!checkin) {
          // Missing inside what was read means no check-in that day; older than a full window, read on from there.
          if (cursor >= oldestRead) return total;
          break;
        }
        if (checkin.makeup && !checkin.settled) return total;
        total += checkin.streak;
        cursor = shiftDay({ day: cursor, days: -checkin.streak });
      }
    }
    return total;
  }

  return { runEndingAt };
}
