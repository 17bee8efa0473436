import type { FastifyInstance } from 'fastify';
import { ObjectId, type Db } from 'mongodb';
import { buildApp } from '../../server/src/app.ts';
import type { AppConfig } from '../../server/src/config.ts';
import { BASELINE_MEMBERS, BASELINE_REWARDS } from './baseline-app.ts';
import type { StormContext } from './scenarios.ts';
import { memberDocument } from './seed-members.ts';

const STOCK = 100;
const POINTS_COST = 300;
/** Enough for one redemption and not two, so every member can afford the reward. */
const CREDIT = 500;
const CREDIT_CONCURRENCY = 25;

/** What the database holds after the storm, for Siyu and for the baseline. */
export interface StormState {
  siyu: {
    stock: number;
    redeemedCount: number;
    holds: number;
    redemptions: Record<string, number>;
    coupons: number;
    spends: { entries: number; points: number };
    negativeBalances: number;
    reconcile: { checked: number; drifted: number; pending: number };
  };
  baseline: { stock: number; charged: number; negativeBalances: number };
}

export interface StormSetup {
  context: Omit<StormContext, 'siyuUrl'>;
  app: FastifyInstance;
  verify(): Promise<StormState>;
}

async function inBatches<Item>(items: Item[], size: number, work: (item: Item) => Promise<unknown>): Promise<void> {
  for (let start = 0; start < items.length; start += size) await Promise.all(items.slice(start, start + size).map(work));
}

async function countBy(db: Db, collection: string, field: string): Promise<Record<string, number>> {
  const rows = await db.collection(collection).aggregate<{ _id: string; count: number }>([{ $group: { _id: `$${field}`, count: { $sum: 1 } } }]).toArray();
  return Object.fromEntries(rows.map((row) => [row._id, row.count]));
}

/**
 * A second Siyu on a database of its own: `count` members (raw inserts), each credited through the ledger's own
 * `postEntry`, one reward with stock 100, and the baseline's copy of the same in collections of its own.
 * Reconcile reads every member's ledger; on the stand-in each read scans the ledger, which this keeps small.
 */
export async function setupStorm(options: { config: AppConfig; uri: string; dbName: string; count: number }): Promise<StormSetup> {
  const app = await buildApp({ ...options.config, mongodbUri: options.uri, dbName: options.dbName, printAdminLogin: false });
  const db = app.db.db!;
  const { tiers } = await app.loyalty.getSettings();
  const joinedAt = new Date();
  const customerIds = Array.from({ length: options.count }, () => new ObjectId());
  await db.collection('customers').insertMany(
    customerIds.map((_id, n) => ({
      _id,
      nickname: `会员${n}`,
      identities: [{ type: 'mp', accountId: 'wxmp', externalId: `storm_${n}`, at: joinedAt }],
      identityKeys: [`mp:wxmp:storm_${n}`],
      layer: 'member',
      tags: [],
      consents: [],
      source: { channel: 'bench' },
      lastActiveAt: joinedAt,
      createdAt: joinedAt,
      updatedAt: joinedAt,
    })),
  );
  await db.collection('members').insertMany(customerIds.map((customerId, n) => memberDocument({ customerId, n, joinedAt, tierCode: tiers[0].code })));
  await inBatches(customerIds, CREDIT_CONCURRENCY, (customerId) =>
    app.loyalty.postEntry({ customerId: String(customerId), amount: CREDIT, kind: 'earn', reason: '基准测试积分', idempotencyKey: `bench-credit:${String(customerId)}` }),
  );
  const reward = await app.rewards.createReward({ name: '基准礼品', pointsCost: POINTS_COST, stock: STOCK });
  const tokens = await Promise.all(customerIds.map(async (customerId) => (await app.mp.tokens.issue(String(customerId))).token));

  const baselineRewardId = new ObjectId();
  const baselineCustomerIds = Array.from({ length: options.count }, () => new ObjectId());
  await db.collection(BASELINE_REWARDS).insertOne({ _id: baselineRewardId, name: '基准礼品', pointsCost: POINTS_COST, stock: STOCK });
  await db.collection(BASELINE_MEMBERS).createIndex({ customerId: 1 }, { unique: true });
  await db.collection(BASELINE_MEMBERS).insertMany(baselineCustomerIds.map((customerId) => ({ customerId, balance: CREDIT })));

  async function verify(): Promise<StormState> {
    const stored = await db.collection('rewards').findOne({ _id: new ObjectId(reward.id) });
    const spends = await db
      .collection('points_ledger')
      .aggregate<{ entries: number; points: number }>([{ $match: { kind: 'spend', status: 'applied' } }, { $group: { _id: null, entries: { $sum: 1 }, points: { $sum: '$amount' } } }])
      .toArray();
    const negative = { $or: [{ balance: { $lt: 0 } }, { $expr: { $lt: ['$balance', '$frozen'] } }] };
    const report = await app.loyalty.reconcile({ fix: false });
    const baselineReward = await db.collection(BASELINE_REWARDS).findOne({ _id: baselineRewardId });
    return {
      siyu: {
        stock: Number(stored?.stock),
        redeemedCount: Number(stored?.redeemedCount),
        holds: (stored?.holds as unknown[] | undefined)?.length ?? 0,
        redemptions: await countBy(db, 'redemptions', 'status'),
        coupons: await db.collection('coupons').countDocuments(),
        spends: { entries: spends[0]?.entries ?? 0, points: -(spends[0]?.points ?? 0) },
        negativeBalances: await db.collection('members').countDocuments(negative),
        reconcile: { checked: report.checked, drifted: report.drifted.length, pending: report.pending },
      },
      baseline: {
        stock: Number(baselineReward?.stock),
        charged: await db.collection(BASELINE_MEMBERS).countDocuments({ balance: { $lt: CREDIT } }),
        negativeBalances: await db.collection(BASELINE_MEMBERS).countDocuments({ balance: { $lt: 0 } }),
      },
    };
  }

  return {
    app,
    context: {
      rewardId: reward.id,
      stock: STOCK,
      pointsCost: POINTS_COST,
      credit: CREDIT,
      tokens,
      baselineRewardId: String(baselineRewardId),
      baselineCustomerIds: baselineCustomerIds.map(String),
    },
    verify,
  };
}
