import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { MpMemberCode } from '../../../../shared/src/mp-api.ts';
import { consumerIdOf } from './consumer-auth.ts';

export async function cardRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const consumer = app.authenticateConsumer;

  app.get(
    '/api/mp/card/code',
    {
      onRequest: consumer,
      schema: { tags: ['mini-program'], summary: 'A fresh dynamic member code (changes every minute)', security: [{ bearer: [] }], response: { 200: MpMemberCode } },
    },
    async (request) => app.mp.memberCodes.display(consumerIdOf(request)),
  );
}
