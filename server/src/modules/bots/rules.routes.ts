import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { IdParams } from './bots.schemas.ts';
import { RuleBody, RuleSchema } from './rules.schemas.ts';

export async function rulesRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const onRequest = app.authorize('rules:write');

  app.get(
    '/api/bot-rules',
    { onRequest, schema: { tags: ['bot rules'], summary: 'Auto-tag, auto-reply, welcome and need-keyword rules', response: { 200: Type.Array(RuleSchema) } } },
    async () => app.botRules.list(),
  );

  app.post(
    '/api/bot-rules',
    { onRequest, schema: { tags: ['bot rules'], summary: 'Create a rule', body: RuleBody, response: { 201: RuleSchema } } },
    async (request, reply) => {
      const rule = await app.botRules.create(request.body);
      request.auditDetail = { targetType: 'bot-rule', targetId: rule.id, after: rule };
      return reply.code(201).send(rule);
    },
  );

  app.put(
    '/api/bot-rules/:id',
    { onRequest, schema: { tags: ['bot rules'], summary: 'Replace a rule', params: IdParams, body: RuleBody, response: { 200: RuleSchema } } },
    async (request, reply) => {
      const rule = await app.botRules.replace(request.params.id, request.body);
      if (!rule) return reply.notFound(`rule ${request.params.id} not found`);
      request.auditDetail = { targetType: 'bot-rule', after: rule };
      return rule;
    },
  );

  app.delete(
    '/api/bot-rules/:id',
    { onRequest, schema: { tags: ['bot rules'], summary: 'Delete a rule', params: IdParams, response: { 204: Type.Null() } } },
    async (request, reply) => {
      if (!(await app.botRules.remove(request.params.id))) return reply.notFound(`rule ${request.params.id} not found`);
      request.auditDetail = { targetType: 'bot-rule' };
      return reply.code(204).send(null);
    },
  );
}
