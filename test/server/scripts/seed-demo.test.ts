import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo, type SeedDemoSummary } from '../../../server/src/scripts/seed-demo.ts';
import { LAYERS, LIFECYCLE_STAGES } from '../../../shared/src/customer.ts';
import { buildTestApp, injectAs, type Session } from '../../helpers/app.ts';

const COUNT = 300;
const NOW = new Date();

describe('seedDemo', () => {
  let app: FastifyInstance;
  let operator: Session;
  let summary: SeedDemoSummary;

  const demoCustomers = () => app.db.collection('customers').find({ 'source.channel': 'demo' }).sort({ _id: 1 }).toArray();

  beforeAll(async () => {
    app = await buildTestApp({ jobsEnabled: false });
    operator = await injectAs(app, 'operator');
    summary = await seedDemo(app, { customers: COUNT, now: NOW });
  });
  afterAll(() => app.close());

  it('creates the requested customers, each marked as demo data', async () => {
    expect(summary.customers).toBe(COUNT);
    const customers = await demoCustomers();
    expect(customers).toHaveLength(COUNT);
    for (const customer of customers) expect(customer.identities.every((identity: { accountId: string }) => identity.accountId === 'demo')).toBe(true);
  });

  it.each(LAYERS)('has customers in the %s layer', async (layer) => {
    const response = await operator.inject({ method: 'GET', url: `/api/customers?layer=${layer}&limit=1` });
    expect(response.json().items).toHaveLength(1);
  });

  it.each(LIFECYCLE_STAGES)('has customers at the %s stage', async (stage) => {
    const response = await operator.inject({ method: 'GET', url: `/api/customers?lifecycle=${stage}&limit=1` });
    expect(response.json().items).toHaveLength(1);
  });

  it('gives customers Chinese names, valid mainland phones and real regions', async () => {
    const customers = await demoCustomers();
    for (const customer of customers) {
      expect(customer.nickname).toBeTruthy();
      if (customer.name) expect(customer.name).toMatch(/^[\u4e00-\u9fff]{2,4}$/);
      if (customer.phone) expect(customer.phone).toMatch(/^1[3-9]\d{9}$/);
      expect(customer.region.province).toMatch(/^[\u4e00-\u9fff]{2,3}$/);
    }
    expect(customers.filter((customer) => customer.phone).length).toBeGreaterThan(COUNT / 3);
  });

  it('tags most customers from the 兴趣, 价值 and 来源 groups', async () => {
    const customers = await demoCustomers();
    expect(customers.filter((customer) => customer.tags.length > 0).length).toBeGreaterThan(COUNT * 0.8);
    const response = await operator.inject({ method: 'GET', url: '/api/tags' });
    const groups = new Set(response.json().filter((tag: { customers: number }) => tag.customers > 0).map((tag: { group: string }) => tag.group));
    expect([...groups].sort()).toEqual(['价值', '兴趣', '来源'].sort());
  });

  it('gives every customer a timeline, and some notes and reminders', async () => {
    const withTimeline = await app.db.collection('interactions').distinct('customerId');
    expect(withTimeline).toHaveLength(COUNT);
    expect(summary.notes).toBeGreaterThan(0);
    expect(summary.reminders).toBeGreaterThan(0);
    const note = await app.db.collection('notes').findOne({});
    const response = await operator.inject({ method: 'GET', url: `/api/customers/${String(note!.customerId)}` });
    expect(response.statusCode).toBe(200);
    const profile = response.json();
    expect(profile.notes.length).toBeGreaterThan(0);
    expect(profile.timeline.items.map((item: { type: string }) => item.type)).toContain('note');
  });

  it('replaces only its own earlier data when run again, with the same content', async () => {
    const kept = await app.customerMerge.identify({ identity: { type: 'bot', accountId: 'wxid_brand', externalId: 'real-person' }, profile: { nickname: '真实客户' } });
    const before = (await demoCustomers()).map((customer) => [customer.name, customer.nickname, customer.tags]);
    const again = await seedDemo(app, { customers: COUNT, now: NOW });
    expect(again.cleared).toBe(COUNT);
    const after = (await demoCustomers()).map((customer) => [customer.name, customer.nickname, customer.tags]);
    expect(after).toEqual(before);
    expect(await app.db.collection('customers').countDocuments({ _id: kept._id })).toBe(1);
    const timelineOwners = await app.db.collection('interactions').distinct('customerId');
    expect(await app.db.collection('customers').countDocuments({ _id: { $in: timelineOwners } })).toBe(timelineOwners.length);
  });
});
