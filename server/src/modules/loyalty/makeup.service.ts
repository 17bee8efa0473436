import type { Types } from 'mongoose';
import { DomainError } from '../../lib/errors.ts';
import type { InteractionService } from '../customers/interaction.service.ts';
import type { CheckinService } from './checkin.service.ts';
import { isDuplicateKey } from './is-duplicate-key.util.ts';
import type { LedgerService } from './ledger.service.ts';
import type { LoyaltySettingsService } from './loyalty-settings.service.ts';
import type { LoyaltyModels } from './models.ts';
import { shiftDay } from './shift-day.util.ts';
import { changeCheckinHistory } from './checkin-history.ts';

export interface MakeUpResult {
  day: string;
  cost: number;
  /** The current streak after the make-up. */
  streak: number;
  balance: number | null;
}

export const makeupKey = (checkinId: Types.ObjectId) => `makeup:${String(checkinId)}`;

function isRealDay(day: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(day) && shiftDay({ day, days: 0 }) === day;
}

/**
 * Make-up check-in (补签): fills a missed day of the current month for points, a limited number of times a month.
 * It pays no check-in reward; what it buys is the unbroken streak. The day is claimed first (the unique index on
 * customer and day), then counted against the month's limit, then paid; a refusal at either step removes it.
 */
export function createMakeupService(
  models: LoyaltyModels,
  deps: { checkins: CheckinService; ledger: LedgerService; settings: LoyaltySettingsService; interactions: InteractionService },
) {
  const { Checkin } = models;
  async function withinLimit(customerId: Types.ObjectId, month: string, perMonth: number): Promise<boolean> {
    // Counted after claiming: two racing make-ups may both be refused, but the limit is never exceeded.
    const used = await Checkin.countDocuments({ customerId, makeup: true, day: { $gte: `${month}-01`, $lte: `${month}-31` } });
    return used <= perMonth;
  }

  async function makeUpCheckIn({ customerId, day, now = new Date() }: { customerId: string; day: string; now?: Date }): Promise<MakeUpResult> {
    const [id, today, settings] = await Promise.all([deps.checkins.memberId(customerId), deps.checkins.today(now), deps.settings.getSettings()]);
    if (!isRealDay(day) || day >= today || day.slice(0, 7) !== today.slice(0, 7)) {
      throw new DomainError('VALIDATION_FAILED', 'a make-up check-in is for a missed day earlier this month', [
        { path: '/body/day', message: `a day from ${today.slice(0, 7)}-01 to before ${today}` },
      ]);
    }
    const streak = (await deps.checkins.runEndingAt(id, shiftDay({ day, days: -1 }))) + 1;
    let checkin;
    try {
      checkin = await Checkin.create({ customerId: id, day, streak, makeup: true, cost: settings.makeupCost, at: now });
    } catch (error) {
      if (isDuplicateKey(error)) throw new DomainError('ALREADY_CHECKED_IN', `already checked in on ${day}`);
      throw error;
    }
    if (!(await withinLimit(id, day.slice(0, 7), settings.makeupPerMonth))) {
      await Checkin.deleteOne({ _id: checkin._id });
      throw new DomainError('MAKEUP_LIMIT', `at most ${settings.makeupPerMonth} make-up check-ins a month`);
    }
    const balance = await changeCheckinHistory(models, id, () => pay(checkin));
    await deps.interactions.append({
      customerId: id,
      type: 'checkin',
      at: now,
      summary: `补签 ${day} −${checkin.cost}`,
      data: { day, makeup: true, cost: checkin.cost },
      sourceKey: makeupKey(checkin._id),
    });
    const { streak: current } = await deps.checkins.currentStreak(id, today);
    return { day, cost: checkin.cost, streak: current, balance };
  }

  async function pay(checkin: { _id: Types.ObjectId; customerId: Types.ObjectId; day: string; cost: number; at: Date }): Promise<number | null> {
    let balance: number | null = null;
    if (checkin.cost > 0) {
      try {
        const { entry } = await deps.ledger.post({
          customerId: checkin.customerId,
          kind: 'spend',
          amount: -checkin.cost,
          frozenDelta: 0,
          lifetimeDelta: 0,
          reason: `补签 ${checkin.day}`,
          idempotencyKey: makeupKey(checkin._id),
          at: checkin.at,
          meta: { day: checkin.day, makeup: true },
        });
        balance = entry.balanceAfter ?? null;
      } catch (error) {
        await Checkin.deleteOne({ _id: checkin._id, settled: false });
        throw error;
      }
    }
    const settled = await Checkin.updateOne({ _id: checkin._id }, { $set: { settled: true } });
    if (!settled.matchedCount) {
      // Reconcile gave up on this make-up while we were stalled and removed it: give the points back.
      if (checkin.cost > 0) await deps.ledger.post({
        customerId: checkin.customerId,
        kind: 'adjust',
        amount: checkin.cost,
        frozenDelta: 0,
        lifetimeDelta: 0,
        reason: `补签 ${checkin.day} 退回`,
        idempotencyKey: `${makeupKey(checkin._id)}:returned`,
        at: new Date(),
      });
      throw new DomainError('CONFLICT', 'the make-up check-in was interrupted; try again');
    }
    return balance;
  }

  return { makeUpCheckIn };
}

export type MakeupService = ReturnType<typeof createMakeupService>;
