import type { FastifyInstance } from 'fastify';

export const RECONCILE_REDEMPTIONS_JOB = 'rewards.reconcile-redemptions';

/** Idempotent (every step keyed by the redemption), so an overlapping run on another instance is harmless. */
export function registerRewardsJobs(fastify: FastifyInstance): void {
  fastify.jobs.define(RECONCILE_REDEMPTIONS_JOB, async () => {
    const report = await fastify.rewards.reconcileRedemptions();
    if (report.issued + report.failed + report.orphanHolds + report.referrals > 0) fastify.log.warn(report, 'finished redemptions a crash had interrupted');
  });
  fastify.jobs.every('5 minutes', RECONCILE_REDEMPTIONS_JOB);
}
