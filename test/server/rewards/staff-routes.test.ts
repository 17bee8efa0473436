import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, injectAs, type Session } from '../../helpers/app.ts';
import { key, newMember, newReward, rewardState } from './helpers.ts';

const DAY = 86_400_000;

describe('rewards staff API', () => {
  let app: FastifyInstance;
  let admin: Session;
  let operator: Session;
  let agent: Session;
  beforeAll(async () => {
    app = await buildTestApp();
    [admin, operator, agent] = await Promise.all([injectAs(app, 'admin'), injectAs(app, 'operator'), injectAs(app, 'agent')]);
  });
  afterAll(() => app.close());

  const valid = { name: '星巴克中杯券', description: '任意中杯饮品一杯', imageUrl: 'https://cdn.example.com/r/latte.png', pointsCost: 500, stock: 20 };
  const post = (session: Session, payload: unknown) => session.inject({ method: 'POST', url: '/api/rewards', payload: payload as object });
  const auditItems = async () => (await admin.inject({ method: 'GET', url: '/api/audit?limit=50' })).json().items as Array<Record<string, unknown>>;

  describe('POST /api/rewards', () => {
    it('adds a reward for managers (201, audited); agents are refused', async () => {
      const created = await post(operator, { ...valid, perMemberLimit: 2, minTierCode: 'gold', validTo: new Date(Date.now() + 30 * DAY).toISOString() });
      expect(created.statusCode).toBe(201);
      expect(created.json()).toMatchObject({ ...valid, perMemberLimit: 2, minTierCode: 'gold', couponValidDays: 30, active: true, redeemedCount: 0, inFlight: 0, validFrom: null });
      expect(await auditItems()).toContainEqual(expect.objectContaining({ action: 'POST /api/rewards', targetType: 'reward', targetId: created.json().id, outcome: 'ok' }));

      expect((await post(agent, valid)).statusCode).toBe(403);
      expect((await app.inject({ method: 'POST', url: '/api/rewards', payload: valid })).statusCode).toBe(401);
    });

    it.each([
      ['an http image', { imageUrl: 'http://cdn.example.com/a.png' }],
      ['a javascript: image', { imageUrl: 'javascript:alert(1)' }],
      ['a cost of 0', { pointsCost: 0 }],
      ['a cost above 10^7', { pointsCost: 10_000_001 }],
      ['a fractional cost', { pointsCost: 1.5 }],
      ['a cost as a string', { pointsCost: '500' }],
      ['negative stock', { stock: -1 }],
      ['an operator object as name', { name: { $gt: '' } }],
      ['an unknown field', { redeemedCount: 99 }],
    ])('refuses %s with 400 and stores nothing', async (_label, fields) => {
      const before = await app.db.collection('rewards').countDocuments();
      const response = await post(operator, { ...valid, ...fields });
      expect(response.statusCode).toBe(400);
      expect(response.json().code).toBe('VALIDATION_FAILED');
      expect(await app.db.collection('rewards').countDocuments()).toBe(before);
    });

    it.each([
      ['an unknown tier', { minTierCode: 'platinum' }, '/body/minTierCode'],
      ['a window that ends before it starts', { validFrom: new Date(Date.now() + DAY).toISOString(), validTo: new Date().toISOString() }, '/body/validTo'],
    ])('refuses %s', async (_label, fields, path) => {
      const response = await post(operator, { ...valid, ...fields });
      expect(response.statusCode).toBe(400);
      expect(response.json().errors).toContainEqual(expect.objectContaining({ path }));
    });
  });

  describe('PATCH /api/rewards/:id', () => {
    it('changes fields and moves stock by a delta, audited with before and after', async () => {
      const id = await newReward(app, { stock: 5 });
      const response = await operator.inject({ method: 'PATCH', url: `/api/rewards/${id}`, payload: { addStock: 10, active: false, imageUrl: null } });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ stock: 15, active: false, imageUrl: null });
      const entry = (await auditItems()).find((item) => item.action === 'PATCH /api/rewards/:id' && item.targetId === id);
      expect(entry).toMatchObject({ before: expect.objectContaining({ stock: 5, active: true }), after: expect.objectContaining({ stock: 15, active: false }) });
    });

    it('refuses to withdraw more stock than is left (409) and answers 404 for an unknown reward', async () => {
      const id = await newReward(app, { stock: 2 });
      const response = await operator.inject({ method: 'PATCH', url: `/api/rewards/${id}`, payload: { addStock: -3 } });
      expect(response.statusCode).toBe(409);
      expect(await rewardState(app, id)).toMatchObject({ stock: 2 });
      expect((await operator.inject({ method: 'PATCH', url: '/api/rewards/0123456789abcdef01234567', payload: { active: false } })).statusCode).toBe(404);
      expect((await operator.inject({ method: 'PATCH', url: `/api/rewards/${id}`, payload: {} })).statusCode).toBe(400);
    });
  });

  describe('GET /api/rewards', () => {
    it('pages newest first and filters by active', async () => {
      const inactive = await newReward(app, { active: false });
      const page = (await operator.inject({ method: 'GET', url: '/api/rewards?limit=2' })).json();
      expect(page.items).toHaveLength(2);
      expect(page.items[0].id).toBe(inactive);
      const next = (await operator.inject({ method: 'GET', url: `/api/rewards?limit=2&cursor=${page.nextCursor}` })).json();
      expect(next.items.map((item: { id: string }) => item.id)).not.toContain(inactive);
      const onlyInactive = (await operator.inject({ method: 'GET', url: '/api/rewards?active=false&limit=100' })).json();
      expect(onlyInactive.items.every((item: { active: boolean }) => !item.active)).toBe(true);
      expect((await operator.inject({ method: 'GET', url: '/api/rewards?cursor=forged' })).statusCode).toBe(400);
    });
  });

  describe('redemptions and coupon verification', () => {
    it('lists redemptions by status, reward and customer, with the coupon code masked', async () => {
      const rewardId = await newReward(app, { pointsCost: 100 });
      const customerId = await newMember(app, 250);
      const { coupon } = await app.rewards.redeem({ customerId, rewardId, idempotencyKey: key() });
      const page = (await operator.inject({ method: 'GET', url: `/api/redemptions?rewardId=${rewardId}&status=issued` })).json();
      expect(page.items).toEqual([
        expect.objectContaining({ customerId, rewardId, status: 'issued', pointsCost: 100, coupon: expect.objectContaining({ id: coupon.id, status: 'issued', codeHint: `********${coupon.code.slice(-4)}` }) }),
      ]);
      expect(JSON.stringify(page)).not.toContain(coupon.code);
      expect((await operator.inject({ method: 'GET', url: `/api/redemptions?customerId=${customerId}&status=failed` })).json().items).toEqual([]);
      expect((await agent.inject({ method: 'GET', url: '/api/redemptions' })).statusCode).toBe(403);
    });

    it('verifies a coupon once; the second verify is 409 COUPON_ALREADY_USED; audited', async () => {
      const customerId = await newMember(app, 100);
      const { coupon } = await app.rewards.redeem({ customerId, rewardId: await newReward(app, { pointsCost: 100 }), idempotencyKey: key() });
      const typed = coupon.codeDisplay.toLowerCase();
      const [first, second] = await Promise.all([
        agent.inject({ method: 'POST', url: '/api/redemptions/verify', payload: { code: typed } }),
        operator.inject({ method: 'POST', url: '/api/redemptions/verify', payload: { code: coupon.code } }),
      ]);
      expect([first.statusCode, second.statusCode].sort()).toEqual([200, 409]);
      const [ok, refused] = first.statusCode === 200 ? [first, second] : [second, first];
      expect(ok.json()).toMatchObject({ id: coupon.id, customerId, status: 'used', usedAt: expect.any(String) });
      expect(refused.json().code).toBe('COUPON_ALREADY_USED');
      expect(await auditItems()).toContainEqual(expect.objectContaining({ action: 'POST /api/redemptions/verify', targetType: 'coupon', targetId: coupon.id }));
      const mine = await app.rewards.getCoupon(customerId, coupon.id);
      expect(mine).toMatchObject({ status: 'used' });
    });

    it('refuses an expired coupon (409) and an unknown code (404)', async () => {
      const customerId = await newMember(app, 100);
      const { coupon } = await app.rewards.redeem({ customerId, rewardId: await newReward(app, { pointsCost: 100, couponValidDays: 1 }), idempotencyKey: key(), now: new Date(Date.now() - 2 * DAY) });
      const expired = await agent.inject({ method: 'POST', url: '/api/redemptions/verify', payload: { code: coupon.code } });
      expect(expired.statusCode).toBe(409);
      expect(expired.json().code).toBe('COUPON_EXPIRED');
      expect((await agent.inject({ method: 'POST', url: '/api/redemptions/verify', payload: { code: 'NOSUCHCODE23' } })).statusCode).toBe(404);
      expect((await agent.inject({ method: 'POST', url: '/api/redemptions/verify', payload: { code: { $ne: '' } } })).statusCode).toBe(400);
    });
  });
});
