import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { injectAs, type Session } from '../../helpers/app.ts';
import { buildMpTestApp, joinedMember, loginConsumer, openid, type ConsumerSession, type MpTestApp } from './mp-app.ts';

describe('member card and in-store scan', () => {
  let kit: MpTestApp;
  let member: ConsumerSession;
  let cashier: Session;

  beforeAll(async () => {
    kit = await buildMpTestApp();
    member = await joinedMember(kit, 'card');
    cashier = await injectAs(kit.app, 'agent');
  });
  afterAll(() => kit.close());
  afterEach(() => {
    vi.useRealTimers();
  });

  const card = async (session = member) => (await session.inject({ method: 'GET', url: '/api/mp/card' })).json();
  const scan = (code: string) => cashier.inject({ method: 'POST', url: '/api/loyalty/scan', payload: { code } });
  const purchase = (payload: Record<string, unknown>) => cashier.inject({ method: 'POST', url: '/api/loyalty/scan/purchase', payload });

  it('shows the card with tier, points and a dynamic member code as a QR image', async () => {
    const body = await card();
    expect(body).toEqual({
      cardNumber: expect.stringMatching(/^\d{9}$/),
      cardNumberDisplay: expect.any(String),
      tier: { code: 'regular', name: '普通会员', multiplier: 1 },
      balance: 0,
      frozen: 0,
      available: 0,
      lifetimePoints: 0,
      nextTier: { code: 'silver', name: '银卡', pointsNeeded: 1000 },
      joinedAt: expect.any(String),
      memberCode: { code: expect.stringMatching(new RegExp(`^v1\\.${member.customerId}\\.\\d+\\.[\\w-]{43}$`)), expiresAt: expect.any(String), qrDataUrl: expect.stringMatching(/^data:image\/png;base64,/) },
    });
    const secondsLeft = (Date.parse(body.memberCode.expiresAt) - Date.now()) / 1000;
    expect(secondsLeft).toBeGreaterThan(0);
    expect(secondsLeft).toBeLessThanOrEqual(60);
  });

  it('answers 404 NOT_A_MEMBER for the card before joining', async () => {
    const guest = await loginConsumer(kit, { openid: openid('guest') });
    const response = await guest.inject({ method: 'GET', url: '/api/mp/card' });
    expect(response.statusCode).toBe(404);
    expect(response.json().code).toBe('NOT_A_MEMBER');
  });

  it('a cashier scans the code and sees the member; scanning it again in the same minute works too', async () => {
    const { memberCode } = await card();
    for (let i = 0; i < 2; i++) {
      const response = await scan(memberCode.code);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ customerId: member.customerId, customer: { nickname: null }, card: { tier: { code: 'regular' }, balance: 0 } });
    }
  });

  it('a screenshot of the code stops working after 2 minutes', async () => {
    const { memberCode } = await card();
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 60_000 });
    expect((await scan(memberCode.code)).statusCode).toBe(200);
    vi.setSystemTime(Date.now() + 60_000);
    const response = await scan(memberCode.code);
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('MEMBER_CODE_EXPIRED');
  });

  it('rejects a forged code, a malformed code and a valid code of someone who never joined', async () => {
    const { memberCode } = await card();
    const [version, customerId, window] = memberCode.code.split('.');
    const forged = [version, customerId, window, 'A'.repeat(43)].join('.');
    expect((await scan(forged)).json()).toMatchObject({ status: 400, code: 'MEMBER_CODE_INVALID', detail: 'the member code is not valid (forged)' });
    expect((await scan(`${memberCode.code}x`)).json()).toMatchObject({ status: 400, code: 'MEMBER_CODE_INVALID', detail: 'the member code is not valid (malformed)' });
    expect((await scan(customerId)).json()).toMatchObject({ status: 400, code: 'MEMBER_CODE_INVALID' });

    const guest = await loginConsumer(kit, { openid: openid('nocard') });
    const guestCode = (await guest.inject({ method: 'GET', url: '/api/mp/card/code' })).json().code;
    expect((await scan(guestCode)).json()).toMatchObject({ status: 404, code: 'NOT_A_MEMBER' });
  });

  it('only staff may scan: a consumer token is 401', async () => {
    const { memberCode } = await card();
    const response = await member.inject({ method: 'POST', url: '/api/loyalty/scan', payload: { code: memberCode.code } });
    expect(response.statusCode).toBe(401);
  });

  it('awards purchase points once per receipt, frozen for the return window', async () => {
    const { memberCode } = await card();
    const receiptNo = `R-${openid()}`;
    const first = await purchase({ code: memberCode.code, receiptNo, amountCents: 12_345 });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ customerId: member.customerId, receiptNo, amountCents: 12_345, points: 123, created: true });
    const frozenDays = (Date.parse(first.json().frozenUntil) - Date.now()) / 86_400_000;
    expect(Math.round(frozenDays)).toBe(7);

    const replay = await purchase({ code: memberCode.code, receiptNo, amountCents: 12_345 });
    expect(replay.json()).toMatchObject({ points: 123, created: false });
    expect(await card()).toMatchObject({ balance: 123, frozen: 123, available: 0, lifetimePoints: 123 });
    const customer = await kit.app.customers.get(member.customerId);
    expect(customer?.layer).toBe('member');
  });

  it.each([
    ['a negative amount', { amountCents: -1 }],
    ['a zero amount', { amountCents: 0 }],
    ['a string amount', { amountCents: '100' }],
    ['a fractional amount', { amountCents: 1.5 }],
    ['an amount above 2^53', { amountCents: 2 ** 53 + 2 }],
    ['a receipt number with operators', { receiptNo: { $gt: '' } }],
    ['a customer id', { customerId: '65a1b2c3d4e5f60718293a4b' }],
  ])('refuses %s with 400 and awards nothing', async (_label, fields) => {
    const { memberCode } = await card();
    const before = await card();
    const response = await purchase({ code: memberCode.code, receiptNo: `R-${openid()}`, amountCents: 100, ...fields });
    expect(response.statusCode).toBe(400);
    expect((await card()).lifetimePoints).toBe(before.lifetimePoints);
  });

  it('refuses an amount of 1e309 (JSON infinity) with 400', async () => {
    const { memberCode } = await card();
    const response = await cashier.inject({
      method: 'POST',
      url: '/api/loyalty/scan/purchase',
      headers: { 'content-type': 'application/json' },
      payload: `{"code":"${memberCode.code}","receiptNo":"R-inf","amountCents":1e309}`,
    });
    expect(response.statusCode).toBe(400);
  });

  it('refuses a purchase with an expired code', async () => {
    const stale = kit.app.mp.memberCodes.issue(member.customerId, new Date(Date.now() - 2 * 60_000 - 1000));
    const response = await purchase({ code: stale.code, receiptNo: `R-${openid()}`, amountCents: 100 });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('MEMBER_CODE_EXPIRED');
  });
});
