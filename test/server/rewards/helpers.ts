import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { Types } from 'mongoose';
import type { RewardInput } from '../../../server/src/modules/rewards/catalog.service.ts';

let seq = 0;

/** A customer from a mini-program identity, enrolled, holding `points` spendable points; returns its id. */
export async function newMember(app: FastifyInstance, points = 0, label = 'member'): Promise<string> {
  const customer = await app.customerMerge.identify({ identity: { type: 'mp', accountId: 'wxmp', externalId: `${label}-${++seq}-${Date.now()}` } });
  const customerId = String(customer._id);
  await app.loyalty.enroll({ customerId });
  if (points) await credit(app, customerId, points);
  return customerId;
}

export async function credit(app: FastifyInstance, customerId: string, amount: number): Promise<void> {
  await app.loyalty.postEntry({ customerId, amount, kind: 'earn', reason: 'test credit', idempotencyKey: `credit:${customerId}:${++seq}` });
}

export async function newReward(app: FastifyInstance, fields: Partial<RewardInput> = {}): Promise<string> {
  const reward = await app.rewards.createReward({ name: `礼品 ${++seq}`, pointsCost: 100, stock: 10, ...fields });
  return reward.id;
}

export const key = (label = 'k') => `${label}-${++seq}-${Date.now().toString(36)}`;

export interface Consumer {
  customerId: string;
  inject(options: InjectOptions): Promise<LightMyRequestResponse>;
}

/** A consumer token minted by the mp module's own issuer: the same token login returns. */
export async function asConsumer(app: FastifyInstance, customerId: string): Promise<Consumer> {
  const { token } = await app.mp.tokens.issue(customerId);
  return {
    customerId,
    inject: (options) => app.inject({ ...options, headers: { ...(options.headers ?? {}), authorization: `Bearer ${token}` } }),
  };
}

/** Stock, sold count and in-flight holds as stored. */
export async function rewardState(app: FastifyInstance, rewardId: string) {
  const reward = await app.db.collection('rewards').findOne({ _id: new Types.ObjectId(rewardId) });
  return { stock: Number(reward?.stock), redeemedCount: Number(reward?.redeemedCount), holds: (reward?.holds as unknown[]).length };
}

export async function available(app: FastifyInstance, customerId: string): Promise<number> {
  return (await app.loyalty.getMember(customerId))!.available;
}

/** Nothing pending, no drift: every balance equals the sum of its ledger. */
export async function expectLedgerReconciles(app: FastifyInstance): Promise<{ drifted: unknown[]; pending: number }> {
  const report = await app.loyalty.reconcile({ fix: false });
  return { drifted: report.drifted, pending: report.pending };
}
