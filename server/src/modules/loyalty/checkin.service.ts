import type { Types } from 'mongoose';
import { coalescedInsert } from '../../lib/coalesced-writes.ts';
import { DomainError } from '../../lib/errors.ts';
import type { InteractionService } from '../customers/interaction.service.ts';
import type { SettingsService } from '../settings/settings.service.ts';
import { checkinReward, type CheckinReward } from './checkin-reward.util.ts';
import { isDuplicateKey } from './is-duplicate-key.util.ts';
import type { LedgerService } from './ledger.service.ts';
import type { EntryRecord, LastCheckin } from './ledger.types.ts';
import { changeCheckinHistory } from './checkin-history.ts';
import type { LoyaltySettingsService } from './loyalty-settings.service.ts';
import { localDay } from './local-day.util.ts';
import type { MemberService } from './member.service.ts';
import type { LoyaltyModels } from './models.ts';
import { toObjectId } from '../../lib/object-id.util.ts';
import { shiftDay } from './shift-day.util.ts';
import { createStreakWalker } from './streak-walker.ts';

export interface CheckInResult {
  day: string;
  streak: number;
  points: number;
  cycleDay: number;
  reward: CheckinReward;
  /** The balance right after the check-in's points. */
  balance: number | null;
}

interface CheckinFacts {
  day: string;
  streak: number;
  cycleDay: number;
  points: number;
}

export const checkinKey = (customerId: Types.ObjectId, day: string) => `checkin:${String(customerId)}:${day}`;

/**
 * Daily check-in, at most once per brand-local day. The ledger entry (unique key `checkin:<customer>:<day>`) is
 * written first and carries the day's facts, then the check-in document (unique on customer and day), then the
 * points are applied. Racing requests lose at the first unique index with ALREADY_CHECKED_IN; a crash at any
 * point leaves a pending entry from which reconcile restores the rest (`recover`).
 */
export function createCheckinService(
  models: LoyaltyModels,
  deps: { ledger: LedgerService; members: MemberService; settings: LoyaltySettingsService; brand: SettingsService; interactions: InteractionService },
) {
  const { Checkin } = models;
  const streaks = createStreakWalker(models);
  const insertCheckin = coalescedInsert<{ _id: Types.ObjectId }>(Checkin, { typed: true });

  async function memberId(customerId: string): Promise<Types.ObjectId> {
    const id = toObjectId(customerId);
    if (!id || !(await deps.members.counters(id))) throw new DomainError('NOT_A_MEMBER');
    return id;
  }

  async function today(now: Date): Promise<string> {
    const { timezone } = await deps.brand.getBrand();
    return localDay({ at: now, timeZone: timezone });
  }

  function recordInteraction(customerId: Types.ObjectId, facts: CheckinFacts, at: Date) {
    return deps.interactions.append({
      customerId,
      type: 'checkin',
      at,
      summary: `签到 连续${facts.streak}天 +${facts.points}`,
      data: { ...facts },
      sourceKey: checkinKey(customerId, facts.day),
    });
  }

  /**
   * The ledger entry first: its unique key decides a race. Then the check-in document; a crash between leaves a
   * pending entry from which reconcile writes it (`recover`).
   */
  async function writeRecords(id: Types.ObjectId, facts: CheckinFacts, now: Date): Promise<EntryRecord> {
    try {
      const entry = await deps.ledger.insertPending({
        customerId: id,
        kind: 'checkin',
        amount: facts.points,
        frozenDelta: 0,
        lifetimeDelta: facts.points,
        reason: `签到 连续第${facts.streak}天`,
        idempotencyKey: checkinKey(id, facts.day),
        at: now,
        meta: { ...facts },
      });
      await insertCheckin({ customerId: id, ...facts, settled: true, at: now });
      return entry;
    } catch (error) {
      if (isDuplicateKey(error)) throw new DomainError('ALREADY_CHECKED_IN', `already checked in on ${facts.day}`);
      throw error;
    }
  }

  /**
   * From the member's latest check-in when that was yesterday (no walk, no query). Otherwise walked: a day whose
   * points are still pending (a crash after its document) has a document but never set `lastCheckin`.
   */
  async function streakThroughYesterday(id: Types.ObjectId, day: string, last: LastCheckin | null | undefined): Promise<number> {
    const yesterday = shiftDay({ day, days: -1 });
    return last?.day === yesterday ? last.streak : streaks.runEndingAt(id, yesterday);
  }

  async function checkIn({ customerId, now = new Date() }: { customerId: string; now?: Date }): Promise<CheckInResult> {
    const id = toObjectId(customerId);
    if (!id) throw new DomainError('NOT_A_MEMBER');
    const [member, day, settings] = await Promise.all([deps.members.counters(id), today(now), deps.settings.getSettings()]);
    if (!member) throw new DomainError('NOT_A_MEMBER');
    const previous = await streakThroughYesterday(id, day, member.lastCheckin);
    const reward = checkinReward({ streak: previous + 1, cycle: settings.checkinCycle });
    const facts: CheckinFacts = { day, streak: previous + 1, cycleDay: reward.cycleDay, points: reward.points };
    const entry = await writeRecords(id, facts, now);
    const lastCheckin = { was: member.lastCheckin, changes: member.checkinHistoryChanges, now: { day, streak: facts.streak } };
    const [applied] = await Promise.all([deps.ledger.settle(entry, { expected: member, lastCheckin }), recordInteraction(id, facts, now)]);
    return { ...facts, reward, balance: applied.balanceAfter ?? null };
  }

  /** For reconcile, after it settled a pending check-in entry: the check-in document and interaction it may lack. */
  async function recover(entry: EntryRecord): Promise<void> {
    if (entry.kind !== 'checkin' || typeof entry.meta?.day !== 'string') return;
    const facts = entry.meta as unknown as CheckinFacts;
    await changeCheckinHistory(models, entry.customerId, () => Checkin.updateOne(
      { customerId: entry.customerId, day: facts.day },
      { $setOnInsert: { streak: facts.streak, cycleDay: facts.cycleDay, points: facts.points, makeup: false, settled: true, at: entry.at } },
      { upsert: true },
    ));
    await recordInteraction(entry.customerId, facts, entry.at);
  }

  /** The streak shown today: through today when checked in, else through yesterday (still alive until midnight). */
  async function currentStreak(customerId: Types.ObjectId, day: string): Promise<{ streak: number; checkedInToday: boolean }> {
    const throughToday = await streaks.runEndingAt(customerId, day);
    if (throughToday > 0) return { streak: throughToday, checkedInToday: true };
    return { streak: await streaks.runEndingAt(customerId, shiftDay({ day, days: -1 })), checkedInToday: false };
  }

  return { checkIn, recover, currentStreak, today, memberId, runEndingAt: streaks.runEndingAt };
}

export type CheckinService = ReturnType<typeof createCheckinService>;
