import type { FastifyInstance } from 'fastify';

export const RELEASE_FROZEN_JOB = 'loyalty.release-frozen';
export const EXPIRE_POINTS_JOB = 'loyalty.expire-points';
export const RECONCILE_POINTS_JOB = 'loyalty.reconcile-points';

/** Every job is idempotent (claims, ledger keys, compare-and-set fixes), so a run repeated or overlapping on two instances is harmless. */
export function registerLoyaltyJobs(fastify: FastifyInstance): void {
  fastify.jobs.define(RELEASE_FROZEN_JOB, async () => {
    const result = await fastify.loyalty.releaseFrozen();
    if (result.released) fastify.log.info(result, 'frozen points released');
  });
  fastify.jobs.define(EXPIRE_POINTS_JOB, async () => {
    const result = await fastify.loyalty.expirePoints();
    fastify.log.info(result, 'points expiry ran');
  });
  // What `npm run reconcile:points` does, nightly: finishes what crashes left pending and compacts applied ids.
  fastify.jobs.define(RECONCILE_POINTS_JOB, async () => {
    const { checked, pending, completed, repaired, drifted, fixed } = await fastify.loyalty.reconcile({ fix: true, pendingOlderThanMs: 60_000 });
    const summary = { checked, pending, completed, repaired, drifted: drifted.length, fixed };
    if (drifted.length) fastify.log.warn({ ...summary, customerIds: drifted.slice(0, 20).map((drift) => drift.customerId) }, 'points drifted from the ledger and were fixed');
    else fastify.log.info(summary, 'points reconciled');
  });
  fastify.jobs.every('10 minutes', RELEASE_FROZEN_JOB);
  // Shortly after midnight in the scheduler's zone; the expiry month itself is computed in the brand's time zone.
  fastify.jobs.every('20 0 * * *', EXPIRE_POINTS_JOB);
  fastify.jobs.every('40 3 * * *', RECONCILE_POINTS_JOB);
}
