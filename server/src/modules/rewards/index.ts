import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { createRewardsModels } from './models.ts';
import { mpRewardsRoutes } from './mp-rewards.routes.ts';
import { redemptionsRoutes } from './redemptions.routes.ts';
import { registerRewardsJobs } from './rewards.jobs.ts';
import { rewardsRoutes } from './rewards.routes.ts';
import { createRewardsService, type RewardsService } from './rewards.service.ts';

declare module 'fastify' {
  interface FastifyInstance {
    rewards: RewardsService;
  }
}

/** Rewards catalog, redemptions and coupons, and referrals: staff routes under /api, consumer routes under /api/mp. */
async function rewardsPlugin(fastify: FastifyInstance): Promise<void> {
  const models = createRewardsModels(fastify.db);
  fastify.decorate('rewards', createRewardsService(models, { loyalty: fastify.loyalty, interactions: fastify.interactions, log: fastify.log }));
  await Promise.all(Object.values(models).map((model) => model.init()));
  registerRewardsJobs(fastify);
  await fastify.register(rewardsRoutes);
  await fastify.register(redemptionsRoutes);
  await fastify.register(mpRewardsRoutes);
}

// 'mp' provides the consumer authentication the /api/mp routes use.
export default fp(rewardsPlugin, { fastify: '5.x', name: 'rewards', dependencies: ['database', 'jobs', 'staff', 'customers', 'loyalty', 'mp'] });
