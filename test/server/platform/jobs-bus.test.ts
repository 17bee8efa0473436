import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createInProcessBus } from '../../../server/src/plugins/bus.ts';
import { buildTestApp } from '../../helpers/app.ts';

describe('job scheduler', () => {
  let app: FastifyInstance;
  const ran: Array<Record<string, unknown>> = [];
  let release: () => void;
  const done = new Promise<void>((resolve) => (release = resolve));

  beforeAll(async () => {
    app = await buildTestApp({ jobsProcessEveryMs: 100 }, { ready: false });
    app.jobs.define<{ n: number }>('test.record', async (data) => {
      ran.push(data);
      if (ran.length === 2) release();
    });
    await app.ready();
  });
  afterAll(() => app.close());

  it('runs jobs now and at a scheduled time, stored in MongoDB', async () => {
    await app.jobs.now('test.record', { n: 1 });
    await app.jobs.schedule(new Date(Date.now() + 300), 'test.record', { n: 2 });
    await done;
    expect(ran.map((data) => data.n).sort()).toEqual([1, 2]);
    expect(await app.db.collection('jobs').countDocuments({ name: 'test.record' })).toBe(2);
  });
});

describe('in-process event bus', () => {
  it('delivers to subscribers until they unsubscribe, and isolates a failing handler', async () => {
    const errors: unknown[] = [];
    const bus = createInProcessBus((error) => errors.push(error));
    const seen: unknown[] = [];
    const topic = 'test.topic' as never;
    const off = bus.subscribe(topic, (event) => {
      seen.push(event);
    });
    bus.subscribe(topic, () => {
      throw new Error('handler bug');
    });
    bus.publish(topic, { a: 1 } as never);
    await new Promise((resolve) => setImmediate(resolve));
    off();
    bus.publish(topic, { a: 2 } as never);
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen).toEqual([{ a: 1 }]);
    expect(errors).toHaveLength(2);
  });
});
