import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestBot } from './bot-client.ts';
import { connectBot } from './bot-client.ts';
import { addRule, botWorld, contact, message, type BotWorld } from './fixtures.ts';

/** Every case sends its message and awaits the ack: by then any auto-reply is already in the outbox. */
describe('auto-replies and loop prevention', () => {
  let world: BotWorld;
  let bot: TestBot;
  const REPLY = '您好，价格表已发您';

  beforeAll(async () => {
    world = await botWorld();
    await addRule(world.operator, { kind: 'auto_reply', name: '报价', match: { regex: '多少钱|价格' }, reply: REPLY });
    bot = await connectBot(world.app, world.token);
  });
  afterAll(async () => {
    await bot.close();
    await world.app.close();
  });

  async function repliesTo(target: { contactId: string } | { roomId: string }): Promise<number> {
    const [key, id] = Object.entries(target)[0];
    return world.app.db.collection('bot_commands').countDocuments({ [`frame.to.${key}`]: id });
  }

  async function say(from: ReturnType<typeof contact> | string, text: string, extra = {}) {
    expect((await bot.emit(message(from, text, extra))).ok).toBe(true);
  }

  it('replies to a person who asks', async () => {
    await say('c-ask', '多少钱');
    expect(await repliesTo({ contactId: 'c-ask' })).toBe(1);
  });

  it('never replies to messages the brand account sent itself', async () => {
    await say('c-self', '这款多少钱？我帮您查', { fromSelf: true });
    expect(await repliesTo({ contactId: 'c-self' })).toBe(0);
  });

  it.each(['official', 'corporation'] as const)('never replies to a contact of kind %s (another bot, an official account)', async (kind) => {
    await say(contact(`c-${kind}`, { kind }), '价格多少钱');
    expect(await repliesTo({ contactId: `c-${kind}` })).toBe(0);
  });

  it('does not answer a contact echoing the auto-reply back', async () => {
    await say('c-echo', '多少钱');
    expect(await repliesTo({ contactId: 'c-echo' })).toBe(1);
    await say('c-echo', `  ${REPLY} `);
    expect(await repliesTo({ contactId: 'c-echo' })).toBe(1);
  });

  it('caps auto-replies at three per contact per ten minutes', async () => {
    for (let asked = 0; asked < 5; asked++) await say('c-insistent', `价格？第${asked}次`);
    expect(await repliesTo({ contactId: 'c-insistent' })).toBe(3);
  });

  it('in a room, replies only when the bot is mentioned, and replies to the room', async () => {
    const room = { id: 'room-9@chatroom', topic: '新品群' };
    await say('c-room-member', '多少钱', { room, mentionSelf: false });
    expect(await repliesTo({ roomId: room.id })).toBe(0);
    await say('c-room-member', '@品牌小助手 多少钱', { room, mentionSelf: true });
    expect(await repliesTo({ roomId: room.id })).toBe(1);
    expect(await bot.command((command) => command.type === 'send' && 'roomId' in command.to)).toMatchObject({ to: { roomId: room.id }, content: { text: REPLY } });
  });
});

describe('POST /api/bot-rules', () => {
  let world: BotWorld;
  beforeAll(async () => {
    world = await botWorld();
  });
  afterAll(() => world.app.close());

  const post = (payload: Record<string, unknown>) => world.operator.inject({ method: 'POST', url: '/api/bot-rules', payload });

  it.each([
    ['a catastrophic regex', { kind: 'auto_tag', name: 'x', match: { regex: '(a+)+$' }, tags: ['t'] }, '/body/match/regex'],
    ['an invalid regex', { kind: 'auto_tag', name: 'x', match: { regex: '价格(' }, tags: ['t'] }, '/body/match/regex'],
    ['a regex of 201 characters', { kind: 'auto_tag', name: 'x', match: { regex: 'a'.repeat(201) }, tags: ['t'] }, '/body/match/regex'],
    ['a template with an unknown variable', { kind: 'auto_reply', name: 'x', match: { keywords: ['hi'] }, reply: '您好 {{phone}}' }, '/body/reply'],
    ['a broken template', { kind: 'welcome', name: 'x', reply: '您好 {{#if}}' }, '/body/reply'],
    ['a need keyword with a dot', { kind: 'need', name: 'x', keywords: ['a.b'] }, '/body/keywords/0'],
    ['a need keyword with a dollar', { kind: 'need', name: 'x', keywords: ['$where'] }, '/body/keywords/0'],
  ])('refuses %s with a 400 naming the field', async (_case, payload, path) => {
    const response = await post(payload);
    expect(response.statusCode).toBe(400);
    expect(response.json().errors.map((error: { path: string }) => error.path)).toContain(path);
  });

  it('is for operators and admins, not agents', async () => {
    const { injectAs } = await import('../../helpers/app.ts');
    const agent = await injectAs(world.app, 'agent');
    expect((await agent.inject({ method: 'GET', url: '/api/bot-rules' })).statusCode).toBe(403);
  });

  it('creates, lists, replaces and deletes a rule', async () => {
    const created = await post({ kind: 'auto_tag', name: '价格敏感', match: { regex: '价格|多少钱' }, tags: ['价格敏感'] });
    expect(created.statusCode).toBe(201);
    const id = created.json().id;
    const replaced = await world.operator.inject({ method: 'PUT', url: `/api/bot-rules/${id}`, payload: { kind: 'auto_tag', name: '价格敏感', enabled: false, match: { keywords: ['贵'] }, tags: ['价格敏感'] } });
    expect(replaced.json()).toMatchObject({ enabled: false, match: { keywords: ['贵'] } });
    expect(replaced.json().match.regex).toBeUndefined();
    const list = (await world.operator.inject({ method: 'GET', url: '/api/bot-rules' })).json();
    expect(list).toHaveLength(1);
    expect((await world.operator.inject({ method: 'DELETE', url: `/api/bot-rules/${id}` })).statusCode).toBe(204);
    expect((await world.operator.inject({ method: 'DELETE', url: `/api/bot-rules/${id}` })).statusCode).toBe(404);
  });
});
