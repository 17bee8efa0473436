import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { Types } from 'mongoose';
import { EXPIRE_POINTS_JOB, RECONCILE_POINTS_JOB, RELEASE_FROZEN_JOB } from '../../../server/src/modules/loyalty/loyalty.jobs.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { newMember } from './helpers.ts';

const DAY = 86_400_000;

describe('loyalty jobs on the scheduler', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildTestApp({ jobsProcessEveryMs: 100 });
  });
  afterAll(() => app.close());

  it('schedules release every 10 minutes, expiry and reconcile nightly', async () => {
    const jobs = await app.db.collection('jobs').find({ name: { $in: [RELEASE_FROZEN_JOB, EXPIRE_POINTS_JOB, RECONCILE_POINTS_JOB] } }).toArray();
    expect(Object.fromEntries(jobs.map((job) => [job.name, job.repeatInterval]))).toEqual({
      [RELEASE_FROZEN_JOB]: '10 minutes',
      [EXPIRE_POINTS_JOB]: '20 0 * * *',
      [RECONCILE_POINTS_JOB]: '40 3 * * *',
    });
  });

  it('finishes an entry a crash left pending when the nightly reconcile runs', async () => {
    const customerId = await newMember(app);
    // postEntry's first write alone, two minutes ago: the entry, pending; the crash came before the balance update.
    await app.db.collection('points_ledger').insertOne({
      _id: Types.ObjectId.createFromTime(Math.floor(Date.now() / 1000) - 120),
      customerId: new Types.ObjectId(customerId),
      kind: 'earn',
      amount: 70,
      frozenDelta: 0,
      lifetimeDelta: 70,
      reason: 'crashed',
      idempotencyKey: `job-crash:${customerId}`,
      status: 'pending',
      at: new Date(),
    });
    // One still in flight (seconds old) is left to the request that is writing it.
    const inFlight = new Types.ObjectId();
    await app.db.collection('points_ledger').insertOne({ _id: inFlight, customerId: new Types.ObjectId(customerId), kind: 'earn', amount: 5, frozenDelta: 0, lifetimeDelta: 5, reason: 'in flight', idempotencyKey: `job-in-flight:${customerId}`, status: 'pending', at: new Date() });
    await app.jobs.now(RECONCILE_POINTS_JOB);
    await vi.waitFor(async () => expect(await app.loyalty.getMember(customerId)).toMatchObject({ balance: 70 }), { timeout: 10_000, interval: 100 });
    expect(await app.db.collection('points_ledger').findOne({ _id: inFlight })).toMatchObject({ status: 'pending' });
  });

  it('releases matured purchase points when the job runs', async () => {
    const customerId = await newMember(app);
    await app.loyalty.awardPurchase({ customerId, receiptNo: 'JOB-1', amountCents: 4200, now: new Date(Date.now() - 8 * DAY) });
    await app.jobs.now(RELEASE_FROZEN_JOB);
    await vi.waitFor(async () => expect(await app.loyalty.getMember(customerId)).toMatchObject({ balance: 42, frozen: 0, available: 42 }), { timeout: 10_000, interval: 100 });
  });
});
