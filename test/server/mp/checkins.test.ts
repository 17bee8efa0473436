import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildMpTestApp, joinedMember, loginConsumer, openid, type ConsumerSession, type MpTestApp } from './mp-app.ts';

// 00:30 on 21 November in Shanghai while it is still the 20th in UTC: the day must be the brand's.
const SERVER_NOW = new Date('2026-11-20T16:30:00Z');
const TODAY = '2026-11-21';

describe('check-ins and points through /api/mp', () => {
  let kit: MpTestApp;

  beforeAll(async () => {
    kit = await buildMpTestApp();
  });
  afterAll(() => kit.close());
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'], now: SERVER_NOW });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const checkIn = (session: ConsumerSession, payload?: unknown) =>
    session.inject({ method: 'POST', url: '/api/mp/checkins', ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });
  const calendar = async (session: ConsumerSession) => (await session.inject({ method: 'GET', url: '/api/mp/checkins?month=2026-11' })).json();
  const fund = (session: ConsumerSession, amount: number) =>
    kit.app.loyalty.postEntry({ customerId: session.customerId, kind: 'adjust', amount, reason: 'test funds', idempotencyKey: `fund:${openid()}` });

  it("checks in on the brand's day from the server clock, once", async () => {
    const member = await joinedMember(kit, 'checkin');
    const first = await checkIn(member);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({
      day: TODAY,
      streak: 1,
      points: 5,
      cycleDay: 1,
      reward: { cycleDay: 1, points: 5, bonus: false, nextPoints: 5 },
      balance: 5,
    });
    const again = await checkIn(member, {});
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('ALREADY_CHECKED_IN');
  });

  it.each([[{ day: '2026-11-19' }], [{ date: '2026-11-19T00:00:00+08:00' }], [{ now: 0 }], [[]], ['2026-11-19']])(
    'refuses a client-sent date %j with 400 and stores nothing',
    async (payload) => {
      const member = await joinedMember(kit, 'clientdate');
      const response = await member.inject({ method: 'POST', url: '/api/mp/checkins', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(payload) });
      expect(response.statusCode).toBe(400);
      if (!Array.isArray(payload) && typeof payload === 'object') {
        expect(response.json().errors).toEqual([{ path: `/body/${Object.keys(payload)[0]}`, message: 'unknown field' }]);
      }
      expect((await calendar(member)).days).toEqual([]);
    },
  );

  it('lets exactly one of 20 concurrent check-ins through', async () => {
    const member = await joinedMember(kit, 'race');
    const statuses = await Promise.all(Array.from({ length: 20 }, () => checkIn(member).then((response) => response.statusCode)));
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(19);
    expect((await kit.app.loyalty.getMember(member.customerId))?.balance).toBe(5);
  });

  it('answers 404 NOT_A_MEMBER to a guest', async () => {
    const guest = await loginConsumer(kit, { openid: openid('guest') });
    const response = await checkIn(guest);
    expect(response.statusCode).toBe(404);
    expect(response.json().code).toBe('NOT_A_MEMBER');
  });

  it("shows the month's calendar and makes up a missed day for points", async () => {
    const member = await joinedMember(kit, 'makeup');
    await fund(member, 100);
    await checkIn(member);
    const madeUp = await member.inject({ method: 'POST', url: '/api/mp/checkins/makeup', payload: { day: '2026-11-20' } });
    expect(madeUp.statusCode).toBe(200);
    expect(madeUp.json()).toEqual({ day: '2026-11-20', cost: 20, streak: 2, balance: 85 });

    const month = await calendar(member);
    expect(month).toMatchObject({ month: '2026-11', today: TODAY, checkedInToday: true, streak: 2, makeup: { cost: 20, perMonth: 2, usedThisMonth: 1 } });
    expect(month.days).toEqual([
      { day: '2026-11-20', points: 0, makeup: true },
      { day: TODAY, points: 5, makeup: false },
    ]);
  });

  it.each([
    ['today', { day: TODAY }, 400],
    ['a future day', { day: '2026-11-25' }, 400],
    ['last month', { day: '2026-10-31' }, 400],
    ['a day that does not exist', { day: '2026-11-31' }, 400],
    ['a timestamp', { day: '2026-11-20T00:00:00Z' }, 400],
    ['an extra field', { day: '2026-11-20', cost: 0 }, 400],
  ])('refuses a make-up for %s', async (_label, payload, status) => {
    const member = await joinedMember(kit, 'badmakeup');
    await fund(member, 100);
    const response = await member.inject({ method: 'POST', url: '/api/mp/checkins/makeup', payload });
    expect(response.statusCode).toBe(status);
    expect((await kit.app.loyalty.getMember(member.customerId))?.balance).toBe(100);
  });

  it('refuses a make-up without enough points with 409', async () => {
    const member = await joinedMember(kit, 'poor');
    const response = await member.inject({ method: 'POST', url: '/api/mp/checkins/makeup', payload: { day: '2026-11-18' } });
    expect(response.statusCode).toBe(409);
    expect(response.json().code).toBe('INSUFFICIENT_POINTS');
  });

  it.each(['2026-13', '2026-1', 'november', ''])('refuses the calendar month %j with 400', async (month) => {
    const member = await joinedMember(kit, 'month');
    expect((await member.inject({ method: 'GET', url: `/api/mp/checkins?month=${month}` })).statusCode).toBe(400);
  });

  it('pages my points ledger, newest first, without internal fields, and never shows another member\'s', async () => {
    const member = await joinedMember(kit, 'ledger');
    const other = await joinedMember(kit, 'other');
    await fund(member, 50);
    await checkIn(member);
    await fund(other, 7);

    const first = (await member.inject({ method: 'GET', url: '/api/mp/points?limit=1' })).json();
    expect(first.items).toEqual([
      { id: expect.any(String), kind: 'checkin', amount: 5, reason: expect.stringContaining('签到'), balanceAfter: 55, at: expect.any(String), frozenUntil: null },
    ]);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = (await member.inject({ method: 'GET', url: `/api/mp/points?limit=1&cursor=${first.nextCursor}` })).json();
    expect(second.items).toEqual([expect.objectContaining({ kind: 'adjust', amount: 50, balanceAfter: 50 })]);
    expect(second.nextCursor).toBeNull();

    const theirs = (await other.inject({ method: 'GET', url: '/api/mp/points' })).json();
    expect(theirs.items.map((item: { amount: number }) => item.amount)).toEqual([7]);
  });

  it.each(['limit=0', 'limit=51', 'limit=ten', 'cursor=eyJpZCI6eyIkZ3QiOiIifX0', 'customerId=65a1b2c3d4e5f60718293a4b'])('refuses %s on the ledger with 400', async (query) => {
    const member = await joinedMember(kit, 'badquery');
    expect((await member.inject({ method: 'GET', url: `/api/mp/points?${query}` })).statusCode).toBe(400);
  });
});
