import type { FastifyBaseLogger } from 'fastify';
import type { Types } from 'mongoose';
import { DomainError } from '../../lib/errors.ts';
import type { Holds } from './holds.service.ts';
import type { RewardsModels } from './models.ts';
import type { RedemptionDriver } from './redemption-driver.ts';
import type { ReferralService } from './referral.service.ts';
import type { RedemptionRecord } from './redemption.types.ts';

export interface RedemptionReconcileReport {
  /** Unfinished redemptions driven to an end: issued, or refused with their holds given back. */
  issued: number;
  failed: number;
  /** Holds left on stock or quota by a crash after the redemption ended: settled (issued) or released (failed). */
  orphanHolds: number;
  referrals: number;
}

export interface ReconcileOptions {
  now?: Date;
  /** Redemptions younger than this may still be running in a request; left alone. */
  staleAfterMs?: number;
}

const DEFAULT_STALE_AFTER_MS = 5 * 60_000;

/**
 * Repairs what a crash mid-redemption leaves. An unfinished redemption is driven forward with its own steps:
 * through the public ledger API "is the spend there?" cannot be asked without risking a race with a slow request,
 * but posting the spend under the redemption's own key can — it answers the spend that exists, or makes the one
 * that was meant. When the points no longer cover it, the redemption fails and its stock and quota come back.
 */
export function createRedemptionReconciler(
  { Redemption, Reward, MemberQuota }: RewardsModels,
  deps: { driver: RedemptionDriver; holds: Holds; referrals: ReferralService; log: FastifyBaseLogger },
) {
  async function finishStale(cutoff: Date, now: Date, report: RedemptionReconcileReport): Promise<void> {
    const stale = Redemption.find({ status: { $in: ['reserving', 'charging'] }, createdAt: { $lt: cutoff } }).lean<RedemptionRecord>().cursor();
    for await (const redemption of stale) {
      try {
        await deps.driver.drive(redemption, now);
        report.issued++;
      } catch (error) {
        if (!(error instanceof DomainError) || error.statusCode >= 500) throw error;
        report.failed++;
        deps.log.info({ redemptionId: String(redemption._id), code: error.code }, 'unfinished redemption refused; holds given back');
      }
    }
  }

  /**
   * A hold whose redemption has ended. Issued: the unit was sold, so it is settled — when a crashed duplicate run
   * took it twice, this undersells by one rather than ever overselling. Failed: given back.
   */
  async function settleOrphan(redemptionId: Types.ObjectId): Promise<boolean> {
    const redemption = await Redemption.findById(redemptionId).lean<RedemptionRecord>();
    if (redemption?.status === 'issued') await deps.holds.settleAll(redemption);
    else if (redemption?.status === 'failed') await deps.holds.releaseAll(redemption);
    else return false;
    return true;
  }

  async function sweepHolds(report: RedemptionReconcileReport): Promise<void> {
    const holders = [
      Reward.find({ 'holds.0': { $exists: true } }, { holds: 1 }).lean().cursor(),
      MemberQuota.find({ 'holds.0': { $exists: true } }, { holds: 1 }).lean().cursor(),
    ];
    for (const cursor of holders) {
      for await (const holder of cursor) {
        for (const redemptionId of holder.holds) if (await settleOrphan(redemptionId)) report.orphanHolds++;
      }
    }
  }

  async function reconcileRedemptions(options: ReconcileOptions = {}): Promise<RedemptionReconcileReport> {
    const now = options.now ?? new Date();
    const cutoff = new Date(now.getTime() - (options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS));
    const report: RedemptionReconcileReport = { issued: 0, failed: 0, orphanHolds: 0, referrals: 0 };
    await finishStale(cutoff, now, report);
    await sweepHolds(report);
    report.referrals = await deps.referrals.finishInterrupted(cutoff);
    return report;
  }

  return { reconcileRedemptions };
}
