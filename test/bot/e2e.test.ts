import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulateFriendshipRequest } from '../../bot/src/demo.ts';
import { buildTestApp, injectAs, type Session } from '../helpers/app.ts';
import { tempDir } from './helpers.ts';
import { inbox, startMockBot, type MockWorld } from './mock-world.ts';

type Customer = { id: string; nickname: string | null; layer: string; tags: string[] };
type Interaction = { type: string; summary: string | null };

const TINY_THROTTLE = { replyMinGapMs: 20, proactiveMinGapMs: 40, proactiveMaxGapMs: 60, dailyCap: 50, unansweredPerContactPerDay: 5 };

describe('bot against the real server', () => {
  let app: FastifyInstance;
  let admin: Session;
  let world: MockWorld;

  async function post(url: string, payload: Record<string, unknown>, method: 'POST' | 'PUT' = 'POST') {
    const response = await admin.inject({ method, url, payload });
    if (response.statusCode >= 300) throw new Error(`${method} ${url}: ${response.statusCode} ${response.body}`);
    return response.json<Record<string, unknown>>();
  }

  async function findCustomer(nickname: string): Promise<Customer | undefined> {
    const response = await admin.inject({ method: 'GET', url: `/api/customers?q=${encodeURIComponent(nickname)}` });
    return response.json<{ items: Customer[] }>().items.find((customer) => customer.nickname === nickname);
  }

  async function timeline(customerId: string): Promise<Interaction[]> {
    const response = await admin.inject({ method: 'GET', url: `/api/customers/${customerId}/timeline` });
    return response.json<{ items: Interaction[] }>().items;
  }

  beforeAll(async () => {
    app = await buildTestApp();
    await app.listen({ host: '127.0.0.1', port: 0 });
    admin = await injectAs(app, 'admin');
    const settings = await admin.inject({ method: 'GET', url: '/api/bot-settings' });
    await post('/api/bot-settings', { ...settings.json(), throttle: TINY_THROTTLE }, 'PUT');
    await post('/api/bot-rules', { kind: 'auto_tag', name: '价格敏感', match: { regex: '价格|多少钱' }, tags: ['价格敏感'] });
    await post('/api/bot-rules', { kind: 'auto_reply', name: '报价', match: { keywords: ['多少钱'] }, reply: '{{nickname}}您好，这款 199 元，今天下单包邮' });
    await post('/api/bot-rules', { kind: 'welcome', name: '欢迎', reply: '欢迎关注{{brandName}}！' });
    const { token } = (await post('/api/bots', { name: '品牌客服 1 号' })) as { token: string };
    const url = `ws://127.0.0.1:${(app.server.address() as AddressInfo).port}/ws/bot`;
    world = await startMockBot({ url, token, dataDir: await tempDir(), keep: true });
  });

  afterAll(async () => {
    await world?.runtime.stop();
    await app?.close();
  });

  it('captures 多少钱 into the profile with the tag and timeline, and the auto-reply reaches the customer', async () => {
    const customer = world.mocker.createContact({ id: 'wx-xiaohong', name: '小红', friend: true });
    const received = inbox(customer);
    const reply = received.next();
    customer.say('这个多少钱？').to(world.brand);

    expect(await reply).toBe('小红您好，这款 199 元，今天下单包邮');
    const profile = await findCustomer('小红');
    expect(profile).toMatchObject({ nickname: '小红', tags: ['价格敏感'] });
    const events = await timeline(profile!.id);
    expect(events.map((event) => event.type)).toContain('message_in');
    expect(events.find((event) => event.type === 'message_in')?.summary).toBe('这个多少钱？');
    expect(received.texts).toHaveLength(1);
  });

  it('accepts a friendship request, makes the customer a friend and sends the welcome message', async () => {
    const newcomer = world.mocker.createContact({ id: 'wx-zhang', name: '张阿姨', friend: false });
    const received = inbox(newcomer);
    const welcome = received.next();
    await emulateFriendshipRequest(world.puppet, { requestId: 'request-zhang', contactId: 'wx-zhang', hello: '朋友推荐的' });

    expect(await welcome).toMatch(/^欢迎关注.*！$/);
    const profile = await findCustomer('张阿姨');
    expect(profile?.layer).toBe('friend');
    expect((await timeline(profile!.id)).map((event) => event.type)).toContain('friend_added');
    expect(received.texts).toHaveLength(1);
  });
});
