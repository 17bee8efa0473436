import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOT_PROTOCOL_VERSION } from '../../../shared/src/bot-protocol.ts';
import { connectBot, connectionRefusal } from './bot-client.ts';
import { botWorld, createBot, message, type BotWorld } from './fixtures.ts';

describe('GET /ws/bot', () => {
  let world: BotWorld;
  beforeAll(async () => {
    world = await botWorld();
  });
  afterAll(() => world.app.close());

  const count = (collection: string) => world.app.db.collection(collection).countDocuments();

  it.each([
    ['no header', {}],
    ['a wrong token', { authorization: 'Bearer sbt_not-a-real-token' }],
    ['a staff session instead of a bot token', { authorization: 'Bearer placeholder-replaced-below' }],
  ])('refuses %s with 401 before the upgrade, storing nothing', async (_case, headers: Record<string, string>) => {
    const sent = headers.authorization === 'Bearer placeholder-replaced-below' ? { authorization: `Bearer ${world.admin.token}` } : headers;
    expect(await connectionRefusal(world.app, sent)).toBe(401);
    expect(await count('bot_events')).toBe(0);
    const bot = await world.app.db.collection('bots').findOne({});
    expect(bot?.lastSeenAt).toBeUndefined();
  });

  it('refuses a revoked token and closes the socket that was using it', async () => {
    const { botId, token } = await createBot(world.admin, 'to revoke');
    const bot = await connectBot(world.app, token);
    const revoked = await world.admin.inject({ method: 'POST', url: `/api/bots/${botId}/revoke` });
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json().revokedAt).not.toBeNull();
    expect((await bot.closed).code).toBe(4001);
    expect(await connectionRefusal(world.app, { authorization: `Bearer ${token}` })).toBe(401);
  });

  it('welcomes the bot with the throttle settings', async () => {
    const bot = await connectBot(world.app, world.token);
    expect(bot.received[0]).toEqual({
      v: BOT_PROTOCOL_VERSION,
      kind: 'welcome',
      botId: world.botId,
      throttle: { replyMinGapMs: 3000, proactiveMinGapMs: 15_000, proactiveMaxGapMs: 35_000, dailyCap: 200, unansweredPerContactPerDay: 3 },
    });
    await bot.close();
  });

  it('answers malformed and unknown frames with ack ok:false invalid and keeps the connection', async () => {
    const bot = await connectBot(world.app, world.token);
    bot.sendRaw('{not json');
    bot.sendRaw(Buffer.from([1, 2, 3]));
    bot.send({ v: BOT_PROTOCOL_VERSION, kind: 'event', id: 'unknown-type-1', type: 'teleport', at: new Date().toISOString(), payload: {} });
    bot.send({ v: BOT_PROTOCOL_VERSION, kind: 'gossip', id: 'unknown-kind-1' });
    const invalidMessage = message('c-invalid', 'hi', {}, 'bad-payload-1');
    bot.send({ ...invalidMessage, payload: { ...invalidMessage.payload, fromSelf: 'no', extra: 1 } });
    bot.send({ v: 2, kind: 'ack', id: 'future-version-1', ok: true });

    const unknownType = await bot.ackFor('unknown-type-1');
    expect(unknownType).toMatchObject({ ok: false, reason: 'invalid' });
    expect(unknownType.detail).toContain('unknown event type "teleport"');
    expect(await bot.ackFor('unknown-kind-1')).toMatchObject({ ok: false, reason: 'invalid', detail: 'unknown frame kind "gossip"' });
    const badPayload = await bot.ackFor('bad-payload-1');
    expect(badPayload).toMatchObject({ ok: false, reason: 'invalid' });
    expect(badPayload.detail).toMatch(/\/payload/);
    expect((await bot.ackFor('future-version-1')).detail).toContain('/v');

    const valid = message('c-after-invalid', '还在吗');
    expect(await bot.emit(valid)).toMatchObject({ ok: true });
    expect(await count('bot_events')).toBe(1);
    await bot.close();
  });

  it('records status frames: QR code while scanning, then the account and since when', async () => {
    const bot = await connectBot(world.app, world.token);
    bot.send({ v: BOT_PROTOCOL_VERSION, kind: 'status', status: 'scanning', qrcode: 'https://login.weixin.qq.com/l/abc' });
    const scanning = await waitForBot(world, (row) => row.status === 'scanning');
    expect(scanning).toMatchObject({ qrcode: 'https://login.weixin.qq.com/l/abc', online: true, account: null });

    bot.send({ v: BOT_PROTOCOL_VERSION, kind: 'status', status: 'logged_in', account: { id: 'wxid_brand', name: '品牌小助手' } });
    const loggedIn = await waitForBot(world, (row) => row.status === 'logged_in');
    expect(loggedIn).toMatchObject({ qrcode: null, account: { id: 'wxid_brand', name: '品牌小助手' } });
    expect(Date.parse(loggedIn.statusSince)).toBeGreaterThanOrEqual(Date.parse(scanning.statusSince));
    await bot.close();
    expect((await waitForBot(world, (row) => !row.online)).status).toBe('logged_in');
  });

  it('keeps one live socket per bot: a new connection replaces the old one', async () => {
    const first = await connectBot(world.app, world.token);
    const second = await connectBot(world.app, world.token);
    expect((await first.closed).code).toBe(4000);
    expect(await second.emit(message('c-replaced', '你好'))).toMatchObject({ ok: true });
    await second.close();
  });

  it('keeps the token out of the audit log and refuses throttle gaps out of order', async () => {
    const created = await world.admin.inject({ method: 'POST', url: '/api/bots', payload: { name: 'audited' } });
    const { token } = created.json();
    const auditOf = () => world.app.db.collection('audit_log').findOne({ action: 'POST /api/bots', targetId: created.json().bot.id });
    await expect.poll(auditOf).toMatchObject({ outcome: 'ok', after: { name: 'audited' } });
    expect(JSON.stringify(await world.app.db.collection('audit_log').find({}).toArray())).not.toContain(token);

    const settings = (await world.admin.inject({ method: 'GET', url: '/api/bot-settings' })).json();
    const reversed = { ...settings, throttle: { ...settings.throttle, proactiveMinGapMs: 40_000, proactiveMaxGapMs: 20_000 } };
    const refused = await world.admin.inject({ method: 'PUT', url: '/api/bot-settings', payload: reversed });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors[0].path).toBe('/body/throttle/proactiveMaxGapMs');
  });

  it('lists bots to admins only, never with a token', async () => {
    const list = await world.admin.inject({ method: 'GET', url: '/api/bots' });
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toMatch(/token/i);
    expect((await world.operator.inject({ method: 'GET', url: '/api/bots' })).statusCode).toBe(403);
    expect((await world.operator.inject({ method: 'POST', url: '/api/bots', payload: { name: 'x' } })).statusCode).toBe(403);
  });
});

type BotRow = { id: string; status: string; statusSince: string; qrcode: string | null; online: boolean; account: unknown };

/** Status frames carry no id and get no ack: poll the API the console reads until the change shows. */
async function waitForBot(world: BotWorld, done: (row: BotRow) => boolean): Promise<BotRow> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const rows = (await world.admin.inject({ method: 'GET', url: '/api/bots' })).json<BotRow[]>();
    const row = rows.find((candidate) => candidate.id === world.botId)!;
    if (done(row)) return row;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error('bot status did not change');
}
