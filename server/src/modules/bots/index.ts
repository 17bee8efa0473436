import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { createAutomationService } from './automation.service.ts';
import { CLOSE_REVOKED, createBotConnections } from './bot-connections.ts';
import { createBotSettingsService, type BotSettingsService } from './bot-settings.service.ts';
import { botsRoutes } from './bots.routes.ts';
import { createBotsService, type BotsService } from './bots.service.ts';
import './bus-topics.ts';
import { createCaptureService } from './capture.service.ts';
import { createMergeConversations } from './merge-conversations.ts';
import { createConversationService, type ConversationService } from './conversation.service.ts';
import { conversationsRoutes } from './conversations.routes.ts';
import { gatewayRoutes } from './gateway.routes.ts';
import { createBotModels } from './models.ts';
import { createOutboxService, type OutboxService } from './outbox.service.ts';
import { rulesRoutes } from './rules.routes.ts';
import { createRulesService, type RulesService } from './rules.service.ts';

declare module 'fastify' {
  interface FastifyInstance {
    bots: BotsService;
    botSettings: BotSettingsService;
    botRules: RulesService;
    botOutbox: OutboxService;
    conversations: ConversationService;
  }
}

export const RESEND_UNACKED_JOB = 'bots.resend-unacked';
/** Longer than a full window of proactive sends takes at the slowest throttle (20 × 35 s), so a slow bot is not nagged. */
const ACK_TIMEOUT_MS = 15 * 60_000;

/** Bots: accounts and tokens, the `/ws/bot` gateway, capture into profiles, chat rules, conversations and the outbox. */
async function botsPlugin(fastify: FastifyInstance): Promise<void> {
  const { bus } = fastify;
  const models = createBotModels(fastify.db);
  const connections = createBotConnections();
  const bots = createBotsService(models, { bus });
  const botSettings = createBotSettingsService(models);
  const rules = createRulesService(models);
  const outbox = createOutboxService(models, { bus, connections, log: fastify.log });
  const conversations = createConversationService(models, { bus, outbox });
  const automation = createAutomationService({
    customers: fastify.customers,
    rules,
    botSettings,
    conversations,
    brandName: async () => (await fastify.settings.getBrand()).brandName,
  });
  const capture = createCaptureService(models, {
    bus,
    customers: fastify.customers,
    customerMerge: fastify.customerMerge,
    interactions: fastify.interactions,
    notes: fastify.notes,
    conversations,
    outbox,
    automation,
    botSettings,
  });
  fastify.decorate('bots', bots);
  fastify.decorate('botSettings', botSettings);
  fastify.decorate('botRules', rules);
  fastify.decorate('botOutbox', outbox);
  fastify.decorate('conversations', conversations);
  fastify.customerMerge.onMerge(createMergeConversations(models));

  await Promise.all(Object.values(models).map((model) => model.init()));
  const requeued = await conversations.requeueOrphans();
  if (requeued) fastify.log.warn({ requeued }, 'queued the commands of outbound messages a crash had interrupted');

  fastify.jobs.define(RESEND_UNACKED_JOB, async () => {
    const sentBefore = new Date(Date.now() - ACK_TIMEOUT_MS);
    for (const botId of connections.onlineBotIds()) await outbox.resendUnacked(botId, sentBefore);
  });
  fastify.jobs.every('5 minutes', RESEND_UNACKED_JOB);

  const unsubscribe = [
    bus.subscribe('bot.outbox', ({ botId }) => outbox.drain(botId)),
    bus.subscribe('bot.revoked', ({ botId }) => connections.close(botId, CLOSE_REVOKED, 'token revoked')),
  ];
  fastify.addHook('onClose', async () => unsubscribe.forEach((stop) => stop()));

  await fastify.register(botsRoutes);
  await fastify.register(rulesRoutes);
  await fastify.register(conversationsRoutes);
  await fastify.register(gatewayRoutes, { bots, botSettings, capture, outbox, connections });
}

export default fp(botsPlugin, { fastify: '5.x', name: 'bots', dependencies: ['database', 'bus', 'jobs', 'websocket', 'staff', 'settings', 'customers'] });
