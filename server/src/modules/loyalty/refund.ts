import type { FastifyBaseLogger } from 'fastify';
import { DomainError } from '../../lib/errors.ts';
import type { InteractionService } from '../customers/interaction.service.ts';
import type { LedgerService } from './ledger.service.ts';
import type { EntryRecord } from './ledger.types.ts';
import type { LoyaltyModels } from './models.ts';

export interface RefundResult {
  receiptNo: string;
  customerId: string;
  /** Points taken back from the balance. */
  refundedPoints: number;
  balance: number | null;
  /** False when the receipt had been refunded before: the first refund is returned. */
  created: boolean;
}

const REFUND_ATTEMPTS = 5;
const receiptOf = (purchase: EntryRecord) => String(purchase.meta?.receiptNo ?? '');

/**
 * Refund rule: inside the return window the purchase's frozen points are voided whole. After release they may
 * have been spent, so the refund takes back what is still spendable, up to the purchase's points, and never takes
 * the balance below zero: points already spent are not clawed back. Either way the purchase's lifetime points are
 * taken back, so a refund can lower the tier. The purchase entry is claimed first (frozen|released → voiding), so
 * a refund racing the release job or another refund happens once.
 */
export function createRefunds({ Member, PointsEntry }: LoyaltyModels, deps: { ledger: LedgerService; interactions: InteractionService; log: FastifyBaseLogger }) {
  async function finishRelease(purchase: EntryRecord): Promise<void> {
    await deps.ledger.post({
      customerId: purchase.customerId,
      kind: 'release',
      amount: 0,
      frozenDelta: -purchase.frozenDelta,
      lifetimeDelta: 0,
      reason: '积分解冻',
      idempotencyKey: `release:${String(purchase._id)}`,
      at: new Date(),
      relatedEntryId: purchase._id,
      meta: purchase.meta?.receiptNo ? { receiptNo: purchase.meta.receiptNo } : undefined,
    });
    await PointsEntry.updateOne({ _id: purchase._id, frozenState: 'releasing' }, { $set: { frozenState: 'released' } });
  }

  async function postRefund(purchase: EntryRecord, staffId?: string): Promise<EntryRecord> {
    const points = purchase.amount;
    const fromFrozen = purchase.voidedFrom === 'frozen';
    for (let attempt = 1; attempt <= REFUND_ATTEMPTS; attempt++) {
      let amount = points;
      if (!fromFrozen) {
        const member = await Member.findOne({ customerId: purchase.customerId }, { balance: 1, frozen: 1 }).lean();
        amount = Math.min(points, Math.max(0, (member?.balance ?? 0) - (member?.frozen ?? 0)));
      }
      try {
        // A new key per attempt: an attempt refused because a spend got in first must not stand for the refund.
        const { entry } = await deps.ledger.post({
          customerId: purchase.customerId,
          kind: 'refund',
          amount: -amount,
          frozenDelta: fromFrozen ? -purchase.frozenDelta : 0,
          lifetimeDelta: -purchase.lifetimeDelta,
          reason: `退货 ${receiptOf(purchase)}`,
          idempotencyKey: `refund:${receiptOf(purchase)}:${attempt}`,
          at: new Date(),
          relatedEntryId: purchase._id,
          meta: { receiptNo: receiptOf(purchase), purchasePoints: points, ...(staffId ? { staffId } : {}) },
        });
        return entry;
      } catch (error) {
        if (!(error instanceof DomainError && error.code === 'INSUFFICIENT_POINTS')) throw error;
      }
    }
    throw new DomainError('CONFLICT', 'the balance kept changing; try the refund again');
  }

  async function completeVoid(purchase: EntryRecord, staffId?: string): Promise<EntryRecord> {
    const refund = await postRefund(purchase, staffId);
    await PointsEntry.updateOne({ _id: purchase._id, frozenState: 'voiding' }, { $set: { frozenState: 'voided' } });
    await deps.interactions.append({
      customerId: purchase.customerId,
      type: 'points',
      actorId: staffId,
      summary: `退货 ${receiptOf(purchase)} 积分 −${-refund.amount}`,
      data: { event: 'refund', receiptNo: receiptOf(purchase), points: -refund.amount },
      sourceKey: `refund:${receiptOf(purchase)}`,
    });
    return refund;
  }

  /** Moves the purchase to 'voiding' (finishing a release under way first); returns the purchase as it now stands. */
  async function claim(purchase: EntryRecord): Promise<EntryRecord> {
    let current = purchase;
    for (let attempt = 0; attempt < 5; attempt++) {
      const state = current.frozenState;
      if (state === 'releasing') await finishRelease(current);
      else if (state === 'frozen' || state === 'released') {
        const claimed = await PointsEntry.findOneAndUpdate(
          { _id: current._id, frozenState: state },
          { $set: { frozenState: 'voiding', voidedFrom: state } },
          { returnDocument: 'after' },
        ).lean<EntryRecord>();
        if (claimed) return claimed;
      } else return current;
      current = (await PointsEntry.findById(current._id).lean<EntryRecord>()) ?? current;
    }
    throw new DomainError('CONFLICT', 'the purchase is changing; try the refund again');
  }

  /** Null when the receipt earned no points here. */
  async function refundPurchase({ receiptNo, staffId }: { receiptNo: string; staffId?: string }): Promise<RefundResult | null> {
    let purchase = await deps.ledger.findByKey(`purchase:${receiptNo}`);
    if (!purchase || purchase.kind !== 'purchase') return null;
    if (purchase.status === 'pending') purchase = await deps.ledger.settleExisting(purchase);
    if (purchase.status !== 'applied') return null;
    const claimed = await claim(purchase);
    let refund: EntryRecord | null;
    const created = claimed.frozenState === 'voiding';
    if (created) refund = await completeVoid(claimed, staffId);
    else refund = await PointsEntry.findOne({ relatedEntryId: purchase._id, kind: 'refund', status: 'applied' }).lean<EntryRecord>();
    return {
      receiptNo,
      customerId: String(purchase.customerId),
      refundedPoints: refund ? -refund.amount : 0,
      balance: refund?.balanceAfter ?? null,
      created,
    };
  }

  /** For reconcile: releases and refunds a crash interrupted after their claim. */
  async function finishInterrupted(): Promise<number> {
    let finished = 0;
    for await (const entry of PointsEntry.find({ frozenState: { $in: ['releasing', 'voiding'] } }).lean<EntryRecord[]>().cursor()) {
      try {
        if (entry.frozenState === 'releasing') await finishRelease(entry);
        else await completeVoid(entry);
        finished++;
      } catch (error) {
        deps.log.error({ err: error, entryId: String(entry._id) }, 'could not finish an interrupted release or refund');
      }
    }
    return finished;
  }

  return { refundPurchase, finishRelease, finishInterrupted };
}
