import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../../helpers/app.ts';
import { credit, newMember } from './helpers.ts';

const DAY = 86_400_000;

describe('purchase points', () => {
  let app: FastifyInstance;
  let receipt = 0;
  const nextReceipt = () => `R${Date.now()}-${++receipt}`;
  beforeAll(async () => {
    app = await buildTestApp();
  });
  afterAll(() => app.close());

  const card = async (customerId: string) => (await app.loyalty.getMember(customerId))!;
  const tierEvents = async (customerId: string) =>
    (await app.interactions.page(customerId, { limit: 50, type: 'points' })).items
      .map((item) => (item.data as { event?: string } | null)?.event)
      .filter((event) => event?.startsWith('tier_'));

  it('keeps purchase points frozen through the return window, then the job releases them once', async () => {
    const customerId = await newMember(app);
    const now = new Date();
    const award = await app.loyalty.awardPurchase({ customerId, receiptNo: nextReceipt(), amountCents: 12_345, now });
    expect(award).toMatchObject({ points: 123, created: true, balance: 123 });
    expect(award.frozenUntil!.getTime()).toBe(now.getTime() + 7 * DAY);
    expect(await card(customerId)).toMatchObject({ balance: 123, frozen: 123, available: 0, lifetimePoints: 123 });
    await expect(app.loyalty.postEntry({ customerId, amount: -1, kind: 'spend', reason: 'too early', idempotencyKey: `early:${customerId}` })).rejects.toMatchObject({ code: 'INSUFFICIENT_POINTS' });

    expect((await app.loyalty.releaseFrozen({ now: new Date(now.getTime() + 6 * DAY) })).released).toBe(0);
    const later = new Date(now.getTime() + 7 * DAY + 1000);
    expect(await app.loyalty.releaseFrozen({ now: later })).toMatchObject({ released: 1, points: 123 });
    expect(await app.loyalty.releaseFrozen({ now: later })).toMatchObject({ released: 0 });
    expect(await card(customerId)).toMatchObject({ balance: 123, frozen: 0, available: 123 });
    const { items } = await app.loyalty.ledger({ customerId, limit: 10 });
    expect(items.map((entry) => [entry.kind, entry.amount, entry.frozenDelta])).toEqual([['release', 0, -123], ['purchase', 123, 123]]);
  });

  it('awards a receipt once, and never to a second member', async () => {
    const customerId = await newMember(app);
    const receiptNo = nextReceipt();
    const [first, second] = await Promise.all([
      app.loyalty.awardPurchase({ customerId, receiptNo, amountCents: 5000 }),
      app.loyalty.awardPurchase({ customerId, receiptNo, amountCents: 5000 }),
    ]);
    expect([first.created, second.created].sort()).toEqual([false, true]);
    expect(second.points).toBe(first.points);
    expect((await card(customerId)).balance).toBe(50);
    const other = await newMember(app);
    await expect(app.loyalty.awardPurchase({ customerId: other, receiptNo, amountCents: 5000 })).rejects.toMatchObject({ code: 'RECEIPT_TAKEN' });
    expect((await card(other)).balance).toBe(0);
  });

  it('voids frozen points whole on a refund, once', async () => {
    const customerId = await newMember(app);
    const receiptNo = nextReceipt();
    await app.loyalty.awardPurchase({ customerId, receiptNo, amountCents: 8800 });
    const refund = await app.loyalty.refundPurchase({ receiptNo });
    expect(refund).toMatchObject({ refundedPoints: 88, balance: 0, created: true });
    expect(await app.loyalty.refundPurchase({ receiptNo })).toMatchObject({ refundedPoints: 88, created: false });
    expect(await card(customerId)).toMatchObject({ balance: 0, frozen: 0, lifetimePoints: 0 });
    await app.loyalty.releaseFrozen({ now: new Date(Date.now() + 30 * DAY) });
    expect((await app.loyalty.ledger({ customerId, limit: 10 })).items.map((entry) => entry.kind)).toEqual(['refund', 'purchase']);
    expect(await card(customerId)).toMatchObject({ balance: 0, frozen: 0 });
    expect(await app.loyalty.refundPurchase({ receiptNo: 'never-seen' })).toBeNull();
    expect((await app.loyalty.reconcile({ fix: false })).drifted).toEqual([]);
  });

  it('after release, takes back only what is left unspent and never goes below zero', async () => {
    const customerId = await newMember(app);
    const receiptNo = nextReceipt();
    await app.loyalty.awardPurchase({ customerId, receiptNo, amountCents: 10_000 });
    await app.loyalty.releaseFrozen({ now: new Date(Date.now() + 8 * DAY) });
    await app.loyalty.postEntry({ customerId, amount: -70, kind: 'spend', reason: 'coupon', idempotencyKey: `coupon:${customerId}` });
    const refund = await app.loyalty.refundPurchase({ receiptNo });
    expect(refund).toMatchObject({ refundedPoints: 30, balance: 0 });
    expect(await card(customerId)).toMatchObject({ balance: 0, frozen: 0, lifetimePoints: 0 });
  });

  it('multiplies by the tier, records upgrades and downgrades as interactions', async () => {
    const customerId = await newMember(app);
    await credit(app, customerId, 990);
    expect((await card(customerId)).nextTier).toEqual({ code: 'silver', name: '银卡', pointsNeeded: 10 });
    const receiptNo = nextReceipt();
    await app.loyalty.awardPurchase({ customerId, receiptNo, amountCents: 1000 });
    expect((await card(customerId)).tier).toEqual({ code: 'silver', name: '银卡', multiplier: 1.2 });
    expect(await tierEvents(customerId)).toEqual(['tier_upgraded']);

    const silverPurchase = await app.loyalty.awardPurchase({ customerId, receiptNo: nextReceipt(), amountCents: 50_000 });
    expect(silverPurchase.points).toBe(600);
    await app.loyalty.refundPurchase({ receiptNo: silverPurchase.receiptNo });
    await app.loyalty.refundPurchase({ receiptNo });
    expect((await card(customerId)).tier.code).toBe('regular');
    expect(await tierEvents(customerId)).toEqual(['tier_downgraded', 'tier_upgraded']);
  });

  it('refuses bad amounts and non-members before storing anything', async () => {
    const customerId = await newMember(app);
    for (const amountCents of [0, -1, 1.5, Number.NaN, 2 ** 53 + 2]) {
      await expect(app.loyalty.awardPurchase({ customerId, receiptNo: nextReceipt(), amountCents })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    }
    const visitor = await app.customerMerge.identify({ identity: { type: 'mp', accountId: 'wxmp', externalId: 'buyer-not-member' } });
    await expect(app.loyalty.awardPurchase({ customerId: String(visitor._id), receiptNo: nextReceipt(), amountCents: 100 })).rejects.toMatchObject({ code: 'NOT_A_MEMBER' });
    expect((await app.loyalty.ledger({ customerId, limit: 10 })).items).toEqual([]);
  });
});
