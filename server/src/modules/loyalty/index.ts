import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { registerLoyaltyJobs } from './loyalty.jobs.ts';
import { loyaltyRoutes } from './loyalty.routes.ts';
import { createLoyaltyService, type LoyaltyService } from './loyalty.service.ts';
import { loyaltySettingsRoutes } from './loyalty-settings.routes.ts';
import { createMergeMembers } from './merge-members.ts';
import { createLoyaltyModels } from './models.ts';

declare module 'fastify' {
  interface FastifyInstance {
    loyalty: LoyaltyService;
  }
}

async function loyaltyPlugin(fastify: FastifyInstance): Promise<void> {
  const models = createLoyaltyModels(fastify.db);
  fastify.decorate(
    'loyalty',
    createLoyaltyService(models, { customers: fastify.customers, interactions: fastify.interactions, brand: fastify.settings, log: fastify.log }),
  );
  fastify.customerMerge.onMerge(createMergeMembers(models, { ledger: fastify.loyalty }));
  await Promise.all(Object.values(models).map((model) => model.init()));
  registerLoyaltyJobs(fastify);
  await fastify.register(loyaltySettingsRoutes);
  await fastify.register(loyaltyRoutes);
}

export default fp(loyaltyPlugin, { fastify: '5.x', name: 'loyalty', dependencies: ['database', 'jobs', 'staff', 'settings', 'customers'] });
