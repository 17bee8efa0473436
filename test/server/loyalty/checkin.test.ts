import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { Types } from 'mongoose';
import { buildTestApp } from '../../helpers/app.ts';
import { credit, newMember, shanghai } from './helpers.ts';

describe('daily check-in', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildTestApp();
  });
  afterAll(() => app.close());

  const checkIn = (customerId: string, wallClock: string) => app.loyalty.checkIn({ customerId, now: shanghai(wallClock) });

  it('awards once when 50 check-ins race', async () => {
    const customerId = await newMember(app);
    const now = shanghai('2026-03-10T09:00:00');
    const results = await Promise.allSettled(Array.from({ length: 50 }, () => app.loyalty.checkIn({ customerId, now })));
    const awarded = results.filter((result) => result.status === 'fulfilled');
    expect(awarded).toHaveLength(1);
    const refused = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
    expect(refused.every((result) => result.reason.code === 'ALREADY_CHECKED_IN')).toBe(true);
    expect((await app.loyalty.getMember(customerId))!.balance).toBe(5);
    const id = new Types.ObjectId(customerId);
    expect(await app.db.collection('checkins').countDocuments({ customerId: id })).toBe(1);
    expect(await app.db.collection('points_ledger').countDocuments({ customerId: id, kind: 'checkin' })).toBe(1);
    const timeline = await app.interactions.page(customerId, { limit: 10, type: 'checkin' });
    expect(timeline.items).toHaveLength(1);
  });

  it('counts on from the member\'s last check-in without reading past check-ins, and walks them when it is unknown', async () => {
    const customerId = await newMember(app);
    const members = app.db.collection('members');
    const id = new Types.ObjectId(customerId);
    expect((await members.findOne({ customerId: id }))!.lastCheckin).toBeNull();
    await checkIn(customerId, '2026-04-01T08:00:00');
    await checkIn(customerId, '2026-04-02T08:00:00');
    expect((await members.findOne({ customerId: id }))!.lastCheckin).toEqual({ day: '2026-04-02', streak: 2 });
    const reads = vi.spyOn(app.db.model('Checkin').collection, 'find');
    expect(await checkIn(customerId, '2026-04-03T08:00:00')).toMatchObject({ streak: 3 });
    expect(reads).not.toHaveBeenCalled();
    // Unknown (a member from before the field, or history changed since): walked from the check-in documents.
    await members.updateOne({ customerId: id }, { $unset: { lastCheckin: 1 } });
    expect(await checkIn(customerId, '2026-04-04T08:00:00')).toMatchObject({ streak: 4 });
    expect(reads).toHaveBeenCalled();
    reads.mockRestore();
    expect((await members.findOne({ customerId: id }))!.lastCheckin).toEqual({ day: '2026-04-04', streak: 4 });
    // A missed day starts again.
    expect(await checkIn(customerId, '2026-04-06T08:00:00')).toMatchObject({ streak: 1 });
  });

  it('counts a day whose points a crash left pending, though it never became the member\'s last check-in', async () => {
    const customerId = await newMember(app);
    await checkIn(customerId, '2026-07-01T08:00:00');
    await checkIn(customerId, '2026-07-02T08:00:00');
    // What a crash after the day's ledger entry and document, before its points were applied, leaves behind.
    await app.db.collection('checkins').insertOne({ customerId: new Types.ObjectId(customerId), day: '2026-07-03', streak: 3, cycleDay: 3, points: 5, makeup: false, cost: 0, settled: true, at: new Date() });
    expect(await checkIn(customerId, '2026-07-04T00:30:00')).toMatchObject({ streak: 4 });
  });

  it.each(['UTC', 'America/Los_Angeles', 'Asia/Shanghai', 'Pacific/Kiritimati'])(
    'counts 23:59:59 and 00:00:01 Shanghai time as two days when the server runs in %s',
    async (serverZone) => {
      const saved = process.env.TZ;
      process.env.TZ = serverZone;
      try {
        expect(Intl.DateTimeFormat().resolvedOptions().timeZone).toBe(serverZone);
        const customerId = await newMember(app);
        const late = await checkIn(customerId, '2026-03-10T23:59:59');
        const early = await checkIn(customerId, '2026-03-11T00:00:01');
        expect([late.day, early.day]).toEqual(['2026-03-10', '2026-03-11']);
        expect(early.streak).toBe(2);
      } finally {
        process.env.TZ = saved;
      }
    },
  );

  it('uses the brand time zone from the settings', async () => {
    const brand = await app.settings.getBrand();
    await app.settings.updateBrand({ ...brand, timezone: 'America/New_York' });
    try {
      const customerId = await newMember(app);
      const result = await app.loyalty.checkIn({ customerId, now: new Date('2026-03-11T03:00:00Z') });
      expect(result.day).toBe('2026-03-10');
    } finally {
      await app.settings.updateBrand(brand);
    }
  });

  it('pays the 7-day cycle with its bonus, then starts the cycle again', async () => {
    const customerId = await newMember(app);
    const days = [];
    for (let day = 1; day <= 9; day++) days.push(await checkIn(customerId, `2026-04-${String(day).padStart(2, '0')}T08:00:00`));
    expect(days.map((result) => result.points)).toEqual([5, 5, 10, 5, 5, 10, 30, 5, 5]);
    expect(days.map((result) => result.cycleDay)).toEqual([1, 2, 3, 4, 5, 6, 7, 1, 2]);
    expect(days.map((result) => result.streak)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(days[6].reward).toMatchObject({ bonus: true, nextPoints: 5 });
    expect(days[0].reward.bonus).toBe(false);
    expect((await app.loyalty.getMember(customerId))!.balance).toBe(80);
  });

  it('resets the streak after a missed day', async () => {
    const customerId = await newMember(app);
    await checkIn(customerId, '2026-05-01T08:00:00');
    await checkIn(customerId, '2026-05-02T08:00:00');
    const afterGap = await checkIn(customerId, '2026-05-04T08:00:00');
    expect(afterGap).toMatchObject({ streak: 1, cycleDay: 1, points: 5 });
  });

  it('refuses non-members', async () => {
    const visitor = await app.customerMerge.identify({ identity: { type: 'mp', accountId: 'wxmp', externalId: 'visitor-checkin' } });
    await expect(app.loyalty.checkIn({ customerId: String(visitor._id) })).rejects.toMatchObject({ code: 'NOT_A_MEMBER' });
  });

  describe('make-up check-in (补签)', () => {
    it('fills a missed day for points, joins the streak and shows it on the calendar', async () => {
      const customerId = await newMember(app);
      await credit(app, customerId, 100);
      await checkIn(customerId, '2026-06-01T08:00:00');
      await checkIn(customerId, '2026-06-03T08:00:00');
      const now = shanghai('2026-06-03T20:00:00');
      const made = await app.loyalty.makeUpCheckIn({ customerId, day: '2026-06-02', now });
      expect(made).toMatchObject({ day: '2026-06-02', cost: 20, streak: 3 });
      const member = await app.loyalty.getMember(customerId);
      expect(member!.balance).toBe(100 + 5 + 5 - 20);
      const calendar = await app.loyalty.calendar({ customerId, month: '2026-06', now });
      expect(calendar).toMatchObject({ today: '2026-06-03', checkedInToday: true, streak: 3, makeup: { cost: 20, perMonth: 2, usedThisMonth: 1 } });
      expect(calendar.days).toEqual([
        { day: '2026-06-01', points: 5, makeup: false },
        { day: '2026-06-02', points: 0, makeup: true },
        { day: '2026-06-03', points: 5, makeup: false },
      ]);
      const tomorrow = await checkIn(customerId, '2026-06-04T08:00:00');
      expect(tomorrow).toMatchObject({ streak: 4, cycleDay: 4 });
    });

    it('respects the monthly limit and the month', async () => {
      const customerId = await newMember(app);
      await credit(app, customerId, 1000);
      const now = shanghai('2026-07-20T12:00:00');
      await app.loyalty.makeUpCheckIn({ customerId, day: '2026-07-01', now });
      await app.loyalty.makeUpCheckIn({ customerId, day: '2026-07-05', now });
      await expect(app.loyalty.makeUpCheckIn({ customerId, day: '2026-07-09', now })).rejects.toMatchObject({ code: 'MAKEUP_LIMIT' });
      await expect(app.loyalty.makeUpCheckIn({ customerId, day: '2026-06-30', now })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
      await expect(app.loyalty.makeUpCheckIn({ customerId, day: '2026-07-20', now })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
      await expect(app.loyalty.makeUpCheckIn({ customerId, day: '2026-07-01', now })).rejects.toMatchObject({ code: 'ALREADY_CHECKED_IN' });
      expect((await app.loyalty.getMember(customerId))!.balance).toBe(1000 - 40);
      expect(await app.db.collection('checkins').countDocuments({ customerId: new Types.ObjectId(customerId) })).toBe(2);
    });

    it('is refused without enough points, leaving no check-in behind', async () => {
      const customerId = await newMember(app);
      await credit(app, customerId, 10);
      await expect(app.loyalty.makeUpCheckIn({ customerId, day: '2026-08-01', now: shanghai('2026-08-02T10:00:00') })).rejects.toMatchObject({ code: 'INSUFFICIENT_POINTS' });
      expect(await app.db.collection('checkins').countDocuments({ customerId: new Types.ObjectId(customerId) })).toBe(0);
      expect((await app.loyalty.getMember(customerId))!.balance).toBe(10);
    });
  });

  it("shows today's reward and the live streak before checking in", async () => {
    const customerId = await newMember(app);
    await checkIn(customerId, '2026-09-01T08:00:00');
    await checkIn(customerId, '2026-09-02T08:00:00');
    const calendar = await app.loyalty.calendar({ customerId, month: '2026-09', now: shanghai('2026-09-03T07:00:00') });
    expect(calendar).toMatchObject({ checkedInToday: false, streak: 2, todayReward: { points: 10, cycleDay: 3, bonus: true } });
  });
});
