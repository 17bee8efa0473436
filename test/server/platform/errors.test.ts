import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildTestApp, injectAs, type Session } from '../../helpers/app.ts';

describe('bad input becomes problem+json', () => {
  let app: FastifyInstance;
  let operator: Session;
  let customerId: string;

  beforeAll(async () => {
    app = await buildTestApp({ bodyLimitBytes: 4096 });
    operator = await injectAs(app, 'operator');
    const customer = await app.customers.upsertByIdentity({ identity: { type: 'mp', accountId: 'wxapp', externalId: 'o1' }, profile: { name: '张三' } });
    customerId = String(customer._id);
  });
  afterAll(() => app.close());

  it.each([
    ['operator in body', 'PATCH', () => `/api/customers/${customerId}`, { name: { $ne: null } }, '/body/name'],
    ['operator as body key', 'PATCH', () => `/api/customers/${customerId}`, { $set: { name: 'x' } }, '/body/$set'],
    ['bracket operator in query', 'GET', () => '/api/customers?tags[$ne]=x', undefined, '/querystring/tags[$ne]'],
    ['operator in params', 'GET', () => '/api/customers/%7B%22%24ne%22%3A1%7D', undefined, '/params/id'],
    ['string where a number belongs', 'POST', () => '/api/customers/bulk-tags', { filter: {}, add: 'vip' }, '/body/add'],
  ])('%s → 400 naming the field', async (_name, method, url, payload, path) => {
    const response = await operator.inject({ method: method as 'GET', url: url(), payload });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    const problem = response.json();
    expect(problem).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect(problem.errors.map((error: { path: string }) => error.path)).toContain(path);
  });

  it('rejects __proto__ anywhere in a JSON body', async () => {
    const response = await operator.inject({
      method: 'PATCH',
      url: `/api/customers/${customerId}`,
      headers: { 'content-type': 'application/json' },
      payload: '{"name":"李四","region":{"__proto__":{"admin":true}}}',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().status).toBe(400);
    const stored = await app.customers.get(customerId);
    expect(stored?.name).toBe('张三');
  });

  it('malformed JSON → 400 problem', async () => {
    const response = await operator.inject({ method: 'PATCH', url: `/api/customers/${customerId}`, headers: { 'content-type': 'application/json' }, payload: '{"name":' });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
  });

  it('oversized body → 413 problem', async () => {
    const response = await operator.inject({ method: 'POST', url: `/api/customers/${customerId}/notes`, payload: { body: 'x'.repeat(10_000) } });
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
  });

  it('unknown route → 404 problem', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/nothing-here' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });

  it('no session → 401, wrong role → 403 and audited', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/customers' })).statusCode).toBe(401);
    const agent = await injectAs(app, 'agent');
    const refused = await agent.inject({ method: 'POST', url: '/api/customers/bulk-tags', payload: { filter: {}, add: ['vip'] } });
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ code: 'FORBIDDEN' });
    const admin = await injectAs(app, 'admin');
    const log = await admin.inject({ method: 'GET', url: '/api/audit?outcome=denied' });
    expect(log.json().items.some((entry: { actorEmail: string }) => entry.actorEmail === agent.email)).toBe(true);
  });

  it('a 5xx never shows its message or stack', async () => {
    const fresh = await buildTestApp({}, { ready: false });
    fresh.get('/boom', async () => {
      throw new Error('secret internals at /srv/app.ts:12');
    });
    const response = await fresh.inject({ method: 'GET', url: '/boom' });
    await fresh.close();
    expect(response.statusCode).toBe(500);
    expect(response.json()).toMatchObject({ status: 500, code: 'INTERNAL', title: 'Internal server error' });
    expect(response.body).not.toContain('secret');
  });
});
