import { randomInt } from 'node:crypto';
import type { Types } from 'mongoose';
import { coalescedFindBy } from '../../lib/coalesced-writes.ts';
import { DomainError } from '../../lib/errors.ts';
import type { CustomerService } from '../customers/customer.service.ts';
import type { InteractionService } from '../customers/interaction.service.ts';
import { formatCardNumber } from './format-card-number.util.ts';
import { isDuplicateKey } from './is-duplicate-key.util.ts';
import type { EntryRecord, LastCheckin, MemberSnapshot } from './ledger.types.ts';
import type { LoyaltySettingsService } from './loyalty-settings.service.ts';
import { luhnCheckDigit } from './luhn-check-digit.util.ts';
import type { LoyaltyModels } from './models.ts';
import { normalizeCardNumber } from './normalize-card-number.util.ts';
import { toObjectId } from '../../lib/object-id.util.ts';
import { tierProgress } from './tier.util.ts';

export interface MemberCard {
  customerId: string;
  cardNumber: string;
  /** Grouped for reading aloud: "8800 1234 5". */
  cardNumberDisplay: string;
  tier: { code: string; name: string; multiplier: number };
  /** All points held, frozen included. */
  balance: number;
  frozen: number;
  /** balance − frozen: what can be spent now. */
  available: number;
  lifetimePoints: number;
  nextTier: { code: string; name: string; pointsNeeded: number } | null;
  joinedAt: Date;
}

interface MemberRecord {
  customerId: Types.ObjectId;
  cardNumber: string;
  balance: number;
  frozen: number;
  lifetimePoints: number;
  joinedAt: Date;
}

/** `lastCheckin` undefined: the field is absent (unknown); see member.model.ts. */
export type MemberCounters = MemberSnapshot & { lastCheckin?: LastCheckin | null; checkinHistoryChanges?: number };

const CARD_ATTEMPTS = 8;

/** 8 random digits (never a leading 0, so nothing is lost when read aloud) and a Luhn check digit. */
function newCardNumber(): string {
  const body = String(randomInt(10_000_000, 100_000_000));
  return `${body}${luhnCheckDigit(body)}`;
}

export function createMemberService(
  { Member }: LoyaltyModels,
  deps: { settings: LoyaltySettingsService; customers: CustomerService; interactions: InteractionService },
) {
  // Check-ins ask this for every request: concurrent ones share one query.
  const findCounters = coalescedFindBy<MemberCounters & Record<string, unknown>>(Member, 'customerId', {
    customerId: 1,
    balance: 1,
    frozen: 1,
    lifetimePoints: 1,
    tierCode: 1,
    lastCheckin: 1,
    checkinHistoryChanges: 1,
  });

  async function toCard(member: MemberRecord): Promise<MemberCard> {
    const { tiers } = await deps.settings.getSettings();
    const { tier, nextTier } = tierProgress({ lifetimePoints: member.lifetimePoints, tiers });
    return {
      customerId: String(member.customerId),
      cardNumber: member.cardNumber,
      cardNumberDisplay: formatCardNumber(member.cardNumber),
      tier: { code: tier.code, name: tier.name, multiplier: tier.multiplier },
      balance: member.balance,
      frozen: member.frozen,
      available: member.balance - member.frozen,
      lifetimePoints: member.lifetimePoints,
      nextTier: nextTier && { code: nextTier.code, name: nextTier.name, pointsNeeded: nextTier.pointsNeeded },
      joinedAt: member.joinedAt,
    };
  }

  /** Joins the program once: a second call returns the same card with `created: false`. */
  async function enroll({ customerId, now = new Date() }: { customerId: string; now?: Date }) {
    const id = toObjectId(customerId);
    const customer = id ? await deps.customers.get(String(id)) : null;
    if (!id || !customer) throw new DomainError('NOT_FOUND', `customer ${customerId} not found`);
    const { tiers } = await deps.settings.getSettings();
    let result: { cardNumber: string; joinedAt: Date; created: boolean } | null = null;
    for (let attempt = 0; attempt < CARD_ATTEMPTS && !result; attempt++) {
      try {
        const created = await Member.create({ customerId: id, cardNumber: newCardNumber(), joinedAt: now, tierCode: tiers[0].code });
        result = { cardNumber: created.cardNumber, joinedAt: created.joinedAt, created: true };
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        // Either this customer joined already (a retry or a race) or the card number was taken: try another.
        const existing = await Member.findOne({ customerId: id }, { cardNumber: 1, joinedAt: 1 }).lean();
        if (existing) result = { cardNumber: existing.cardNumber, joinedAt: existing.joinedAt, created: false };
      }
    }
    if (!result) throw new DomainError('CONFLICT', 'no free card number found; try again');
    // Repeated on every call, so a crash after the insert is finished by the retry; both steps are idempotent.
    await deps.customers.raiseLayer(id, 'member', 'loyalty enrolment');
    await deps.interactions.append({
      customerId: id,
      type: 'points',
      at: result.joinedAt,
      summary: `加入会员 卡号 ${formatCardNumber(result.cardNumber)}`,
      data: { event: 'enrolled', cardNumber: result.cardNumber },
      sourceKey: `loyalty-enroll:${String(id)}`,
    });
    return result;
  }

  async function getMember(customerId: string): Promise<MemberCard | null> {
    const id = toObjectId(customerId);
    const member = id ? await Member.findOne({ customerId: id }).lean<MemberRecord>() : null;
    return member ? toCard(member) : null;
  }

  async function findMemberByCardNumber(cardNumber: string): Promise<MemberCard | null> {
    const normalized = normalizeCardNumber(cardNumber);
    const member = normalized ? await Member.findOne({ cardNumber: normalized }).lean<MemberRecord>() : null;
    return member ? toCard(member) : null;
  }

  /** The member's points counters and latest check-in, or null for a customer who has not joined. */
  async function counters(customerId: Types.ObjectId): Promise<MemberCounters | null> {
    return findCounters(String(customerId));
  }

  /**
   * Records a tier change once. The update is conditional on the lifetime points this entry produced, so when
   * entries race, only the change computed from the latest state is written.
   */
  async function recordTierChange(entry: EntryRecord, member: MemberSnapshot): Promise<void> {
    if (entry.lifetimeDelta === 0) return;
    const { tiers } = await deps.settings.getSettings();
    const { tier } = tierProgress({ lifetimePoints: member.lifetimePoints, tiers });
    if (tier.code === member.tierCode) return;
    const changed = await Member.updateOne(
      { customerId: member.customerId, tierCode: member.tierCode, lifetimePoints: member.lifetimePoints },
      { $set: { tierCode: tier.code } },
    );
    if (!changed.modifiedCount) return;
    const from = tiers.find((candidate) => candidate.code === member.tierCode);
    const upgrade = !from || tier.threshold > from.threshold;
    await deps.interactions.append({
      customerId: member.customerId,
      type: 'points',
      summary: `会员等级 ${from?.name ?? member.tierCode} → ${tier.name}`,
      data: { event: upgrade ? 'tier_upgraded' : 'tier_downgraded', from: member.tierCode, to: tier.code, lifetimePoints: member.lifetimePoints },
    });
  }

  return { enroll, getMember, findMemberByCardNumber, counters, recordTierChange };
}

export type MemberService = ReturnType<typeof createMemberService>;
