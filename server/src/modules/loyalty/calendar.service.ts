import { DomainError } from '../../lib/errors.ts';
import type { CheckinService } from './checkin.service.ts';
import { checkinReward } from './checkin-reward.util.ts';
import type { LoyaltySettingsService } from './loyalty-settings.service.ts';
import type { LoyaltyModels } from './models.ts';

export interface CheckinCalendar {
  month: string;
  today: string;
  checkedInToday: boolean;
  /** Consecutive days through today (or through yesterday, while today is still open). */
  streak: number;
  /** Today's reward: what was awarded, or what checking in now would pay. */
  todayReward: { points: number; cycleDay: number; bonus: boolean };
  days: Array<{ day: string; points: number; makeup: boolean }>;
  makeup: { cost: number; perMonth: number; usedThisMonth: number };
}

export function createCalendarService({ Checkin }: LoyaltyModels, deps: { checkins: CheckinService; settings: LoyaltySettingsService }) {
  async function calendar({ customerId, month, now = new Date() }: { customerId: string; month: string; now?: Date }): Promise<CheckinCalendar> {
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) {
      throw new DomainError('VALIDATION_FAILED', 'month is YYYY-MM', [{ path: '/querystring/month', message: 'YYYY-MM' }]);
    }
    const [id, today, settings] = await Promise.all([deps.checkins.memberId(customerId), deps.checkins.today(now), deps.settings.getSettings()]);
    const thisMonth = today.slice(0, 7);
    const [rows, current, usedThisMonth] = await Promise.all([
      Checkin.find({ customerId: id, day: { $gte: `${month}-01`, $lte: `${month}-31` } }, { day: 1, points: 1, makeup: 1, settled: 1, streak: 1, cycleDay: 1 })
        .sort({ day: 1 })
        .lean(),
      deps.checkins.currentStreak(id, today),
      Checkin.countDocuments({ customerId: id, makeup: true, day: { $gte: `${thisMonth}-01`, $lte: `${thisMonth}-31` } }),
    ]);
    const days = rows.filter((row) => !row.makeup || row.settled).map((row) => ({ day: row.day, points: row.points, makeup: row.makeup }));
    const todays = current.checkedInToday ? await Checkin.findOne({ customerId: id, day: today }, { points: 1, cycleDay: 1 }).lean() : null;
    // Checked in: what today paid (the bonus judged by today's rules). Not yet: what checking in now would pay.
    const reward = todays
      ? { ...checkinReward({ streak: todays.cycleDay, cycle: settings.checkinCycle }), points: todays.points, cycleDay: todays.cycleDay }
      : checkinReward({ streak: current.streak + 1, cycle: settings.checkinCycle });
    const todayReward = { points: reward.points, cycleDay: reward.cycleDay, bonus: reward.bonus };
    return {
      month,
      today,
      checkedInToday: current.checkedInToday,
      streak: current.streak,
      todayReward,
      days,
      makeup: { cost: settings.makeupCost, perMonth: settings.makeupPerMonth, usedThisMonth },
    };
  }

  return { calendar };
}
