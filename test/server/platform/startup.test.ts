import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { inject } from 'vitest';
import { REDACTED_PATHS } from '../../../server/src/app.ts';
import { loadConfig } from '../../../server/src/config.ts';
import { buildTestApp } from '../../helpers/app.ts';

function runMain(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return { child, output: () => ({ stdout, stderr }) };
}

async function waitFor(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('configuration', () => {
  it.each([
    [{ PORT: 'abc' }, 'configuration error: PORT must be integer'],
    [{ LOG_LEVEL: 'loud' }, 'configuration error: LOG_LEVEL must be equal to one of the allowed values'],
    [{ MONGODB_URI: 'http://db' }, 'configuration error: MONGODB_URI must match pattern'],
    [{ ADMIN_EMAIL: 'a@b.cn' }, 'configuration error: set ADMIN_EMAIL and ADMIN_PASSWORD together'],
    [{ ADMIN_EMAIL: 'a@b.cn', ADMIN_PASSWORD: 'short' }, 'configuration error: ADMIN_PASSWORD must NOT have fewer than 10 characters'],
  ])('%o stops with one clear line', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });
});

describe('npm start (server/src/main.ts)', () => {
  it('with NODE_ENV=production and no MONGODB_URI it stops with one clear line', async () => {
    const run = runMain({ NODE_ENV: 'production' });
    const [code] = await once(run.child, 'exit');
    expect(code).toBe(1);
    expect(run.output().stderr.trim()).toBe('siyu: MONGODB_URI is required when NODE_ENV=production: point it at your MongoDB replica set');
  });

  it('boots, prints the first admin once, serves console, docs and health, and shuts down gracefully on SIGTERM', async () => {
    const dbName = `start_${Date.now()}`;
    const run = runMain({ MONGODB_URI: inject('mongodbUri'), MONGODB_DB: dbName, PORT: '0', HOST: '127.0.0.1' });
    onTestFinished(() => {
      if (run.child.exitCode === null) run.child.kill('SIGKILL');
    });
    await waitFor(() => /listening at (http:\/\/[\d.:]+)/.test(run.output().stdout));
    const base = /listening at (http:\/\/[\d.:]+)/.exec(run.output().stdout)![1];
    const { stdout } = run.output();
    const email = /email:\s+(\S+)/.exec(stdout)![1];
    const password = /password:\s+(\S+)/.exec(stdout)![1];
    expect(stdout).toContain('database: MONGODB_URI');
    // The generated password reaches the terminal once and never the structured log.
    expect(stdout.split('\n').filter((line) => line.includes(password))).toHaveLength(1);
    expect(stdout.split('\n').find((line) => line.includes(password))).not.toMatch(/^\{/);
    const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
    expect(login.status).toBe(200);
    for (const path of ['/healthz', '/readyz', '/docs/json', '/docs', '/console/login']) {
      expect((await fetch(`${base}${path}`)).status, path).toBe(200);
    }
    run.child.kill('SIGTERM');
    const [code] = await once(run.child, 'exit');
    expect(code).toBe(0);
  });
});

describe('platform', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildTestApp();
  });
  afterAll(() => app.close());

  it('publishes OpenAPI 3 generated from the route schemas', async () => {
    const spec = (await app.inject({ method: 'GET', url: '/docs/json' })).json();
    expect(spec.openapi).toMatch(/^3\./);
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/api/customers', '/api/customers/{id}', '/api/auth/login', '/api/staff']));
    expect(spec.paths['/api/customers'].get.parameters.map((p: { name: string }) => p.name)).toContain('tags');
  });

  it('sends security headers and a request id', async () => {
    const response = await app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'trace-123' } });
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['x-frame-options']).toBeDefined();
  });

  it('redacts tokens, passwords, cookies and phone numbers in logs', () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _encoding, done) => (lines.push(String(chunk)), done()) });
    const log = pino({ redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, sink);
    log.info({ req: { headers: { authorization: 'Bearer abc', cookie: 'siyu_session=abc' } }, body: { password: 'hunter22', phone: '13800001111' }, token: 't0k' }, 'x');
    expect(lines.join('')).not.toMatch(/abc|hunter22|13800001111|t0k/);
  });
});
