import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { BotSchema, BotSettingsSchema, CreateBotBody, CreatedBotSchema, IdParams } from './bots.schemas.ts';

export async function botsRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const onRequest = app.authorize('bots:manage');

  app.get(
    '/api/bots',
    { onRequest, schema: { tags: ['bots'], summary: 'Bot accounts with their status, login QR code and since when', response: { 200: Type.Array(BotSchema) } } },
    async () => app.bots.list(),
  );

  app.post(
    '/api/bots',
    {
      onRequest,
      schema: { tags: ['bots'], summary: 'Create a bot account; its token is in this reply only', body: CreateBotBody, response: { 201: CreatedBotSchema } },
    },
    async (request, reply) => {
      const created = await app.bots.create(request.body, request.staff!.id);
      request.auditDetail = { targetType: 'bot', targetId: created.bot.id, after: { name: created.bot.name } };
      return reply.code(201).send(created);
    },
  );

  app.post(
    '/api/bots/:id/revoke',
    { onRequest, schema: { tags: ['bots'], summary: 'Revoke the token and close the live connection', params: IdParams, response: { 200: BotSchema } } },
    async (request, reply) => {
      const bot = await app.bots.revoke(request.params.id);
      if (!bot) return reply.notFound(`bot ${request.params.id} not found`);
      request.auditDetail = { targetType: 'bot' };
      return bot;
    },
  );

  app.get(
    '/api/bot-settings',
    { onRequest, schema: { tags: ['bots'], summary: 'Throttle, friendship and auto-reply settings for every bot', response: { 200: BotSettingsSchema } } },
    async () => app.botSettings.get(),
  );

  app.put(
    '/api/bot-settings',
    {
      onRequest,
      schema: { tags: ['bots'], summary: 'Replace bot settings (bots pick up the throttle when they reconnect)', body: BotSettingsSchema, response: { 200: BotSettingsSchema } },
    },
    async (request) => {
      const { before, after } = await app.botSettings.update(request.body);
      request.auditDetail = { targetType: 'bot-settings', targetId: 'bots', before, after };
      return after;
    },
  );
}
