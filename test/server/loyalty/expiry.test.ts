import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { Types } from 'mongoose';
import { buildTestApp } from '../../helpers/app.ts';
import { newMember, shanghai } from './helpers.ts';

describe('points expiry', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildTestApp();
  });
  afterAll(() => app.close());

  const post = (customerId: string, amount: number, wallClock: string, kind: 'earn' | 'spend' = amount > 0 ? 'earn' : 'spend') =>
    app.loyalty.postEntry({ customerId, amount, kind, reason: kind, idempotencyKey: `${kind}:${customerId}:${wallClock}`, at: shanghai(wallClock) });
  const expiries = (customerId: string) => app.db.collection('points_ledger').find({ customerId: new Types.ObjectId(customerId), kind: 'expire' }).toArray();

  it('expires what is left of points earned 12 months before, oldest spent first, once per period', async () => {
    const customerId = await newMember(app);
    await post(customerId, 100, '2025-01-15T10:00:00');
    await post(customerId, 50, '2025-06-10T10:00:00');
    await post(customerId, -30, '2025-07-01T10:00:00');

    // January 2025's points expire at the end of January 2026.
    expect((await app.loyalty.expirePoints({ now: shanghai('2026-01-31T23:59:00') })).points).toBe(0);
    const february = await app.loyalty.expirePoints({ now: shanghai('2026-02-01T00:10:00') });
    expect(february).toMatchObject({ expiredMonth: '2025-01' });
    expect((await app.loyalty.getMember(customerId))!.balance).toBe(50);
    const again = await app.loyalty.expirePoints({ now: shanghai('2026-02-20T00:10:00') });
    expect(again.members).toBe(0);
    expect(await expiries(customerId)).toHaveLength(1);

    await app.loyalty.expirePoints({ now: shanghai('2026-07-01T00:10:00') });
    expect((await app.loyalty.getMember(customerId))!.balance).toBe(0);
    expect((await expiries(customerId)).map((entry) => entry.amount)).toEqual([-70, -50]);
    expect((await app.loyalty.reconcile({ fix: false })).drifted).toEqual([]);
  });

  it('leaves recent and frozen points alone', async () => {
    const customerId = await newMember(app);
    await post(customerId, 40, '2026-05-01T10:00:00');
    await app.loyalty.awardPurchase({ customerId, receiptNo: `exp-${customerId}`, amountCents: 2000, now: shanghai('2026-05-02T10:00:00') });
    await app.loyalty.expirePoints({ now: shanghai('2026-05-03T10:00:00') });
    expect(await app.loyalty.getMember(customerId)).toMatchObject({ balance: 60, frozen: 20 });
    expect(await expiries(customerId)).toHaveLength(0);
  });
});
