import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { LOGIN_POLICY } from '../../../server/src/modules/staff/staff.service.ts';
import { ensureFirstAdmin } from '../../../server/src/modules/staff/first-admin.ts';
import { buildTestApp, injectAs } from '../../helpers/app.ts';

describe('staff accounts and sessions', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildTestApp();
  });
  afterAll(() => app.close());

  const login = (email: string, password: string) => app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });

  it('creates the first admin once, from ADMIN_EMAIL/ADMIN_PASSWORD when given', async () => {
    const first = await ensureFirstAdmin(app.staff, { email: 'boss@brand.cn', password: 'a-long-secret-1' });
    expect(first).toEqual({ email: 'boss@brand.cn', generatedPassword: undefined });
    expect(await ensureFirstAdmin(app.staff, {})).toBeNull();
    expect((await login('boss@brand.cn', 'a-long-secret-1')).statusCode).toBe(200);
  });

  it('stores a scrypt hash, never the password', async () => {
    const raw = await app.db.collection('staff').findOne({ email: 'boss@brand.cn' });
    expect(raw?.passwordHash).toMatch(/^scrypt\$/);
    expect(JSON.stringify(raw)).not.toContain('a-long-secret-1');
  });

  it('login sets an httpOnly SameSite cookie and returns a bearer token; logout revokes it', async () => {
    const response = await login('boss@brand.cn', 'a-long-secret-1');
    const cookie = response.cookies.find((c) => c.name === 'siyu_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    const { token } = response.json();
    expect(cookie?.value).toBe(token);
    const viaCookie = await app.inject({ method: 'GET', url: '/api/auth/me', cookies: { siyu_session: token } });
    expect(viaCookie.json()).toMatchObject({ email: 'boss@brand.cn', role: 'admin' });
    const stored = await app.db.collection('sessions').findOne({});
    expect(JSON.stringify(stored)).not.toContain(token);
    await app.inject({ method: 'POST', url: '/api/auth/logout', headers: { authorization: `Bearer ${token}` } });
    expect((await app.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(401);
  });

  it('slows down repeated failures, then locks the account, and audits every failure', async () => {
    const admin = await injectAs(app, 'admin');
    await admin.inject({ method: 'POST', url: '/api/staff', payload: { email: 'agent.wang@brand.cn', name: '王客服', role: 'agent', password: 'right-password-1' } });
    const times: number[] = [];
    for (let attempt = 1; attempt <= LOGIN_POLICY.lockAfter; attempt++) {
      const started = Date.now();
      const response = await login('agent.wang@brand.cn', 'wrong-password');
      times.push(Date.now() - started);
      expect(response.statusCode).toBe(401);
    }
    expect(times.at(-1)!).toBeGreaterThan(times[0] + 200);
    const locked = await login('agent.wang@brand.cn', 'right-password-1');
    expect(locked.statusCode).toBe(423);
    expect(locked.json().code).toBe('ACCOUNT_LOCKED');
    const audit = await admin.inject({ method: 'GET', url: '/api/audit?outcome=failed&limit=50' });
    expect(audit.json().items.filter((entry: { action: string }) => entry.action === 'auth.login').length).toBeGreaterThanOrEqual(LOGIN_POLICY.lockAfter);
  });

  it('rate-limits the login route', async () => {
    const limited = await buildTestApp({ loginRateLimitPerMinute: 3 });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      statuses.push((await limited.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'nobody@x.cn', password: 'x' } })).statusCode);
    }
    await limited.close();
    expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
    expect(statuses.slice(3)).toEqual([429, 429]);
  });

  it('only admins manage staff; a role change ends the sessions of that account and is audited', async () => {
    const admin = await injectAs(app, 'admin');
    const operator = await injectAs(app, 'operator');
    expect((await operator.inject({ method: 'GET', url: '/api/staff' })).statusCode).toBe(403);
    const changed = await admin.inject({ method: 'PATCH', url: `/api/staff/${operator.staffId}`, payload: { role: 'agent' } });
    expect(changed.json().role).toBe('agent');
    // Sessions carry a role snapshot, so the old session ends: the next call needs a new login.
    expect((await app.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization: `Bearer ${operator.token}` } })).statusCode).toBe(401);
    const audit = await admin.inject({ method: 'GET', url: '/api/audit?outcome=ok&limit=100' });
    const entry = audit.json().items.find((item: { action: string; targetId: string }) => item.action === 'PATCH /api/staff/:id' && item.targetId === operator.staffId);
    expect(entry).toMatchObject({ before: { role: 'operator' }, after: { role: 'agent' } });
  });

  it('rejects a weak password and unknown fields when creating staff', async () => {
    const admin = await injectAs(app, 'admin');
    const response = await admin.inject({ method: 'POST', url: '/api/staff', payload: { email: 'x@y.cn', name: 'x', role: 'admin', password: 'short', isRoot: true } });
    expect(response.statusCode).toBe(400);
    const paths = response.json().errors.map((error: { path: string }) => error.path);
    expect(paths).toEqual(expect.arrayContaining(['/body/password', '/body/isRoot']));
  });
});
