import type { FastifyInstance } from 'fastify';

export const RELEASE_FROZEN_JOB = 'loyalty.release-frozen';
export const EXPIRE_POINTS_JOB = 'loyalty.expire-points';

/** Both jobs are idempotent (claims and ledger keys), so a run repeated or overlapping on two instances is harmless. */
export function registerLoyaltyJobs(fastify: FastifyInstance): void {
  fastify.jobs.define(RELEASE_FROZEN_JOB, async () => {
    const result = await fastify.loyalty.releaseFrozen();
    if (result.released) fastify.log.info(result, 'frozen points released');
  });
  fastify.jobs.define(EXPIRE_POINTS_JOB, async () => {
    const result = await fastify.loyalty.expirePoints();
    fastify.log.info(result, 'points expiry ran');
  });
  fastify.jobs.every('10 minutes', RELEASE_FROZEN_JOB);
  // Shortly after midnight in the scheduler's zone; the expiry month itself is computed in the brand's time zone.
  fastify.jobs.every('20 0 * * *', EXPIRE_POINTS_JOB);
}
