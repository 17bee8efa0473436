import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { LoyaltySettingsSchema } from './loyalty-settings.schemas.ts';

export async function loyaltySettingsRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const manage = app.authorize('loyalty:manage');

  app.get(
    '/api/loyalty/settings',
    { onRequest: manage, schema: { tags: ['loyalty'], summary: 'Loyalty rules: check-in cycle, make-ups, tiers, purchase points, expiry, referrals', response: { 200: LoyaltySettingsSchema } } },
    async () => app.loyalty.getSettings(),
  );

  app.put(
    '/api/loyalty/settings',
    {
      onRequest: manage,
      schema: { tags: ['loyalty'], summary: 'Replace the loyalty rules (audited with before and after)', body: LoyaltySettingsSchema, response: { 200: LoyaltySettingsSchema } },
    },
    async (request) => {
      const { before, after } = await app.loyalty.updateSettings(request.body);
      request.auditDetail = { targetType: 'loyalty-settings', targetId: 'loyalty', before, after };
      return after;
    },
  );
}
