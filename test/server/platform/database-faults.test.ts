import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { FastifyBaseLogger } from 'fastify';
import { startDevDb, type DevDb } from '../../../scripts/devdb/devdb.ts';
import { buildApp } from '../../../server/src/app.ts';
import { connectWithRetry } from '../../../server/src/plugins/database.ts';
import { testConfig } from '../../helpers/app.ts';

/** Waits for a condition that only time can bring (a restarted server accepting connections), bounded. */
async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('database faults', () => {
  const started: DevDb[] = [];
  afterAll(async () => {
    await Promise.all(started.map((db) => db.stop()));
  });

  it('retries with backoff while the database is unreachable at start, then connects', async () => {
    const probe = await startDevDb({ backend: 'memory' });
    const port = probe.port;
    await probe.stop();
    const warnings: Array<Record<string, unknown>> = [];
    const log = { warn: (fields: Record<string, unknown>) => warnings.push(fields) } as unknown as FastifyBaseLogger;
    const connecting = connectWithRetry({ uri: `mongodb://127.0.0.1:${port}`, dbName: 'retry', timeoutMs: 300 }, log);
    await eventually(async () => (warnings.length >= 2 ? true : undefined));
    started.push(await startDevDb({ backend: 'memory', port }));
    const connection = await connecting;
    expect(connection.readyState).toBe(1);
    expect(warnings[0]).toMatchObject({ attempt: 1, retryInMs: 500 });
    expect(warnings[1]).toMatchObject({ attempt: 2, retryInMs: 1000 });
    await connection.close();
  });

  it('answers 503 problem while the database is lost, stays up, and recovers by itself', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'siyu-')), 'data');
    let db = await startDevDb({ backend: 'h2', dataDir: file });
    const port = db.port;
    const app = await buildApp({ ...testConfig(), mongodbUri: db.uri, dbTimeoutMs: 500 });
    try {
      await app.staff.create({ email: 'ops@brand.cn', name: 'ops', role: 'operator', password: 'long-enough-pw' });
      const { token } = (await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'ops@brand.cn', password: 'long-enough-pw' } })).json();
      const list = () => app.inject({ method: 'GET', url: '/api/customers', headers: { authorization: `Bearer ${token}` } });
      expect((await list()).statusCode).toBe(200);

      db.process.kill('SIGKILL');
      await new Promise((resolve) => db.process.once('exit', resolve));
      const lost = await list();
      expect(lost.statusCode).toBe(503);
      expect(lost.json()).toMatchObject({ status: 503, code: 'DATABASE_UNAVAILABLE' });
      expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(503);
      expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);

      db = await startDevDb({ backend: 'h2', dataDir: file, port });
      started.push(db);
      await eventually(async () => ((await app.inject({ method: 'GET', url: '/readyz' })).statusCode === 200 ? true : undefined));
      expect((await list()).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
});
