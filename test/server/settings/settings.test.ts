import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { DEFAULT_BRAND_SETTINGS } from '../../../server/src/modules/settings/settings.schemas.ts';
import { buildTestApp, injectAs, type Session } from '../../helpers/app.ts';

describe('brand settings and the tag catalogue', () => {
  let app: FastifyInstance;
  let admin: Session;
  let operator: Session;
  beforeAll(async () => {
    app = await buildTestApp();
    admin = await injectAs(app, 'admin');
    operator = await injectAs(app, 'operator');
  });
  afterAll(() => app.close());

  it('admins change settings; the audit log keeps before and after', async () => {
    const next = { ...DEFAULT_BRAND_SETTINGS, lifecycle: { newDays: 3, activeDays: 14, churnDays: 60 } };
    const response = await admin.inject({ method: 'PUT', url: '/api/settings', payload: next });
    expect(response.json().lifecycle).toEqual({ newDays: 3, activeDays: 14, churnDays: 60 });
    const audit = (await admin.inject({ method: 'GET', url: '/api/audit' })).json();
    const entry = audit.items.find((item: { targetType: string }) => item.targetType === 'settings');
    expect(entry.before.lifecycle.churnDays).toBe(90);
    expect(entry.after.lifecycle.churnDays).toBe(60);
  });

  it.each([
    [{ timezone: 'Mars/Olympus' }, '/body/timezone'],
    [{ lifecycle: { newDays: 7, activeDays: 90, churnDays: 30 } }, '/body/lifecycle/churnDays'],
    [{ lifecycle: { newDays: 7, activeDays: 30, churnDays: '90' } }, '/body/lifecycle/churnDays'],
  ])('rejects %o naming the field', async (change, path) => {
    const response = await admin.inject({ method: 'PUT', url: '/api/settings', payload: { ...DEFAULT_BRAND_SETTINGS, ...change } });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors.map((error: { path: string }) => error.path)).toContain(path);
  });

  it('operators read settings but cannot change them', async () => {
    expect((await operator.inject({ method: 'GET', url: '/api/settings' })).statusCode).toBe(200);
    expect((await operator.inject({ method: 'PUT', url: '/api/settings', payload: DEFAULT_BRAND_SETTINGS })).statusCode).toBe(403);
  });

  it('lists tags by group with how many customers carry each', async () => {
    const customer = await app.customerMerge.identify({ identity: { type: 'oa', accountId: 'wxoa', externalId: 'fan1' } });
    await app.customers.addTags(String(customer._id), ['瑜伽']);
    await operator.inject({ method: 'PUT', url: '/api/tags', payload: { name: '瑜伽', group: '兴趣' } });
    const tags = (await operator.inject({ method: 'GET', url: '/api/tags' })).json();
    expect(tags).toContainEqual({ name: '瑜伽', group: '兴趣', customers: 1 });
  });
});
