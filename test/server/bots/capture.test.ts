import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOT_PROTOCOL_VERSION } from '../../../shared/src/bot-protocol.ts';
import { connectBot, type TestBot } from './bot-client.ts';
import { addRule, botWorld, contact, event, message, type BotWorld } from './fixtures.ts';

describe('capture from /ws/bot', () => {
  let world: BotWorld;
  let bot: TestBot;

  beforeAll(async () => {
    world = await botWorld();
    await addRule(world.operator, { kind: 'auto_tag', name: '价格敏感', match: { regex: '价格|多少钱' }, tags: ['价格敏感'] });
    await addRule(world.operator, { kind: 'auto_reply', name: '报价', match: { keywords: ['多少钱'] }, reply: '{{nickname}}您好，{{brandName}}的价格表已发您' });
    await addRule(world.operator, { kind: 'welcome', name: '欢迎', reply: '欢迎 {{name}} 加入 {{brandName}}！' });
    await addRule(world.operator, { kind: 'need', name: '需求', keywords: ['面霜', '防晒'] });
    bot = await connectBot(world.app, world.token);
    bot.send({ v: BOT_PROTOCOL_VERSION, kind: 'status', status: 'logged_in', account: { id: 'wxid_brand', name: '品牌小助手' } });
  });
  afterAll(async () => {
    await bot.close();
    await world.app.close();
  });

  const customerOf = (contactId: string) => world.app.db.collection('customers').findOne({ identityKeys: `bot:wxid_brand:${contactId}` });

  it('captures 多少钱: tagged 价格敏感, in the timeline and the conversation (seq 1), auto-replied, sent once acked', async () => {
    const asked = message(contact('c-price', { name: '小王' }), '这个面霜多少钱？');
    expect(await bot.emit(asked)).toEqual({ v: BOT_PROTOCOL_VERSION, kind: 'ack', id: asked.id, ok: true });

    const customer = (await customerOf('c-price'))!;
    expect(customer).toMatchObject({ nickname: '小王', layer: 'guest', tags: ['价格敏感'], needs: { 面霜: 1 } });
    const timeline = (await world.operator.inject({ method: 'GET', url: `/api/customers/${customer._id}/timeline` })).json();
    expect(timeline.items.map((item: { type: string }) => item.type)).toEqual(expect.arrayContaining(['message_in', 'tag_added', 'layer_changed']));

    const conversations = (await world.operator.inject({ method: 'GET', url: `/api/conversations?customerId=${customer._id}` })).json();
    expect(conversations.items).toHaveLength(1);
    const conversation = conversations.items[0];

    const reply = await bot.command();
    expect(reply).toMatchObject({ type: 'send', purpose: 'reply', to: { contactId: 'c-price' }, content: { type: 'text', text: '小王您好，私域示例品牌的价格表已发您' } });

    const before = (await world.operator.inject({ method: 'GET', url: `/api/conversations/${conversation.id}/messages` })).json();
    expect(before.items.map((item: { seq: number; direction: string; status: string | null; text: string }) => [item.seq, item.direction, item.status, item.text])).toEqual([
      [1, 'in', null, '这个面霜多少钱？'],
      [2, 'out', 'queued', '小王您好，私域示例品牌的价格表已发您'],
    ]);

    bot.ack(reply.id);
    await expect.poll(async () => (await world.app.db.collection('messages').findOne({ commandId: reply.id }))?.status).toBe('sent');
    await expect.poll(async () => (await world.app.db.collection('bot_commands').findOne({ commandId: reply.id }))?.status).toBe('acked');
    const outTimeline = (await world.operator.inject({ method: 'GET', url: `/api/customers/${customer._id}/timeline?type=message_out` })).json();
    expect(outTimeline.items).toHaveLength(1);
  });

  it('stores an event sent twice, and again after a reconnect, exactly once', async () => {
    const hello = message('c-twice', '面霜有货吗');
    expect((await bot.emit(hello)).ok).toBe(true);
    expect((await bot.emit(hello)).ok).toBe(true);
    await bot.close();
    bot = await connectBot(world.app, world.token);
    expect((await bot.emit(hello)).ok).toBe(true);

    const customer = (await customerOf('c-twice'))!;
    expect(await world.app.db.collection('messages').countDocuments({ eventId: hello.id })).toBe(1);
    expect(await world.app.db.collection('interactions').countDocuments({ customerId: customer._id, type: 'message_in' })).toBe(1);
    expect(await world.app.db.collection('bot_events').countDocuments({ eventId: hello.id })).toBe(1);
    expect(customer.needs).toEqual({ 面霜: 1 });
  });

  it('completes an event a crash left applied but not marked, without duplicating anything', async () => {
    const asked = message('c-half', '防晒霜多少钱');
    expect((await bot.emit(asked)).ok).toBe(true);
    const reply = await bot.command((command) => command.type === 'send' && 'contactId' in command.to && command.to.contactId === 'c-half');
    // The crash: every write landed except the final "applied" mark, so the bot never got its ack and replays.
    await world.app.db.collection('bot_events').updateOne({ eventId: asked.id }, { $unset: { appliedAt: 1 } });
    expect((await bot.emit(asked)).ok).toBe(true);

    const customer = (await customerOf('c-half'))!;
    expect(customer.needs).toEqual({ 防晒: 1 });
    expect(customer.tags).toEqual(['价格敏感']);
    expect(await world.app.db.collection('messages').countDocuments({ customerId: customer._id })).toBe(2);
    expect(await world.app.db.collection('interactions').countDocuments({ customerId: customer._id, type: { $in: ['message_in', 'tag_added'] } })).toBe(2);
    expect(await world.app.db.collection('bot_commands').countDocuments({ 'frame.to.contactId': 'c-half' })).toBe(1);
    expect((await world.app.db.collection('bot_events').findOne({ eventId: asked.id }))!.appliedAt).toBeInstanceOf(Date);
    bot.ack(reply.id);
  });

  it('marks a known contact active at their latest message and takes a new nickname from it, never going back in time', async () => {
    const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000).toISOString();
    const first = { ...message('c-active', '你好'), at: hoursAgo(3) };
    const later = { ...message('c-active', '在吗'), at: hoursAgo(1) };
    const earlier = { ...message(contact('c-active', { name: '新名字' }), '之前那条'), at: hoursAgo(2) };
    expect((await bot.emit(first)).ok).toBe(true);
    expect((await bot.emit(later)).ok).toBe(true);
    expect((await customerOf('c-active'))!.lastActiveAt).toEqual(new Date(later.at));
    expect((await bot.emit(earlier)).ok).toBe(true);
    const customer = (await customerOf('c-active'))!;
    expect(customer.lastActiveAt).toEqual(new Date(later.at));
    expect(customer.nickname).toBe('新名字');
  });

  it('moves the chats of a merged customer to the survivor at once', async () => {
    expect((await bot.emit(message('c-keep', '我是老客户'))).ok).toBe(true);
    expect((await bot.emit(message('c-dupe', '换了个号'))).ok).toBe(true);
    const keep = (await customerOf('c-keep'))!._id;
    const dupe = (await customerOf('c-dupe'))!._id;
    const merged = await world.admin.inject({ method: 'POST', url: `/api/customers/${keep}/merge`, payload: { sourceId: String(dupe) } });
    expect(merged.statusCode).toBe(200);
    const conversations = world.app.db.collection('conversations');
    expect(await conversations.countDocuments({ customerId: keep, kind: 'direct' })).toBe(2);
    expect(await conversations.countDocuments({ customerId: dupe })).toBe(0);
    const moved = (await conversations.findOne({ contactId: 'c-dupe' }))!;
    expect(await world.app.db.collection('messages').countDocuments({ conversationId: moved._id, customerId: keep })).toBe(1);
    expect(await world.app.db.collection('messages').countDocuments({ customerId: dupe })).toBe(0);
  });

  it('keeps a 100,000-character message whole and truncates its search copy', async () => {
    const long = '长'.repeat(100_000);
    expect((await bot.emit(message('c-long', long))).ok).toBe(true);
    const stored = (await world.app.db.collection('messages').findOne({ text: { $exists: true }, customerId: (await customerOf('c-long'))!._id }))!;
    expect(stored.text).toHaveLength(100_000);
    expect(stored.searchText).toHaveLength(2000);
    const interaction = await world.app.db.collection('interactions').findOne({ customerId: stored.customerId, type: 'message_in' });
    expect(interaction!.summary).toHaveLength(140);
  });

  it('friend_added raises the layer to friend and sends the welcome message', async () => {
    const added = event('friend_added', { contact: contact('c-new-friend', { name: '阿May', gender: 'female', province: '广东', city: '深圳' }) });
    expect((await bot.emit(added)).ok).toBe(true);
    expect(await customerOf('c-new-friend')).toMatchObject({ layer: 'friend', gender: 'female', region: { province: '广东', city: '深圳' } });
    const welcome = await bot.command((command) => command.type === 'send' && 'contactId' in command.to && command.to.contactId === 'c-new-friend');
    expect(welcome).toMatchObject({ purpose: 'reply', content: { type: 'text', text: '欢迎 阿May 加入 私域示例品牌！' } });
    bot.ack(welcome.id);
  });

  it('friend_removed marks the customer lost and leaves a reminder for the bot owner', async () => {
    expect((await bot.emit(message('c-leaving', '你好'))).ok).toBe(true);
    const removed = event('friend_removed', { contact: contact('c-leaving', { name: '老李' }) });
    expect((await bot.emit(removed)).ok).toBe(true);
    expect((await bot.emit(removed)).ok).toBe(true);

    const customer = (await customerOf('c-leaving'))!;
    expect(customer.lost).toMatchObject({ botAccountId: 'wxid_brand' });
    const reminders = await world.app.db.collection('reminders').find({ customerId: customer._id }).toArray();
    expect(reminders).toHaveLength(1);
    expect(String(reminders[0].assigneeId)).toBe(world.admin.staffId);
    expect(reminders[0].title).toContain('流失');
    expect(await world.app.db.collection('interactions').countDocuments({ customerId: customer._id, type: 'friend_removed' })).toBe(1);
  });

  it('accepts a friendship request when auto-accept is on, and not when it is off', async () => {
    const request = event('friendship_request', { requestId: 'req-1', contact: contact('c-request'), hello: '我是小张' });
    expect((await bot.emit(request)).ok).toBe(true);
    expect(await bot.command((command) => command.type === 'accept_friendship')).toMatchObject({ requestId: 'req-1' });

    const settings = (await world.admin.inject({ method: 'GET', url: '/api/bot-settings' })).json();
    const off = await world.admin.inject({ method: 'PUT', url: '/api/bot-settings', payload: { ...settings, autoAcceptFriends: false } });
    expect(off.statusCode).toBe(200);
    const ignored = event('friendship_request', { requestId: 'req-2', contact: contact('c-request-2') });
    expect((await bot.emit(ignored)).ok).toBe(true);
    expect(await world.app.db.collection('bot_commands').countDocuments({ 'frame.requestId': 'req-2' })).toBe(0);
    await world.admin.inject({ method: 'PUT', url: '/api/bot-settings', payload: settings });
  });

  it('contact_updated refreshes the profile and records what changed', async () => {
    expect((await bot.emit(message('c-rename', '在吗'))).ok).toBe(true);
    const updated = event('contact_updated', { contact: contact('c-rename', { name: '新名字', alias: 'VIP 张总', avatarUrl: 'https://wx.qlogo.cn/x.png' }) });
    expect((await bot.emit(updated)).ok).toBe(true);
    const customer = (await customerOf('c-rename'))!;
    expect(customer).toMatchObject({ nickname: '新名字', remark: 'VIP 张总', avatarUrl: 'https://wx.qlogo.cn/x.png' });
    const interaction = await world.app.db.collection('interactions').findOne({ customerId: customer._id, type: 'profile_updated' });
    expect(interaction!.data.fields).toEqual(['nickname', 'remark', 'avatarUrl']);
  });

  it('captures room members and their membership as they join and leave', async () => {
    const room = { id: 'room-1@chatroom', topic: '会员福利群' };
    const members = [contact('m-1', { name: '群友一' }), contact('m-2', { name: '群友二' }), contact('wxid_brand', { name: '品牌小助手' })];
    expect((await bot.emit(event('room_join', { room, members, inviterId: 'wxid_brand' }))).ok).toBe(true);
    expect((await bot.emit(event('room_leave', { room, members: [members[1]] }))).ok).toBe(true);

    const rows = await world.app.db.collection('room_members').find({ roomId: room.id }).sort({ contactId: 1 }).toArray();
    expect(rows.map((row) => [row.contactId, row.active])).toEqual([
      ['m-1', true],
      ['m-2', false],
    ]);
    const second = (await customerOf('m-2'))!;
    expect(second).toMatchObject({ nickname: '群友二', layer: 'guest' });
    const types = (await world.app.db.collection('interactions').find({ customerId: second._id }).toArray()).map((row) => row.type);
    expect(types).toEqual(expect.arrayContaining(['room_joined', 'room_left']));
    expect(await customerOf('wxid_brand')).toBeNull();
  });
});
