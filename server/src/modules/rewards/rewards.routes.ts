import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { toRewardFields } from './reward-input.util.ts';
import { CreateRewardBody, RewardParams, RewardSchema, RewardsPage, RewardsQuery, UpdateRewardBody } from './rewards.schemas.ts';

/** The reward catalog for operators. Writes are audited by the audit plugin; handlers add before and after. */
export async function rewardsRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const manage = app.authorize('loyalty:manage');
  const tags = ['rewards'];

  app.get(
    '/api/rewards',
    { onRequest: manage, schema: { tags, summary: 'The reward catalog, newest first', querystring: RewardsQuery, response: { 200: RewardsPage } } },
    async (request) => app.rewards.listRewards(request.query),
  );

  app.get(
    '/api/rewards/:id',
    { onRequest: manage, schema: { tags, summary: 'One reward', params: RewardParams, response: { 200: RewardSchema } } },
    async (request, reply) => (await app.rewards.getReward(request.params.id)) ?? reply.notFound('no such reward'),
  );

  app.post(
    '/api/rewards',
    { onRequest: manage, schema: { tags, summary: 'Add a reward to the catalog', body: CreateRewardBody, response: { 201: RewardSchema } } },
    async (request, reply) => {
      const reward = await app.rewards.createReward(toRewardFields(request.body));
      request.auditDetail = { targetType: 'reward', targetId: reward.id, after: reward };
      return reply.code(201).send(reward);
    },
  );

  app.patch(
    '/api/rewards/:id',
    {
      onRequest: manage,
      schema: { tags, summary: 'Change a reward; stock moves by addStock, atomically', params: RewardParams, body: UpdateRewardBody, response: { 200: RewardSchema } },
    },
    async (request, reply) => {
      const change = await app.rewards.updateReward(request.params.id, toRewardFields(request.body));
      if (!change) return reply.notFound('no such reward');
      request.auditDetail = { targetType: 'reward', targetId: request.params.id, before: change.before, after: change.after };
      return change.after;
    },
  );
}
