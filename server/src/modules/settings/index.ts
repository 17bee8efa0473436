import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { settingsRoutes } from './settings.routes.ts';
import { createSettingsService, type SettingsService } from './settings.service.ts';

declare module 'fastify' {
  interface FastifyInstance {
    settings: SettingsService;
  }
}

async function settingsPlugin(fastify: FastifyInstance): Promise<void> {
  fastify.decorate('settings', createSettingsService(fastify.db));
  await fastify.register(settingsRoutes);
}

export default fp(settingsPlugin, { fastify: '5.x', name: 'settings', dependencies: ['database', 'staff'] });
