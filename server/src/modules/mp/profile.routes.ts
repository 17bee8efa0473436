import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { MpConsentBody, MpMeReply } from '../../../../shared/src/mp-api.ts';
import { consumerIdOf } from './consumer-auth.ts';

export async function profileRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const consumer = app.authenticateConsumer;

  app.get(
    '/api/mp/me',
    { onRequest: consumer, schema: { tags: ['mini-program'], summary: 'My profile and marketing consent', security: [{ bearer: [] }], response: { 200: MpMeReply } } },
    async (request) => app.mp.consumers.me(consumerIdOf(request)),
  );

  app.put(
    '/api/mp/me/consent',
    {
      onRequest: consumer,
      schema: { tags: ['mini-program'], summary: 'Turn marketing messages on or off', security: [{ bearer: [] }], body: MpConsentBody, response: { 200: MpMeReply } },
    },
    async (request) => app.mp.consumers.setMarketingConsent(consumerIdOf(request), request.body, 'mp-settings'),
  );
}
