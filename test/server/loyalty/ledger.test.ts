import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { Types } from 'mongoose';
import { buildTestApp } from '../../helpers/app.ts';
import { credit, newMember } from './helpers.ts';

describe('points ledger', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildTestApp();
  });
  afterAll(() => app.close());

  const ledgerSum = async (customerId: string) => {
    const rows = await app.db.collection('points_ledger').find({ customerId: new Types.ObjectId(customerId), status: 'applied' }).toArray();
    return rows.reduce((sum, row) => sum + Number(row.amount), 0);
  };

  it('enrolls once with a readable card number carrying a Luhn check digit', async () => {
    const customer = await app.customerMerge.identify({ identity: { type: 'mp', accountId: 'wxmp', externalId: 'enroll-1' } });
    const first = await app.loyalty.enroll({ customerId: String(customer._id) });
    const again = await app.loyalty.enroll({ customerId: String(customer._id) });
    expect(first.created).toBe(true);
    expect(again).toEqual({ ...first, created: false });
    expect(first.cardNumber).toMatch(/^[1-9]\d{8}$/);
    const card = await app.loyalty.findMemberByCardNumber(first.cardNumber.replace(/(\d{4})/g, '$1 '));
    expect(card).toMatchObject({ cardNumber: first.cardNumber, balance: 0, tier: { code: 'regular', name: '普通会员', multiplier: 1 } });
    expect(card!.nextTier).toEqual({ code: 'silver', name: '银卡', pointsNeeded: 1000 });
    const wrongCheckDigit = first.cardNumber.slice(0, 8) + String((Number(first.cardNumber[8]) + 1) % 10);
    expect(await app.loyalty.findMemberByCardNumber(wrongCheckDigit)).toBeNull();
    expect((await app.customers.get(String(customer._id)))!.layer).toBe('member');
  });

  it('never lets concurrent spends take the balance below zero', async () => {
    const customerId = await newMember(app);
    await credit(app, customerId, 1000);
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => app.loyalty.postEntry({ customerId, amount: -100, kind: 'spend', reason: 'race', idempotencyKey: `race:${customerId}:${i}` })),
    );
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(10);
    const refused = results.filter((result) => result.status === 'rejected');
    expect(refused.every((result) => (result.reason as { code: string }).code === 'INSUFFICIENT_POINTS')).toBe(true);
    expect((await app.loyalty.getMember(customerId))!.balance).toBe(0);
    expect(await ledgerSum(customerId)).toBe(0);
  });

  it('charges once when the same idempotency key is retried, also concurrently', async () => {
    const customerId = await newMember(app);
    await credit(app, customerId, 500);
    const spend = { customerId, amount: -120, kind: 'spend' as const, reason: 'retry', idempotencyKey: `retry:${customerId}` };
    const results = await Promise.all([app.loyalty.postEntry(spend), app.loyalty.postEntry(spend), app.loyalty.postEntry(spend)]);
    const retried = await app.loyalty.postEntry(spend);
    expect(new Set([...results, retried].map((entry) => entry.id)).size).toBe(1);
    expect((await app.loyalty.getMember(customerId))!.balance).toBe(380);
  });

  it('refuses a spend it cannot cover and keeps refusing that key', async () => {
    const customerId = await newMember(app);
    await credit(app, customerId, 50);
    const spend = { customerId, amount: -80, kind: 'spend' as const, reason: 'too much', idempotencyKey: `over:${customerId}` };
    await expect(app.loyalty.postEntry(spend)).rejects.toMatchObject({ code: 'INSUFFICIENT_POINTS' });
    await credit(app, customerId, 50);
    await expect(app.loyalty.postEntry(spend)).rejects.toMatchObject({ code: 'INSUFFICIENT_POINTS' });
    expect((await app.loyalty.getMember(customerId))!.balance).toBe(100);
  });

  it('refuses a key reused for another member, and non-members', async () => {
    const a = await newMember(app);
    const b = await newMember(app);
    await app.loyalty.postEntry({ customerId: a, amount: 5, kind: 'earn', reason: 'x', idempotencyKey: 'shared-key' });
    await expect(app.loyalty.postEntry({ customerId: b, amount: 5, kind: 'earn', reason: 'x', idempotencyKey: 'shared-key' })).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    const visitor = await app.customerMerge.identify({ identity: { type: 'mp', accountId: 'wxmp', externalId: 'not-a-member' } });
    await expect(app.loyalty.postEntry({ customerId: String(visitor._id), amount: 5, kind: 'earn', reason: 'x', idempotencyKey: 'nm' })).rejects.toMatchObject({ code: 'NOT_A_MEMBER' });
  });

  it.each([[0], [1.5], [Number.NaN], [Number.POSITIVE_INFINITY], [2 ** 53 + 2]])('refuses an amount of %s', async (amount) => {
    const customerId = await newMember(app);
    await expect(app.loyalty.postEntry({ customerId, amount, kind: 'earn', reason: 'bad', idempotencyKey: `bad:${customerId}` })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(await app.db.collection('points_ledger').countDocuments({ idempotencyKey: `bad:${customerId}` })).toBe(0);
  });

  it('pages the ledger newest first with a cursor', async () => {
    const customerId = await newMember(app);
    for (const amount of [1, 2, 3, 4, 5]) await credit(app, customerId, amount);
    const first = await app.loyalty.ledger({ customerId, limit: 3 });
    expect(first.items.map((entry) => entry.amount)).toEqual([5, 4, 3]);
    expect(first.items[0].balanceAfter).toBe(15);
    const second = await app.loyalty.ledger({ customerId, limit: 3, cursor: first.nextCursor! });
    expect(second.items.map((entry) => entry.amount)).toEqual([2, 1]);
    expect(second.nextCursor).toBeNull();
  });
});
