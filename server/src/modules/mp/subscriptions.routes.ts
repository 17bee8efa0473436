import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { MpSubscriptionsBody, MpSubscriptionsReply } from '../../../../shared/src/mp-api.ts';
import { consumerIdOf } from './consumer-auth.ts';

export async function subscriptionRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const consumer = app.authenticateConsumer;

  async function grants(customerId: string) {
    const items = await app.mp.subscriptions.list(customerId);
    return { items: items.map((item) => ({ ...item, lastResultAt: item.lastResultAt.toISOString() })) };
  }

  app.get(
    '/api/mp/subscriptions',
    { onRequest: consumer, schema: { tags: ['mini-program'], summary: 'My subscribe-message grants', security: [{ bearer: [] }], response: { 200: MpSubscriptionsReply } } },
    async (request) => grants(consumerIdOf(request)),
  );

  app.post(
    '/api/mp/subscriptions',
    {
      onRequest: consumer,
      schema: {
        tags: ['mini-program'],
        summary: 'Record the result of wx.requestSubscribeMessage: each accept is one message the brand may send',
        security: [{ bearer: [] }],
        body: MpSubscriptionsBody,
        response: { 200: MpSubscriptionsReply },
      },
    },
    async (request) => {
      const customerId = consumerIdOf(request);
      await app.mp.subscriptions.record(customerId, request.body.results);
      return grants(customerId);
    },
  );
}
