import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { Types } from 'mongoose';
import { DEFAULT_LOYALTY_SETTINGS } from '../../../server/src/modules/loyalty/loyalty-settings.schemas.ts';
import { buildTestApp, injectAs, type Session } from '../../helpers/app.ts';
import { credit, newMember } from './helpers.ts';

describe('loyalty staff API', () => {
  let app: FastifyInstance;
  let admin: Session;
  let operator: Session;
  let agent: Session;
  beforeAll(async () => {
    app = await buildTestApp();
    [admin, operator, agent] = await Promise.all([injectAs(app, 'admin'), injectAs(app, 'operator'), injectAs(app, 'agent')]);
  });
  afterAll(() => app.close());

  const json = (session: Session, method: 'POST' | 'PUT', url: string, body: string) =>
    session.inject({ method, url, payload: body, headers: { 'content-type': 'application/json' } });
  const storedEntries = (customerId: string) => app.db.collection('points_ledger').countDocuments({ customerId: new Types.ObjectId(customerId) });

  describe('POST /api/loyalty/members/:customerId/purchases', () => {
    it('awards on the first scan (201) and answers a repeat with the same award (200)', async () => {
      const customerId = await newMember(app);
      const url = `/api/loyalty/members/${customerId}/purchases`;
      const first = await agent.inject({ method: 'POST', url, payload: { receiptNo: 'POS-0001', amountCents: 25_000 } });
      expect(first.statusCode).toBe(201);
      expect(first.json()).toMatchObject({ receiptNo: 'POS-0001', points: 250, created: true, balance: 250 });
      const repeat = await agent.inject({ method: 'POST', url, payload: { receiptNo: 'POS-0001', amountCents: 25_000 } });
      expect(repeat.statusCode).toBe(200);
      expect(repeat.json()).toMatchObject({ points: 250, created: false });
    });

    it.each([
      ['-1', '{"receiptNo":"POS-1","amountCents":-1}'],
      ['1e309', '{"receiptNo":"POS-2","amountCents":1e309}'],
      ['"100" as a string', '{"receiptNo":"POS-3","amountCents":"100"}'],
      ['NaN', '{"receiptNo":"POS-4","amountCents":NaN}'],
      ['2^53 + 2', `{"receiptNo":"POS-5","amountCents":${2 ** 53 + 2}}`],
      ['1.5', '{"receiptNo":"POS-6","amountCents":1.5}'],
      ['an operator object', '{"receiptNo":{"$gt":""},"amountCents":100}'],
      ['an unknown field', '{"receiptNo":"POS-7","amountCents":100,"points":99999}'],
    ])('rejects an amount of %s with 400 and stores nothing', async (_label, body) => {
      const customerId = await newMember(app);
      const response = await json(agent, 'POST', `/api/loyalty/members/${customerId}/purchases`, body);
      expect(response.statusCode).toBe(400);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(await storedEntries(customerId)).toBe(0);
      expect((await app.loyalty.getMember(customerId))!.balance).toBe(0);
    });

    it('answers 404 NOT_A_MEMBER for a customer who has not joined', async () => {
      const visitor = await app.customerMerge.identify({ identity: { type: 'mp', accountId: 'wxmp', externalId: 'route-visitor' } });
      const response = await agent.inject({ method: 'POST', url: `/api/loyalty/members/${String(visitor._id)}/purchases`, payload: { receiptNo: 'POS-NM', amountCents: 100 } });
      expect(response.statusCode).toBe(404);
      expect(response.json().code).toBe('NOT_A_MEMBER');
    });
  });

  describe('POST /api/loyalty/purchases/:receiptNo/refund', () => {
    it('voids the points for managers; agents are refused', async () => {
      const customerId = await newMember(app);
      await agent.inject({ method: 'POST', url: `/api/loyalty/members/${customerId}/purchases`, payload: { receiptNo: 'POS-RF', amountCents: 9900 } });
      expect((await agent.inject({ method: 'POST', url: '/api/loyalty/purchases/POS-RF/refund' })).statusCode).toBe(403);
      const refund = await operator.inject({ method: 'POST', url: '/api/loyalty/purchases/POS-RF/refund' });
      expect(refund.json()).toMatchObject({ refundedPoints: 99, balance: 0, created: true });
      expect((await operator.inject({ method: 'POST', url: '/api/loyalty/purchases/NO-SUCH/refund' })).statusCode).toBe(404);
    });
  });

  describe('POST /api/loyalty/members/:customerId/adjustments', () => {
    it('adjusts with a reason, audited; the same Idempotency-Key applies once', async () => {
      const customerId = await newMember(app);
      const request = { method: 'POST' as const, url: `/api/loyalty/members/${customerId}/adjustments`, payload: { amount: 300, reason: '客诉补偿' }, headers: { 'idempotency-key': 'ticket-20260310-1' } };
      const first = await operator.inject(request);
      expect(first.statusCode).toBe(201);
      expect(first.json().entry).toMatchObject({ kind: 'adjust', amount: 300, balanceAfter: 300, reason: '客诉补偿' });
      await operator.inject(request);
      expect((await app.loyalty.getMember(customerId))!.balance).toBe(300);
      const audit = (await admin.inject({ method: 'GET', url: '/api/audit?limit=20' })).json();
      expect(audit.items).toContainEqual(expect.objectContaining({ targetType: 'member', targetId: customerId, after: expect.objectContaining({ amount: 300, reason: '客诉补偿' }) }));
    });

    it('agents cannot adjust points (403), and nothing is stored', async () => {
      const customerId = await newMember(app);
      const response = await agent.inject({ method: 'POST', url: `/api/loyalty/members/${customerId}/adjustments`, payload: { amount: 500, reason: '想加分' } });
      expect(response.statusCode).toBe(403);
      expect(await storedEntries(customerId)).toBe(0);
    });

    it.each([
      ['no reason', { amount: 10 }],
      ['zero points', { amount: 0, reason: '无效调整' }],
      ['a fraction', { amount: 0.5, reason: '无效调整' }],
      ['too many points', { amount: 2 ** 53 + 2, reason: '无效调整' }],
    ])('refuses %s', async (_label, payload) => {
      const customerId = await newMember(app);
      const response = await operator.inject({ method: 'POST', url: `/api/loyalty/members/${customerId}/adjustments`, payload });
      expect(response.statusCode).toBe(400);
      expect(await storedEntries(customerId)).toBe(0);
    });

    it('refuses to take more than the member can spend (409)', async () => {
      const customerId = await newMember(app);
      await credit(app, customerId, 50);
      const response = await operator.inject({ method: 'POST', url: `/api/loyalty/members/${customerId}/adjustments`, payload: { amount: -80, reason: '扣减' } });
      expect(response.statusCode).toBe(409);
      expect(response.json().code).toBe('INSUFFICIENT_POINTS');
    });
  });

  describe('member lookup', () => {
    it('shows the card with a ledger page, and finds it by card number read aloud', async () => {
      const customerId = await newMember(app);
      await credit(app, customerId, 1200);
      const response = await agent.inject({ method: 'GET', url: `/api/loyalty/members/${customerId}?limit=5` });
      expect(response.statusCode).toBe(200);
      const { member, ledger } = response.json();
      expect(member).toMatchObject({ balance: 1200, available: 1200, tier: { code: 'silver' }, nextTier: { name: '金卡', pointsNeeded: 3800 } });
      expect(ledger.items[0]).toMatchObject({ kind: 'earn', amount: 1200, balanceAfter: 1200 });
      expect(ledger.items[0].idempotencyKey).toBeUndefined();
      const byCard = await agent.inject({ method: 'GET', url: `/api/loyalty/members/by-card/${encodeURIComponent(member.cardNumberDisplay)}` });
      expect(byCard.json().customerId).toBe(customerId);
      const typo = member.cardNumber.slice(0, 8) + String((Number(member.cardNumber[8]) + 1) % 10);
      expect((await agent.inject({ method: 'GET', url: `/api/loyalty/members/by-card/${typo}` })).statusCode).toBe(404);
    });
  });

  describe('/api/loyalty/settings', () => {
    it('managers change the rules, audited with before and after; agents cannot read them', async () => {
      expect((await agent.inject({ method: 'GET', url: '/api/loyalty/settings' })).statusCode).toBe(403);
      expect((await operator.inject({ method: 'GET', url: '/api/loyalty/settings' })).json()).toEqual(DEFAULT_LOYALTY_SETTINGS);
      const next = { ...DEFAULT_LOYALTY_SETTINGS, checkinCycle: [1, 2, 3], makeupPerMonth: 5 };
      const response = await operator.inject({ method: 'PUT', url: '/api/loyalty/settings', payload: next });
      expect(response.json()).toEqual(next);
      expect(await app.loyalty.getSettings()).toEqual(next);
      const audit = (await admin.inject({ method: 'GET', url: '/api/audit?limit=50' })).json();
      const entry = audit.items.find((item: { targetType: string }) => item.targetType === 'loyalty-settings');
      expect(entry.before.checkinCycle).toEqual([5, 5, 10, 5, 5, 10, 30]);
      expect(entry.after.checkinCycle).toEqual([1, 2, 3]);
      await operator.inject({ method: 'PUT', url: '/api/loyalty/settings', payload: DEFAULT_LOYALTY_SETTINGS });
    });

    it.each([
      [{ checkinCycle: [] }, '/body/checkinCycle'],
      [{ checkinCycle: [5, -1] }, '/body/checkinCycle/1'],
      [{ makeupCost: '20' }, '/body/makeupCost'],
      [{ tiers: [{ code: 'regular', name: '普通', threshold: 10, multiplier: 1 }] }, '/body/tiers/0/threshold'],
      [{ tiers: [DEFAULT_LOYALTY_SETTINGS.tiers[0], { ...DEFAULT_LOYALTY_SETTINGS.tiers[1], threshold: 0 }] }, '/body/tiers/1/threshold'],
    ])('rejects %o naming the field', async (change, path) => {
      const response = await operator.inject({ method: 'PUT', url: '/api/loyalty/settings', payload: { ...DEFAULT_LOYALTY_SETTINGS, ...change } });
      expect(response.statusCode).toBe(400);
      expect(response.json().errors.map((error: { path: string }) => error.path)).toContain(path);
      expect(await app.loyalty.getSettings()).toEqual(DEFAULT_LOYALTY_SETTINGS);
    });
  });
});
