import { randomBytes } from 'node:crypto';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { inject } from 'vitest';
import { buildApp } from '../../server/src/app.ts';
import { loadConfig, type AppConfig } from '../../server/src/config.ts';
import type { Role } from '../../server/src/modules/staff/permissions.ts';

export function testConfig(overrides: Partial<AppConfig> = {}): AppConfig & { mongodbUri: string } {
  const config = loadConfig({ LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent', DB_TIMEOUT_MS: '3000' });
  return {
    ...config,
    mongodbUri: inject('mongodbUri'),
    dbName: `test_${randomBytes(6).toString('hex')}`,
    printAdminLogin: false,
    ...overrides,
  };
}

/** An app on a database of its own, dropped when the app closes. */
export async function buildTestApp(overrides: Partial<AppConfig> = {}, options: { ready?: boolean } = {}): Promise<FastifyInstance> {
  const app = await buildApp(testConfig(overrides));
  app.addHook('onClose', async () => {
    await app.db.dropDatabase().catch(() => {});
  });
  if (options.ready !== false) await app.ready();
  return app;
}

export interface Session {
  token: string;
  staffId: string;
  email: string;
  inject(options: InjectOptions): Promise<LightMyRequestResponse>;
}

let counter = 0;

/** Creates a staff account with the role, signs it in through the real login route, and injects as it. */
export async function injectAs(app: FastifyInstance, role: Role): Promise<Session> {
  const email = `${role}${++counter}-${randomBytes(3).toString('hex')}@test.siyu`;
  const password = 'correct horse battery';
  const created = await app.staff.create({ email, name: `${role} ${counter}`, role, password });
  const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });
  if (login.statusCode !== 200) throw new Error(`login failed: ${login.body}`);
  const token = login.json<{ token: string }>().token;
  return {
    token,
    staffId: created.id,
    email,
    inject: (options) =>
      app.inject({ ...options, headers: { ...(options.headers ?? {}), authorization: `Bearer ${token}` } }),
  };
}
