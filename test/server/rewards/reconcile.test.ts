import type { FastifyInstance } from 'fastify';
import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildTestApp } from '../../helpers/app.ts';
import { available, expectLedgerReconciles, key, newMember, newReward, rewardState } from './helpers.ts';

const LATER = () => new Date(Date.now() + 10 * 60_000);

describe('reconcileRedemptions', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildTestApp();
  });
  afterAll(() => app.close());

  const redemption = (idempotencyKey: string) => app.db.collection('redemptions').findOne({ idempotencyKey });
  const quota = (rewardId: string, customerId: string) =>
    app.db.collection('reward_member_quotas').findOne({ rewardId: new Types.ObjectId(rewardId), customerId: new Types.ObjectId(customerId) });
  /** The process dies at the spend: stock and quota are taken, no point has moved. */
  const crashAtSpend = () => vi.spyOn(app.loyalty, 'postEntry').mockRejectedValueOnce(new Error('process died'));

  it('finishes a redemption that crashed between the stock decrement and the spend: charged once, one coupon', async () => {
    const rewardId = await newReward(app, { pointsCost: 150, stock: 10, perMemberLimit: 1 });
    const customerId = await newMember(app, 500);
    const idempotencyKey = key('crash');
    const spy = crashAtSpend();
    await expect(app.rewards.redeem({ customerId, rewardId, idempotencyKey })).rejects.toThrow('process died');
    spy.mockRestore();
    expect(await rewardState(app, rewardId)).toEqual({ stock: 9, redeemedCount: 0, holds: 1 });
    expect(await available(app, customerId)).toBe(500);

    const fresh = await app.rewards.reconcileRedemptions();
    expect(fresh).toEqual({ issued: 0, failed: 0, orphanHolds: 0, referrals: 0 });
    expect(await redemption(idempotencyKey)).toMatchObject({ status: 'charging' });

    expect(await app.rewards.reconcileRedemptions({ now: LATER() })).toMatchObject({ issued: 1, failed: 0 });
    expect(await redemption(idempotencyKey)).toMatchObject({ status: 'issued' });
    expect(await rewardState(app, rewardId)).toEqual({ stock: 9, redeemedCount: 1, holds: 0 });
    expect(await available(app, customerId)).toBe(350);
    expect((await quota(rewardId, customerId))).toMatchObject({ count: 1, holds: [] });

    const retried = await app.rewards.redeem({ customerId, rewardId, idempotencyKey });
    const mine = await app.rewards.listCoupons(customerId, { limit: 10 }, new Date());
    expect(mine.items.map((coupon) => coupon.id)).toEqual([retried.coupon.id]);
    expect(await app.rewards.reconcileRedemptions({ now: LATER() })).toEqual({ issued: 0, failed: 0, orphanHolds: 0, referrals: 0 });
    expect(await available(app, customerId)).toBe(350);
    expect(await expectLedgerReconciles(app)).toEqual({ drifted: [], pending: 0 });
  });

  it('gives stock and quota back when the member can no longer pay by the time reconcile runs', async () => {
    const rewardId = await newReward(app, { pointsCost: 150, stock: 3, perMemberLimit: 1 });
    const customerId = await newMember(app, 200);
    const idempotencyKey = key('broke');
    const spy = crashAtSpend();
    await expect(app.rewards.redeem({ customerId, rewardId, idempotencyKey })).rejects.toThrow('process died');
    spy.mockRestore();
    await app.loyalty.postEntry({ customerId, amount: -100, kind: 'spend', reason: 'spent elsewhere', idempotencyKey: key('elsewhere') });

    expect(await app.rewards.reconcileRedemptions({ now: LATER() })).toMatchObject({ issued: 0, failed: 1 });
    expect(await redemption(idempotencyKey)).toMatchObject({ status: 'failed', failureCode: 'INSUFFICIENT_POINTS' });
    expect(await rewardState(app, rewardId)).toEqual({ stock: 3, redeemedCount: 0, holds: 0 });
    expect(await quota(rewardId, customerId)).toMatchObject({ count: 0, holds: [] });
    expect(await available(app, customerId)).toBe(100);
  });

  it('issues the coupon when the crash came after the spend', async () => {
    const rewardId = await newReward(app, { pointsCost: 100, stock: 2 });
    const customerId = await newMember(app, 300);
    const idempotencyKey = key('after-spend');
    const postEntry = app.loyalty.postEntry;
    const spy = vi.spyOn(app.loyalty, 'postEntry').mockImplementationOnce(async (input) => {
      await postEntry(input);
      throw new Error('process died');
    });
    await expect(app.rewards.redeem({ customerId, rewardId, idempotencyKey })).rejects.toThrow('process died');
    spy.mockRestore();
    expect(await available(app, customerId)).toBe(200);

    expect(await app.rewards.reconcileRedemptions({ now: LATER() })).toMatchObject({ issued: 1 });
    expect(await available(app, customerId)).toBe(200);
    expect(await rewardState(app, rewardId)).toEqual({ stock: 1, redeemedCount: 1, holds: 0 });
    expect((await app.rewards.listCoupons(customerId, { limit: 10 }, new Date())).items).toHaveLength(1);
  });

  it('settles the holds of an issued redemption and releases those of a failed one', async () => {
    const rewardId = await newReward(app, { pointsCost: 100, stock: 5 });
    const customerId = await newMember(app, 150);
    const issued = await app.rewards.redeem({ customerId, rewardId, idempotencyKey: key() });
    // Precheck passes (it reads before the first spend lands); the ledger refuses the second: a stored failure.
    const getMember = app.loyalty.getMember;
    const spy = vi.spyOn(app.loyalty, 'getMember').mockImplementation(async (id) => ({ ...(await getMember(id))!, available: 150 }));
    const failedKey = key('failed');
    await expect(app.rewards.redeem({ customerId, rewardId, idempotencyKey: failedKey })).rejects.toMatchObject({ code: 'INSUFFICIENT_POINTS' });
    spy.mockRestore();
    const failed = await redemption(failedKey);
    expect(failed).toMatchObject({ status: 'failed' });

    // What crashes leave: the issued one not yet settled, the failed one not yet given back.
    const rewards = app.db.collection<{ _id: Types.ObjectId; holds: Types.ObjectId[]; stock: number; redeemedCount: number }>('rewards');
    await rewards.updateOne(
      { _id: new Types.ObjectId(rewardId) },
      { $push: { holds: { $each: [new Types.ObjectId(issued.redemption.id), failed!._id as Types.ObjectId] } }, $inc: { redeemedCount: -1, stock: -1 } },
    );
    expect(await rewardState(app, rewardId)).toEqual({ stock: 3, redeemedCount: 0, holds: 2 });

    expect(await app.rewards.reconcileRedemptions()).toMatchObject({ orphanHolds: 2 });
    expect(await rewardState(app, rewardId)).toEqual({ stock: 4, redeemedCount: 1, holds: 0 });
    expect(await available(app, customerId)).toBe(50);
  });
});
