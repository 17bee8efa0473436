import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESEND_UNACKED_JOB } from '../../../server/src/modules/bots/index.ts';
import { connectBot, type TestBot } from './bot-client.ts';
import { botWorld, message, type BotWorld } from './fixtures.ts';

describe('outbox and conversations API', () => {
  let world: BotWorld;
  let conversationId: string;

  beforeAll(async () => {
    world = await botWorld();
    const bot = await connectBot(world.app, world.token);
    expect((await bot.emit(message('c-chat', '你好，在吗'))).ok).toBe(true);
    await bot.close();
    const customer = (await world.app.db.collection('customers').findOne({ nickname: '客户c-chat' }))!;
    conversationId = (await world.operator.inject({ method: 'GET', url: `/api/conversations?customerId=${customer._id}` })).json().items[0].id;
  });
  afterAll(() => world.app.close());

  const reply = (text: string) => world.operator.inject({ method: 'POST', url: `/api/conversations/${conversationId}/messages`, payload: { text } });
  const messageByCommand = (commandId: string) => world.app.db.collection('messages').findOne({ commandId });
  const sendCommand = (bot: TestBot) => bot.command((command) => command.type === 'send');

  it('queues replies while the bot is offline and delivers each exactly once, in order, on connect', async () => {
    const queued = [];
    for (const text of ['第一条', '第二条', '第三条']) {
      const response = await reply(text);
      expect(response.statusCode).toBe(202);
      expect(response.json()).toMatchObject({ direction: 'out', status: 'queued', text });
      queued.push(response.json());
    }
    const bot = await connectBot(world.app, world.token);
    const delivered = [await sendCommand(bot), await sendCommand(bot), await sendCommand(bot)];
    expect(delivered.map((command) => command.type === 'send' && command.content.type === 'text' && command.content.text)).toEqual(['第一条', '第二条', '第三条']);
    expect(delivered.map((command) => command.type === 'send' && command.purpose)).toEqual(['reply', 'reply', 'reply']);
    for (const command of delivered) bot.ack(command.id);
    for (const command of delivered) await expect.poll(async () => (await messageByCommand(command.id))?.status).toBe('sent');
    await bot.close();

    const again = await connectBot(world.app, world.token);
    await reply('第四条');
    const next = await sendCommand(again);
    expect(next.type === 'send' && next.content).toEqual({ type: 'text', text: '第四条' });
    again.ack(next.id);
    await expect.poll(async () => (await messageByCommand(next.id))?.status).toBe('sent');
    await again.close();
    const attempts = await world.app.db.collection('bot_commands').find({ commandId: { $in: delivered.map((command) => command.id) } }).toArray();
    expect(attempts.map((row) => [row.status, row.attempts])).toEqual([['acked', 1], ['acked', 1], ['acked', 1]]);
  });

  it('sends an unacknowledged command again, with the same id, after the bot reconnects', async () => {
    const first = await connectBot(world.app, world.token);
    await reply('要重发的消息');
    const sent = await sendCommand(first);
    await first.close();

    const second = await connectBot(world.app, world.token);
    const resent = await sendCommand(second);
    expect(resent.id).toBe(sent.id);
    second.ack(resent.id);
    await expect.poll(async () => (await messageByCommand(sent.id))?.status).toBe('sent');
    second.ack(resent.id);
    await second.close();
    const row = (await world.app.db.collection('bot_commands').findOne({ commandId: sent.id }))!;
    expect(row).toMatchObject({ status: 'acked', attempts: 2 });
  });

  it('marks the message failed with the reason the bot gives', async () => {
    const bot = await connectBot(world.app, world.token);
    await reply('发不出去的消息');
    const command = await sendCommand(bot);
    bot.ack(command.id, false, 'not_a_friend');
    await expect.poll(async () => (await messageByCommand(command.id))?.status).toBe('failed');
    expect((await messageByCommand(command.id))!.reason).toBe('not_a_friend');
    await bot.close();
  });

  it('sends replies before proactive messages that wait in the outbox', async () => {
    for (const text of ['群发一', '群发二']) {
      await world.app.conversations.send(conversationId, { content: { type: 'text', text }, purpose: 'proactive' });
    }
    await reply('人工回复');
    const bot = await connectBot(world.app, world.token);
    const order = [await sendCommand(bot), await sendCommand(bot), await sendCommand(bot)];
    expect(order.map((command) => command.type === 'send' && command.purpose)).toEqual(['reply', 'proactive', 'proactive']);
    for (const command of order) bot.ack(command.id);
    await bot.close();
  });

  it('pages messages by seq, backwards and forwards', async () => {
    const url = `/api/conversations/${conversationId}/messages`;
    const latest = (await world.operator.inject({ method: 'GET', url: `${url}?limit=3` })).json();
    const seqs = latest.items.map((item: { seq: number }) => item.seq);
    expect(latest.hasMore).toBe(true);
    expect(seqs).toEqual([seqs[0], seqs[0] + 1, seqs[0] + 2]);
    const before = (await world.operator.inject({ method: 'GET', url: `${url}?limit=2&beforeSeq=${seqs[0]}` })).json();
    expect(before.items.map((item: { seq: number }) => item.seq)).toEqual([seqs[0] - 2, seqs[0] - 1]);
    const after = (await world.operator.inject({ method: 'GET', url: `${url}?afterSeq=0&limit=2` })).json();
    expect(after.items.map((item: { seq: number }) => item.seq)).toEqual([1, 2]);
    expect(after.items[0]).toMatchObject({ direction: 'in', text: '你好，在吗' });
  });

  it('counts unread inbound messages until an agent reads the conversation', async () => {
    const conversation = (await world.operator.inject({ method: 'GET', url: `/api/conversations/${conversationId}` })).json();
    expect(conversation.unread).toBe(1);
    const read = await world.operator.inject({ method: 'POST', url: `/api/conversations/${conversationId}/read` });
    expect(read.json().unread).toBe(0);
  });

  it('refuses an empty reply and an unknown conversation', async () => {
    expect((await reply('   ')).statusCode).toBe(400);
    const missing = await world.operator.inject({ method: 'POST', url: '/api/conversations/0123456789abcdef01234567/messages', payload: { text: 'hi' } });
    expect(missing.statusCode).toBe(404);
  });

  it('schedules the resend of unacknowledged commands every 5 minutes', async () => {
    const job = await world.app.db.collection('jobs').findOne({ name: RESEND_UNACKED_JOB });
    expect(job?.repeatInterval).toBe('5 minutes');
  });

  it('sends a command the bot never acknowledged on a live socket again, with the same id, and stops once acked', async () => {
    const bot = await connectBot(world.app, world.token);
    const withText = (text: string) => bot.command((command) => command.type === 'send' && command.content.type === 'text' && command.content.text === text);
    await reply('没人确认');
    const first = await withText('没人确认');
    const later = () => new Date(Date.now() + 1000);
    await world.app.botOutbox.resendUnacked(world.botId, new Date(Date.now() - 60_000));
    expect(bot.pendingCommands().filter((command) => command.id === first.id)).toHaveLength(0);
    await world.app.botOutbox.resendUnacked(world.botId, later());
    const again = await withText('没人确认');
    expect(again.id).toBe(first.id);
    expect((await world.app.db.collection('bot_commands').findOne({ commandId: first.id }))!.attempts).toBe(2);
    bot.ack(first.id);
    await expect.poll(async () => (await messageByCommand(first.id))?.status).toBe('sent');
    await world.app.botOutbox.resendUnacked(world.botId, later());
    await reply('下一条');
    const next = await withText('下一条');
    expect(bot.pendingCommands().filter((command) => command.id === first.id)).toHaveLength(0);
    bot.ack(next.id);
    await bot.close();
  });
});
