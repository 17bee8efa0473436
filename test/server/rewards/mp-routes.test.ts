import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MpCoupon, MpRedeemReply, MpReward, MpRewardList } from '../../../shared/src/rewards-api.ts';
import { buildTestApp, injectAs } from '../../helpers/app.ts';
import { asConsumer, available, key, newMember, newReward, type Consumer } from './helpers.ts';

const DAY = 86_400_000;

describe('rewards in the mini-program API', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildTestApp();
  });
  afterAll(() => app.close());

  const redeem = (consumer: Consumer, rewardId: string, idempotencyKey = key('mp')) =>
    consumer.inject({ method: 'POST', url: `/api/mp/rewards/${rewardId}/redeem`, payload: { idempotencyKey } });

  describe('GET /api/mp/rewards', () => {
    it('lists rewards on offer, cheapest first, with affordable and eligible for this member', async () => {
      const cheap = await newReward(app, { name: '贴纸', pointsCost: 50 });
      const dear = await newReward(app, { name: '保温杯', pointsCost: 5000 });
      const gold = await newReward(app, { name: '金卡礼', pointsCost: 60, minTierCode: 'gold' });
      const hidden = [await newReward(app, { active: false }), await newReward(app, { validTo: new Date(Date.now() - DAY) })];
      const me = await asConsumer(app, await newMember(app, 300));

      const response = await me.inject({ method: 'GET', url: '/api/mp/rewards' });
      expect(response.statusCode).toBe(200);
      const list = response.json<MpRewardList>();
      expect(list.available).toBe(300);
      const byId = new Map(list.items.map((item) => [item.id, item]));
      expect(byId.get(cheap)).toMatchObject({ name: '贴纸', affordable: true, eligible: true, redeemedByMe: 0, minTier: null });
      expect(byId.get(dear)).toMatchObject({ affordable: false, eligible: true });
      expect(byId.get(gold)).toMatchObject({ affordable: true, eligible: false, minTier: { code: 'gold', name: '金卡' } });
      for (const id of hidden) expect(byId.has(id)).toBe(false);
      const costs = list.items.map((item) => item.pointsCost);
      expect(costs).toEqual([...costs].sort((a, b) => a - b));
    });

    it('shows the catalog to a consumer who has not joined, with nothing affordable', async () => {
      const guest = await app.customerMerge.identify({ identity: { type: 'mp', accountId: 'wxmp', externalId: `guest-${key()}` } });
      const list = (await (await asConsumer(app, String(guest._id))).inject({ method: 'GET', url: '/api/mp/rewards' })).json<MpRewardList>();
      expect(list.available).toBeNull();
      expect(list.items.length).toBeGreaterThan(0);
      expect(list.items.every((item) => !item.affordable && !item.eligible)).toBe(true);
    });

    it('answers one reward on offer, and 404 for one that is not', async () => {
      const id = await newReward(app, { pointsCost: 10, perMemberLimit: 1 });
      const me = await asConsumer(app, await newMember(app, 100));
      expect((await me.inject({ method: 'GET', url: `/api/mp/rewards/${id}` })).json<MpReward>()).toMatchObject({ id, eligible: true, perMemberLimit: 1 });
      await redeem(me, id);
      expect((await me.inject({ method: 'GET', url: `/api/mp/rewards/${id}` })).json<MpReward>()).toMatchObject({ eligible: false, redeemedByMe: 1 });
      const inactive = await newReward(app, { active: false });
      expect((await me.inject({ method: 'GET', url: `/api/mp/rewards/${inactive}` })).statusCode).toBe(404);
    });
  });

  describe('POST /api/mp/rewards/:id/redeem', () => {
    it('redeems for a coupon; the same key answers the same coupon without a second charge', async () => {
      const rewardId = await newReward(app, { name: '中杯拿铁', pointsCost: 120, couponValidDays: 7 });
      const me = await asConsumer(app, await newMember(app, 200));
      const idempotencyKey = key('tap');
      const first = await redeem(me, rewardId, idempotencyKey);
      expect(first.statusCode).toBe(200);
      const body = first.json<MpRedeemReply>();
      expect(body.redemption).toMatchObject({ rewardId, rewardName: '中杯拿铁', pointsCost: 120, status: 'issued' });
      expect(body.coupon).toMatchObject({ rewardId, status: 'issued', code: expect.stringMatching(/^[2-9A-HJKMNP-Z]{12}$/), usedAt: null });
      expect(Date.parse(body.coupon.expiresAt) - Date.parse(body.coupon.issuedAt)).toBe(7 * DAY);

      const again = await redeem(me, rewardId, idempotencyKey);
      expect(again.json()).toEqual(body);
      expect(await available(app, me.customerId)).toBe(80);
    });

    it.each([
      ['a key that is too short', { idempotencyKey: 'abc' }],
      ['a key with operators', { idempotencyKey: { $gt: '' } }],
      ['no key', {}],
      ['an unknown field', { idempotencyKey: 'abcdefgh-1', pointsCost: 1 }],
    ])('refuses %s with 400', async (_label, payload) => {
      const me = await asConsumer(app, await newMember(app, 500));
      const response = await me.inject({ method: 'POST', url: `/api/mp/rewards/${await newReward(app)}/redeem`, payload });
      expect(response.statusCode).toBe(400);
      expect(await available(app, me.customerId)).toBe(500);
    });

    it.each([
      ['OUT_OF_STOCK', 409, { stock: 0 }, 500],
      ['INSUFFICIENT_POINTS', 409, { pointsCost: 600 }, 500],
      ['TIER_TOO_LOW', 403, { minTierCode: 'diamond' }, 500],
      ['REWARD_UNAVAILABLE', 409, { validFrom: new Date(Date.now() + DAY) }, 500],
    ])('answers %s with %i', async (code, status, fields, points) => {
      const me = await asConsumer(app, await newMember(app, points));
      const response = await redeem(me, await newReward(app, fields));
      expect(response.statusCode).toBe(status);
      expect(response.json().code).toBe(code);
    });

    it('needs a consumer token: none, a forged one or a staff session is 401', async () => {
      const rewardId = await newReward(app);
      const staff = await injectAs(app, 'admin');
      for (const authorization of [undefined, 'Bearer not-a-token', `Bearer ${staff.token}`]) {
        const response = await app.inject({ method: 'POST', url: `/api/mp/rewards/${rewardId}/redeem`, payload: { idempotencyKey: key() }, headers: authorization ? { authorization } : {} });
        expect(response.statusCode).toBe(401);
      }
    });
  });

  describe('GET /api/mp/coupons', () => {
    it('lists my coupons by status (issued, used, expired) and pages them', async () => {
      const me = await asConsumer(app, await newMember(app, 1000));
      const rewardId = await newReward(app, { pointsCost: 10, couponValidDays: 1 });
      const issued = (await app.rewards.redeem({ customerId: me.customerId, rewardId, idempotencyKey: key() })).coupon;
      const used = (await app.rewards.redeem({ customerId: me.customerId, rewardId, idempotencyKey: key() })).coupon;
      const expired = (await app.rewards.redeem({ customerId: me.customerId, rewardId, idempotencyKey: key(), now: new Date(Date.now() - 2 * DAY) })).coupon;
      await app.rewards.verifyCoupon({ code: used.code, staffId: '0123456789abcdef01234567', now: new Date() });

      const ids = async (query: string) => (await me.inject({ method: 'GET', url: `/api/mp/coupons${query}` })).json<{ items: MpCoupon[] }>().items.map((coupon) => coupon.id);
      expect(await ids('?status=issued')).toEqual([issued.id]);
      expect(await ids('?status=used')).toEqual([used.id]);
      expect(await ids('?status=expired')).toEqual([expired.id]);
      expect(await ids('')).toEqual([expired.id, used.id, issued.id]);

      const page = (await me.inject({ method: 'GET', url: '/api/mp/coupons?limit=2' })).json();
      const rest = (await me.inject({ method: 'GET', url: `/api/mp/coupons?limit=2&cursor=${page.nextCursor}` })).json();
      expect([...page.items, ...rest.items].map((coupon: MpCoupon) => coupon.id)).toEqual([expired.id, used.id, issued.id]);
      expect(rest.nextCursor).toBeNull();
    });

    it("answers 404 for another consumer's coupon and never lists it", async () => {
      const owner = await asConsumer(app, await newMember(app, 100));
      const other = await asConsumer(app, await newMember(app, 100));
      const { coupon } = (await redeem(owner, await newReward(app, { pointsCost: 10 }))).json<MpRedeemReply>();

      expect((await owner.inject({ method: 'GET', url: `/api/mp/coupons/${coupon.id}` })).json()).toMatchObject({ id: coupon.id, code: coupon.code });
      const stolen = await other.inject({ method: 'GET', url: `/api/mp/coupons/${coupon.id}` });
      expect(stolen.statusCode).toBe(404);
      expect(stolen.body).not.toContain(coupon.code);
      expect((await other.inject({ method: 'GET', url: '/api/mp/coupons' })).json().items).toEqual([]);
      expect((await other.inject({ method: 'GET', url: '/api/mp/coupons/not-an-id' })).statusCode).toBe(400);
    });
  });
});
