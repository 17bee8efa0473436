import type { FastifyBaseLogger } from 'fastify';
import type { Types } from 'mongoose';
import { DomainError } from '../../lib/errors.ts';
import type { SettingsService } from '../settings/settings.service.ts';
import { expiryCutoff } from './expiry-cutoff.util.ts';
import type { LedgerService } from './ledger.service.ts';
import type { LoyaltySettingsService } from './loyalty-settings.service.ts';
import type { LoyaltyModels } from './models.ts';

export interface ExpiryReport {
  /** The last earning month whose points have now expired (YYYY-MM), or null when points never expire. */
  expiredMonth: string | null;
  members: number;
  points: number;
}

/**
 * Points expire first in, first out: spends, expiries and other debits consume the oldest points first. So what
 * expires at the cutoff is max(0, points earned before the cutoff − everything debited so far). Refunds that void
 * a purchase still frozen cancel that purchase itself, not older points, and are left out of the debits.
 */
export function createExpiryService(
  { Member, PointsEntry }: LoyaltyModels,
  deps: { ledger: LedgerService; settings: LoyaltySettingsService; brand: SettingsService; log: FastifyBaseLogger },
) {
  async function expiringPoints(customerId: Types.ObjectId, cutoff: Date): Promise<number> {
    const [sums] = await PointsEntry.aggregate<{ earned: number; debited: number }>([
      { $match: { customerId, status: 'applied' } },
      {
        $group: {
          _id: null,
          earned: { $sum: { $cond: [{ $and: [{ $gt: ['$amount', 0] }, { $lt: ['$at', cutoff] }] }, '$amount', 0] } },
          debited: { $sum: { $cond: [{ $and: [{ $lt: ['$amount', 0] }, { $eq: ['$frozenDelta', 0] }] }, { $subtract: [0, '$amount'] }, 0] } },
        },
      },
    ]);
    return sums ? Math.max(0, sums.earned - sums.debited) : 0;
  }

  /** Writes one 'expire' entry per member per expiry period, keyed so a re-run (or a second instance) adds nothing. */
  async function expirePoints({ now = new Date() }: { now?: Date } = {}): Promise<ExpiryReport> {
    const [{ expiryMonths }, { timezone }] = await Promise.all([deps.settings.getSettings(), deps.brand.getBrand()]);
    if (expiryMonths === 0) return { expiredMonth: null, members: 0, points: 0 };
    const { cutoff, expiredMonth } = expiryCutoff({ now, timeZone: timezone, expiryMonths });
    const report: ExpiryReport = { expiredMonth, members: 0, points: 0 };
    const members = Member.find({}, { customerId: 1, balance: 1, frozen: 1 }).sort({ _id: 1 }).lean().cursor({ batchSize: 500 });
    for await (const member of members) {
      const spendable = member.balance - member.frozen;
      if (spendable <= 0) continue;
      const amount = Math.min(spendable, await expiringPoints(member.customerId, cutoff));
      if (amount <= 0) continue;
      try {
        const { entry, created } = await deps.ledger.post({
          customerId: member.customerId,
          kind: 'expire',
          amount: -amount,
          frozenDelta: 0,
          lifetimeDelta: 0,
          reason: `${expiredMonth} 及以前获得的积分到期`,
          idempotencyKey: `expire:${String(member.customerId)}:${expiredMonth}`,
          at: now,
          meta: { expiredMonth, cutoff },
        });
        if (created) {
          report.members++;
          report.points -= entry.amount;
        }
      } catch (error) {
        // A spend got in between. Nothing is lost: the next period's expiry is computed from the whole ledger.
        if (!(error instanceof DomainError && error.code === 'INSUFFICIENT_POINTS')) throw error;
        deps.log.warn({ customerId: String(member.customerId), expiredMonth }, 'points expiry refused; retried on the next run');
      }
    }
    return report;
  }

  return { expirePoints };
}
