import type { FastifyBaseLogger } from 'fastify';
import type { Types } from 'mongoose';
import { DomainError } from '../../lib/errors.ts';
import type { CustomerService } from '../customers/customer.service.ts';
import type { InteractionService } from '../customers/interaction.service.ts';
import type { LedgerService } from './ledger.service.ts';
import type { EntryRecord } from './ledger.types.ts';
import type { LoyaltySettingsService } from './loyalty-settings.service.ts';
import type { LoyaltyModels } from './models.ts';
import { purchasePoints } from './purchase-points.util.ts';
import { toObjectId } from '../../lib/object-id.util.ts';
import { createRefunds } from './refund.ts';
import { tierProgress } from './tier.util.ts';

export interface PurchaseAward {
  receiptNo: string;
  customerId: string;
  amountCents: number;
  points: number;
  /** Until then the points are frozen (not spendable); null when the return window is 0 or no points were earned. */
  frozenUntil: Date | null;
  /** False when the receipt had been awarded before: the first award is returned, nothing is added. */
  created: boolean;
  balance: number | null;
}

const DAY_MS = 86_400_000;
const MAX_AMOUNT_CENTS = 10_000_000_000;
export const purchaseKey = (receiptNo: string) => `purchase:${receiptNo}`;

function toAward(entry: EntryRecord, created: boolean): PurchaseAward {
  const meta = entry.meta ?? {};
  return {
    receiptNo: String(meta.receiptNo),
    customerId: String(entry.customerId),
    amountCents: Number(meta.amountCents),
    points: entry.amount,
    frozenUntil: entry.frozenUntil ?? null,
    created,
    balance: entry.balanceAfter ?? null,
  };
}

export function createPurchaseService(
  models: LoyaltyModels,
  deps: { ledger: LedgerService; settings: LoyaltySettingsService; customers: CustomerService; interactions: InteractionService; log: FastifyBaseLogger },
) {
  const { Member, PointsEntry } = models;
  const refunds = createRefunds(models, deps);

  async function earn(id: Types.ObjectId, lifetimePoints: number, input: { receiptNo: string; amountCents: number; staffId?: string }, now: Date): Promise<PurchaseAward> {
    const { receiptNo, amountCents, staffId } = input;
    const settings = await deps.settings.getSettings();
    const { tier } = tierProgress({ lifetimePoints, tiers: settings.tiers });
    const points = purchasePoints({ amountCents, pointsPerYuan: settings.pointsPerYuan, multiplier: tier.multiplier });
    if (points === 0) return { receiptNo, customerId: String(id), amountCents, points: 0, frozenUntil: null, created: true, balance: null };
    const frozen = settings.returnWindowDays > 0;
    try {
      const { entry, created } = await deps.ledger.post({
        customerId: id,
        kind: 'purchase',
        amount: points,
        frozenDelta: frozen ? points : 0,
        lifetimeDelta: points,
        reason: `消费 ¥${(amountCents / 100).toFixed(2)}`,
        idempotencyKey: purchaseKey(receiptNo),
        at: now,
        meta: { receiptNo, amountCents, multiplier: tier.multiplier, tier: tier.code, ...(staffId ? { staffId } : {}) },
        frozenState: frozen ? 'frozen' : 'released',
        ...(frozen ? { frozenUntil: new Date(now.getTime() + settings.returnWindowDays * DAY_MS) } : {}),
      });
      return toAward(entry, created);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'IDEMPOTENCY_KEY_REUSED') throw new DomainError('RECEIPT_TAKEN');
      throw error;
    }
  }

  /** Purchase points, idempotent on the receipt number; frozen for the return window; the customer becomes at least a `customer`. */
  async function awardPurchase(input: { customerId: string; receiptNo: string; amountCents: number; staffId?: string; now?: Date }): Promise<PurchaseAward> {
    const { receiptNo, amountCents, staffId, now = new Date() } = input;
    if (!Number.isSafeInteger(amountCents) || amountCents < 1 || amountCents > MAX_AMOUNT_CENTS) {
      throw new DomainError('VALIDATION_FAILED', 'amountCents is not valid', [{ path: '/body/amountCents', message: 'an integer from 1' }]);
    }
    if (typeof receiptNo !== 'string' || !/^[\w-]{1,64}$/.test(receiptNo)) {
      throw new DomainError('VALIDATION_FAILED', 'receiptNo is not valid', [{ path: '/body/receiptNo', message: '1-64 letters, digits, _ or -' }]);
    }
    const id = toObjectId(input.customerId);
    const member = id ? await Member.findOne({ customerId: id }, { lifetimePoints: 1 }).lean() : null;
    if (!id || !member) throw new DomainError('NOT_A_MEMBER');
    const existing = await deps.ledger.findByKey(purchaseKey(receiptNo));
    if (existing && !existing.customerId.equals(id)) throw new DomainError('RECEIPT_TAKEN');
    const award = existing ? toAward(await deps.ledger.settleExisting(existing), false) : await earn(id, member.lifetimePoints, input, now);
    const meta = { receiptNo, amountCents: award.amountCents, ...(staffId ? { staffId } : {}) };
    await deps.customers.raiseLayer(id, 'customer', 'purchase');
    await deps.interactions.append({
      customerId: id,
      type: 'points',
      at: now,
      actorId: staffId,
      summary: `消费 ¥${(amountCents / 100).toFixed(2)} 积分 +${award.points}`,
      data: { event: 'purchase', ...meta, points: award.points },
      sourceKey: purchaseKey(receiptNo),
    });
    return award;
  }

  /** Releases frozen points whose return window has passed; safe to run on several instances and to re-run. */
  async function releaseFrozen({ now = new Date() }: { now?: Date } = {}): Promise<{ released: number; points: number }> {
    let released = 0;
    let points = 0;
    const due = PointsEntry.find({ frozenState: 'frozen', frozenUntil: { $lte: now }, status: 'applied' }).lean<EntryRecord[]>().cursor();
    for await (const entry of due) {
      const claimed = await PointsEntry.updateOne({ _id: entry._id, frozenState: 'frozen' }, { $set: { frozenState: 'releasing' } });
      if (!claimed.modifiedCount) continue;
      await refunds.finishRelease(entry);
      released++;
      points += entry.frozenDelta;
    }
    // Releases a crash interrupted between the claim and the release entry.
    for await (const entry of PointsEntry.find({ frozenState: 'releasing', frozenUntil: { $lte: now } }).lean<EntryRecord[]>().cursor()) {
      await refunds.finishRelease(entry);
    }
    return { released, points };
  }

  return { awardPurchase, refundPurchase: refunds.refundPurchase, releaseFrozen, finishInterrupted: refunds.finishInterrupted };
}

export type PurchaseService = ReturnType<typeof createPurchaseService>;
