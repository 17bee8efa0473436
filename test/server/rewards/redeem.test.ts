import type { FastifyInstance } from 'fastify';
import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildTestApp } from '../../helpers/app.ts';
import { available, credit, expectLedgerReconciles, key, newMember, newReward, rewardState } from './helpers.ts';

describe('redeem', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildTestApp();
  });
  afterAll(() => app.close());

  const coupons = (customerId: string) => app.rewards.listCoupons(customerId, { limit: 50 }, new Date());

  it('sells exactly the stock when 100 members race for 10 units', async () => {
    const rewardId = await newReward(app, { pointsCost: 300, stock: 10 });
    const members = await Promise.all(Array.from({ length: 100 }, (_, i) => newMember(app, 500, `storm${i}`)));
    const results = await Promise.allSettled(members.map((customerId) => app.rewards.redeem({ customerId, rewardId, idempotencyKey: key('storm') })));

    const won = results.filter((result) => result.status === 'fulfilled');
    expect(won).toHaveLength(10);
    const refusals = results.flatMap((result) => (result.status === 'rejected' ? [(result.reason as { code: string }).code] : []));
    expect(new Set(refusals)).toEqual(new Set(['OUT_OF_STOCK']));
    expect(await rewardState(app, rewardId)).toEqual({ stock: 0, redeemedCount: 10, holds: 0 });

    const balances = await Promise.all(members.map((customerId) => available(app, customerId)));
    expect(Math.min(...balances)).toBeGreaterThanOrEqual(0);
    expect(balances.filter((balance) => balance === 200)).toHaveLength(10);
    expect(balances.filter((balance) => balance === 500)).toHaveLength(90);
    expect(await app.db.collection('coupons').countDocuments({ rewardId: new Types.ObjectId(rewardId) })).toBe(10);
    expect(await expectLedgerReconciles(app)).toEqual({ drifted: [], pending: 0 });
  });

  it('charges once and issues one coupon when the same key is retried, also 10 times at once', async () => {
    const rewardId = await newReward(app, { pointsCost: 120, stock: 5 });
    const customerId = await newMember(app, 1000);
    const idempotencyKey = key('retry');
    const concurrent = await Promise.all(Array.from({ length: 10 }, () => app.rewards.redeem({ customerId, rewardId, idempotencyKey })));
    const later = await app.rewards.redeem({ customerId, rewardId, idempotencyKey });

    const couponIds = new Set([...concurrent, later].map((result) => result.coupon.id));
    expect(couponIds.size).toBe(1);
    expect(await available(app, customerId)).toBe(880);
    expect((await coupons(customerId)).items).toHaveLength(1);
    expect(await rewardState(app, rewardId)).toEqual({ stock: 4, redeemedCount: 1, holds: 0 });
  });

  it('converges when a retry runs to the end while the first run is inside its spend', async () => {
    const rewardId = await newReward(app, { pointsCost: 100, stock: 3, perMemberLimit: 1 });
    const customerId = await newMember(app, 300);
    const idempotencyKey = key('overlap');
    const postEntry = app.loyalty.postEntry;
    let retried: Awaited<ReturnType<typeof app.rewards.redeem>> | undefined;
    const spy = vi.spyOn(app.loyalty, 'postEntry').mockImplementationOnce(async (input) => {
      spy.mockRestore();
      retried = await app.rewards.redeem({ customerId, rewardId, idempotencyKey });
      return postEntry(input);
    });
    const first = await app.rewards.redeem({ customerId, rewardId, idempotencyKey });
    expect(retried?.coupon.id).toBe(first.coupon.id);
    expect(await available(app, customerId)).toBe(200);
    expect(await rewardState(app, rewardId)).toEqual({ stock: 2, redeemedCount: 1, holds: 0 });
  });

  it('refuses a key reused for another reward', async () => {
    const [first, second] = [await newReward(app), await newReward(app)];
    const customerId = await newMember(app, 1000);
    const idempotencyKey = key('reuse');
    await app.rewards.redeem({ customerId, rewardId: first, idempotencyKey });
    await expect(app.rewards.redeem({ customerId, rewardId: second, idempotencyKey })).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
  });

  it('gives the stock and quota back when the ledger refuses the spend, and answers a retry the same', async () => {
    const rewardId = await newReward(app, { pointsCost: 400, stock: 1, perMemberLimit: 1 });
    const customerId = await newMember(app, 500);
    // Points spent elsewhere between the read-only check and the charge: only the ledger can refuse now.
    const postEntry = app.loyalty.postEntry;
    const spy = vi.spyOn(app.loyalty, 'postEntry').mockImplementationOnce(async (input) => {
      await postEntry({ customerId, amount: -200, kind: 'spend', reason: 'elsewhere', idempotencyKey: key('elsewhere') });
      return postEntry(input);
    });
    const idempotencyKey = key('short');
    await expect(app.rewards.redeem({ customerId, rewardId, idempotencyKey })).rejects.toMatchObject({ code: 'INSUFFICIENT_POINTS' });
    spy.mockRestore();

    expect(await available(app, customerId)).toBe(300);
    expect(await rewardState(app, rewardId)).toEqual({ stock: 1, redeemedCount: 0, holds: 0 });
    expect(await app.db.collection('redemptions').findOne({ idempotencyKey })).toMatchObject({ status: 'failed', failureCode: 'INSUFFICIENT_POINTS' });

    await credit(app, customerId, 100);
    await expect(app.rewards.redeem({ customerId, rewardId, idempotencyKey })).rejects.toMatchObject({ code: 'INSUFFICIENT_POINTS' });
    // The quota came back too: with a new key the member's one allowed redemption succeeds.
    await expect(app.rewards.redeem({ customerId, rewardId, idempotencyKey: key() })).resolves.toMatchObject({ redemption: { status: 'issued' } });
    expect(await available(app, customerId)).toBe(0);
  });

  it('refuses a member who cannot afford it before touching anything', async () => {
    const rewardId = await newReward(app, { pointsCost: 400 });
    const customerId = await newMember(app, 100);
    await expect(app.rewards.redeem({ customerId, rewardId, idempotencyKey: key() })).rejects.toMatchObject({ code: 'INSUFFICIENT_POINTS', statusCode: 409 });
    expect(await available(app, customerId)).toBe(100);
    expect(await rewardState(app, rewardId)).toEqual({ stock: 10, redeemedCount: 0, holds: 0 });
    expect(await app.db.collection('redemptions').countDocuments({ rewardId: new Types.ObjectId(rewardId) })).toBe(0);
  });

  it('enforces the per-member limit, also under concurrent attempts', async () => {
    const rewardId = await newReward(app, { pointsCost: 10, stock: 50, perMemberLimit: 2 });
    const customerId = await newMember(app, 1000);
    const results = await Promise.allSettled(Array.from({ length: 6 }, () => app.rewards.redeem({ customerId, rewardId, idempotencyKey: key('limit') })));
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(2);
    const codes = results.flatMap((result) => (result.status === 'rejected' ? [(result.reason as { code: string }).code] : []));
    expect(codes).toEqual(['REDEEM_LIMIT', 'REDEEM_LIMIT', 'REDEEM_LIMIT', 'REDEEM_LIMIT']);
    expect(await available(app, customerId)).toBe(980);
    expect(await rewardState(app, rewardId)).toEqual({ stock: 48, redeemedCount: 2, holds: 0 });
    // Another member is not affected by this one's limit.
    await expect(app.rewards.redeem({ customerId: await newMember(app, 100), rewardId, idempotencyKey: key() })).resolves.toBeDefined();
  });

  it('needs the minimum tier', async () => {
    const rewardId = await newReward(app, { minTierCode: 'silver' });
    const regular = await newMember(app, 500);
    await expect(app.rewards.redeem({ customerId: regular, rewardId, idempotencyKey: key() })).rejects.toMatchObject({ code: 'TIER_TOO_LOW', statusCode: 403 });
    expect(await available(app, regular)).toBe(500);

    const silver = await newMember(app, 1200);
    expect((await app.loyalty.getMember(silver))!.tier.code).toBe('silver');
    await expect(app.rewards.redeem({ customerId: silver, rewardId, idempotencyKey: key() })).resolves.toMatchObject({ redemption: { status: 'issued' } });
  });

  it.each([
    ['inactive', { active: false }],
    ['not yet valid', { validFrom: new Date(Date.now() + 86_400_000) }],
    ['no longer valid', { validFrom: new Date(Date.now() - 2 * 86_400_000), validTo: new Date(Date.now() - 86_400_000) }],
  ])('refuses a reward that is %s, taking nothing', async (_label, fields) => {
    const rewardId = await newReward(app, fields);
    const customerId = await newMember(app, 500);
    await expect(app.rewards.redeem({ customerId, rewardId, idempotencyKey: key() })).rejects.toMatchObject({ code: 'REWARD_UNAVAILABLE' });
    expect(await rewardState(app, rewardId)).toEqual({ stock: 10, redeemedCount: 0, holds: 0 });
    expect(await available(app, customerId)).toBe(500);
  });

  it('refuses non-members and unknown rewards', async () => {
    const customer = await app.customerMerge.identify({ identity: { type: 'mp', accountId: 'wxmp', externalId: `guest-${key()}` } });
    await expect(app.rewards.redeem({ customerId: String(customer._id), rewardId: await newReward(app), idempotencyKey: key() })).rejects.toMatchObject({ code: 'NOT_A_MEMBER' });
    await expect(app.rewards.redeem({ customerId: await newMember(app, 500), rewardId: '0123456789abcdef01234567', idempotencyKey: key() })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
