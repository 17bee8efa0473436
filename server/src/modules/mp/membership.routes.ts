import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { MpCardReply, MpJoinBody, MpJoinReply, MpMemberCode } from '../../../../shared/src/mp-api.ts';
import { consumerIdOf } from './consumer-auth.ts';

export async function membershipRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const consumer = app.authenticateConsumer;
  const security = [{ bearer: [] }];

  app.post(
    '/api/mp/join',
    {
      onRequest: consumer,
      schema: {
        tags: ['mini-program'],
        summary: 'Join the loyalty program: phone number, member terms, optional marketing consent and referral code',
        security,
        body: MpJoinBody,
        response: { 200: MpJoinReply },
      },
    },
    async (request) => app.mp.membership.join(consumerIdOf(request), request.body),
  );

  app.get(
    '/api/mp/card',
    { onRequest: consumer, schema: { tags: ['mini-program'], summary: 'My member card with a dynamic member code', security, response: { 200: MpCardReply } } },
    async (request) => app.mp.membership.card(consumerIdOf(request)),
  );

  app.get(
    '/api/mp/card/code',
    { onRequest: consumer, schema: { tags: ['mini-program'], summary: 'A fresh dynamic member code (changes every minute)', security, response: { 200: MpMemberCode } } },
    async (request) => app.mp.memberCodes.display(consumerIdOf(request)),
  );
}
