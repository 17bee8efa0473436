import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  MpCalendarQuery,
  MpCalendarReply,
  MpCheckInBody,
  MpCheckInReply,
  MpMakeUpBody,
  MpMakeUpReply,
  MpPointsPage,
  MpPointsQuery,
} from '../../../../shared/src/mp-api.ts';
import { consumerIdOf } from './consumer-auth.ts';
import { toPointsEntry } from './consumer-dto.util.ts';

/** Check-ins and points. No route takes a date for "today": the day is always the server's. */
export async function checkinRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const consumer = app.authenticateConsumer;
  const security = [{ bearer: [] }];
  const tags = ['mini-program'];

  app.post(
    '/api/mp/checkins',
    { onRequest: consumer, schema: { tags, summary: "Check in for today (the brand's local day)", security, body: MpCheckInBody, response: { 200: MpCheckInReply } } },
    async (request) => app.loyalty.checkIn({ customerId: consumerIdOf(request) }),
  );

  app.post(
    '/api/mp/checkins/makeup',
    { onRequest: consumer, schema: { tags, summary: 'Make up a missed day this month (补签), for points', security, body: MpMakeUpBody, response: { 200: MpMakeUpReply } } },
    async (request) => app.loyalty.makeUpCheckIn({ customerId: consumerIdOf(request), day: request.body.day }),
  );

  app.get(
    '/api/mp/checkins',
    { onRequest: consumer, schema: { tags, summary: "A month's check-ins, streak and today's reward", security, querystring: MpCalendarQuery, response: { 200: MpCalendarReply } } },
    async (request) => app.loyalty.calendar({ customerId: consumerIdOf(request), month: request.query.month }),
  );

  app.get(
    '/api/mp/points',
    { onRequest: consumer, schema: { tags, summary: 'My points ledger, newest first', security, querystring: MpPointsQuery, response: { 200: MpPointsPage } } },
    async (request) => {
      const page = await app.loyalty.ledger({ customerId: consumerIdOf(request), cursor: request.query.cursor, limit: request.query.limit });
      // Pending and refused entries never changed the balance; the member sees what did.
      return { items: page.items.filter((entry) => entry.status === 'applied').map(toPointsEntry), nextCursor: page.nextCursor };
    },
  );
}
