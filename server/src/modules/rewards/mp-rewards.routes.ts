import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import {
  MpCoupon,
  MpCouponParams,
  MpCouponsPage,
  MpCouponsQuery,
  MpRedeemBody,
  MpRedeemReply,
  MpReferralReply,
  MpReward,
  MpRewardList,
  MpRewardParams,
} from '../../../../shared/src/rewards-api.ts';
import { consumerIdOf } from '../mp/consumer-auth.ts';

/** The mini-program's 兑换, 我的券 and invite pages. Every query is filtered by the signed-in consumer. */
export async function mpRewardsRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const consumer = app.authenticateConsumer;
  const security = [{ bearer: [] }];
  const tags = ['mini-program'];

  app.get(
    '/api/mp/rewards',
    { onRequest: consumer, schema: { tags, summary: 'Rewards on offer now, with whether I can afford and redeem each', security, response: { 200: MpRewardList } } },
    async (request) => app.rewards.catalogFor(consumerIdOf(request), new Date()),
  );

  app.get(
    '/api/mp/rewards/:id',
    { onRequest: consumer, schema: { tags, summary: 'One reward on offer', security, params: MpRewardParams, response: { 200: MpReward } } },
    async (request, reply) => (await app.rewards.rewardFor(consumerIdOf(request), request.params.id, new Date())) ?? reply.notFound('no such reward on offer'),
  );

  app.post(
    '/api/mp/rewards/:id/redeem',
    {
      onRequest: consumer,
      schema: { tags, summary: 'Redeem points for a coupon; retry with the same idempotencyKey', security, params: MpRewardParams, body: MpRedeemBody, response: { 200: MpRedeemReply } },
    },
    async (request) => app.rewards.redeem({ customerId: consumerIdOf(request), rewardId: request.params.id, idempotencyKey: request.body.idempotencyKey }),
  );

  app.get(
    '/api/mp/coupons',
    { onRequest: consumer, schema: { tags, summary: 'My coupons (我的券), newest first', security, querystring: MpCouponsQuery, response: { 200: MpCouponsPage } } },
    async (request) => app.rewards.listCoupons(consumerIdOf(request), request.query, new Date()),
  );

  app.get(
    '/api/mp/coupons/:id',
    { onRequest: consumer, schema: { tags, summary: 'One of my coupons, with its code', security, params: MpCouponParams, response: { 200: MpCoupon } } },
    async (request, reply) => (await app.rewards.getCoupon(consumerIdOf(request), request.params.id)) ?? reply.notFound('no such coupon'),
  );

  app.get(
    '/api/mp/referral',
    { onRequest: consumer, schema: { tags, summary: 'My invite code and link, and how many friends joined with it', security, response: { 200: MpReferralReply } } },
    async (request) => app.rewards.referralSummary(consumerIdOf(request)),
  );
}
