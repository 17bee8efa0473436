import type { Types } from 'mongoose';
import { DomainError } from '../../lib/errors.ts';
import type { InteractionService } from '../customers/interaction.service.ts';
import type { SettingsService } from '../settings/settings.service.ts';
import { checkinReward, type CheckinReward } from './checkin-reward.util.ts';
import { isDuplicateKey } from './is-duplicate-key.util.ts';
import type { LedgerService } from './ledger.service.ts';
import type { LoyaltySettingsService } from './loyalty-settings.service.ts';
import { localDay } from './local-day.util.ts';
import type { MemberService } from './member.service.ts';
import type { LoyaltyModels } from './models.ts';
import { toObjectId } from './object-id.util.ts';
import { shiftDay } from './shift-day.util.ts';
import { createStreakWalker } from './streak-walker.ts';

export interface CheckInResult {
  day: string;
  streak: number;
  points: number;
  cycleDay: number;
  reward: CheckinReward;
  /** The balance right after the check-in's points; null when the day paid nothing. */
  balance: number | null;
}

export const checkinKey = (customerId: Types.ObjectId, day: string) => `checkin:${String(customerId)}:${day}`;

export function createCheckinService(
  models: LoyaltyModels,
  deps: { ledger: LedgerService; members: MemberService; settings: LoyaltySettingsService; brand: SettingsService; interactions: InteractionService },
) {
  const { Checkin } = models;
  const streaks = createStreakWalker(models);

  async function memberId(customerId: string): Promise<Types.ObjectId> {
    const id = toObjectId(customerId);
    if (!id || !(await deps.members.isMember(id))) throw new DomainError('NOT_A_MEMBER');
    return id;
  }

  async function today(now: Date): Promise<string> {
    const { timezone } = await deps.brand.getBrand();
    return localDay({ at: now, timeZone: timezone });
  }

  /** Posts the day's points and records the interaction; also how reconcile finishes a check-in a crash left. */
  async function award(checkin: { _id: Types.ObjectId; customerId: Types.ObjectId; day: string; streak: number; cycleDay: number; points: number; at: Date }) {
    const key = checkinKey(checkin.customerId, checkin.day);
    const entry = checkin.points > 0
      ? (await deps.ledger.post({
          customerId: checkin.customerId,
          kind: 'checkin',
          amount: checkin.points,
          frozenDelta: 0,
          lifetimeDelta: checkin.points,
          reason: `签到 连续第${checkin.streak}天`,
          idempotencyKey: key,
          at: checkin.at,
          meta: { day: checkin.day, streak: checkin.streak, cycleDay: checkin.cycleDay },
        })).entry
      : null;
    await Promise.all([
      Checkin.updateOne({ _id: checkin._id }, { $set: { settled: true } }),
      deps.interactions.append({
        customerId: checkin.customerId,
        type: 'checkin',
        at: checkin.at,
        summary: `签到 连续${checkin.streak}天 +${checkin.points}`,
        data: { day: checkin.day, streak: checkin.streak, points: checkin.points },
        sourceKey: key,
      }),
    ]);
    return entry;
  }

  /** At most one per brand-local day, enforced by the unique index on (customerId, day): racing requests get ALREADY_CHECKED_IN. */
  async function checkIn({ customerId, now = new Date() }: { customerId: string; now?: Date }): Promise<CheckInResult> {
    const id = toObjectId(customerId);
    if (!id) throw new DomainError('NOT_A_MEMBER');
    const dayOfCheckIn = today(now);
    // The hot path: the membership check and the streak walk go to the database side by side.
    const [member, day, settings, previous] = await Promise.all([
      deps.members.isMember(id),
      dayOfCheckIn,
      deps.settings.getSettings(),
      dayOfCheckIn.then((day) => streaks.runEndingAt(id, shiftDay({ day, days: -1 }))),
    ]);
    if (!member) throw new DomainError('NOT_A_MEMBER');
    const streak = previous + 1;
    const reward = checkinReward({ streak, cycle: settings.checkinCycle });
    let checkin;
    try {
      checkin = await Checkin.create({ customerId: id, day, streak, cycleDay: reward.cycleDay, points: reward.points, at: now });
    } catch (error) {
      if (isDuplicateKey(error)) throw new DomainError('ALREADY_CHECKED_IN', `already checked in on ${day}`);
      throw error;
    }
    const entry = await award(checkin);
    return { day, streak, points: reward.points, cycleDay: reward.cycleDay, reward, balance: entry?.balanceAfter ?? null };
  }

  /** The streak shown today: through today when checked in, else through yesterday (still alive until midnight). */
  async function currentStreak(customerId: Types.ObjectId, day: string): Promise<{ streak: number; checkedInToday: boolean }> {
    const throughToday = await streaks.runEndingAt(customerId, day);
    if (throughToday > 0) return { streak: throughToday, checkedInToday: true };
    return { streak: await streaks.runEndingAt(customerId, shiftDay({ day, days: -1 })), checkedInToday: false };
  }

  return { checkIn, currentStreak, award, today, memberId, runEndingAt: streaks.runEndingAt };
}

export type CheckinService = ReturnType<typeof createCheckinService>;
