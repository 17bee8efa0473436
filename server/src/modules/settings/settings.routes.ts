import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { BrandSettingsSchema } from './settings.schemas.ts';

export async function settingsRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/api/settings',
    {
      onRequest: app.authorize('customers:read'),
      schema: { tags: ['settings'], summary: 'Brand settings', response: { 200: BrandSettingsSchema } },
    },
    async () => app.settings.getBrand(),
  );
  app.put(
    '/api/settings',
    {
      onRequest: app.authorize('settings:manage'),
      schema: { tags: ['settings'], summary: 'Replace brand settings (audited with before and after)', body: BrandSettingsSchema, response: { 200: BrandSettingsSchema } },
    },
    async (request) => {
      const { before, after } = await app.settings.updateBrand(request.body);
      request.auditDetail = { targetType: 'settings', targetId: 'brand', before, after };
      return after;
    },
  );
}
