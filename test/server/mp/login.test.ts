import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMpTestApp, loginConsumer, openid, type MpTestApp } from './mp-app.ts';

describe('POST /api/mp/login', () => {
  let kit: MpTestApp;
  const customers = () => kit.app.db.collection('customers');

  beforeAll(async () => {
    kit = await buildMpTestApp({}, { captureLogs: true });
  });
  afterAll(() => kit.close());

  it('creates the customer on the first login and finds the same one on the next', async () => {
    const user = openid('first');
    const first = await kit.app.inject({ method: 'POST', url: '/api/mp/login', payload: { code: kit.wechat.loginCode({ openid: user }) } });
    expect(first.statusCode).toBe(200);
    const body = first.json();
    expect(body).toEqual({
      token: expect.any(String),
      expiresAt: expect.any(String),
      customer: { id: expect.stringMatching(/^[a-f0-9]{24}$/), nickname: null, isMember: false },
    });
    const minutes = (Date.parse(body.expiresAt) - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(118);
    expect(minutes).toBeLessThanOrEqual(120);

    const again = await loginConsumer(kit, { openid: user });
    expect(again.customerId).toBe(body.customer.id);
    const stored = await customers().find({ identityKeys: `mp:${kit.wechat.appId}:${user}` }).toArray();
    expect(stored).toHaveLength(1);
    expect(stored[0].layer).toBe('guest');
    expect(stored[0].lastActiveAt).toBeInstanceOf(Date);
  });

  it('joins an existing Official Account customer with the same unionid instead of creating another', async () => {
    const unionId = `union-${openid('oa')}`;
    const oaCustomer = await kit.app.customerMerge.identify({
      identity: { type: 'oa', accountId: 'gh_brand', externalId: openid('oafan') },
      unionId,
      profile: { nickname: '公众号粉丝' },
    });
    await kit.app.customers.raiseLayer(String(oaCustomer._id), 'fan');

    const session = await loginConsumer(kit, { openid: openid('mp'), unionid: unionId });
    expect(session.customerId).toBe(String(oaCustomer._id));
    const [record] = await customers().find({ unionId }).toArray();
    expect(record.identities.map((identity: { type: string }) => identity.type).sort()).toEqual(['mp', 'oa']);
    expect(record.layer).toBe('fan');
  });

  it('merges an earlier mini-program-only record into the unionid holder when the unionid first appears', async () => {
    const user = openid('later');
    const before = await loginConsumer(kit, { openid: user });
    const unionId = `union-${openid('bot')}`;
    const botCustomer = await kit.app.customerMerge.identify({ identity: { type: 'bot', accountId: 'wxid_brand', externalId: openid('friend') }, unionId });

    const after = await loginConsumer(kit, { openid: user, unionid: unionId });
    expect(after.customerId).toBe(String(botCustomer._id));
    expect(await customers().countDocuments({ unionId, mergedInto: null })).toBe(1);
    // The old token's record was merged away: the mini-program is told to sign in again.
    const stale = await before.inject({ method: 'GET', url: '/api/mp/me' });
    expect(stale.statusCode).toBe(401);
  });

  it.each([
    [40029, 400, 'WECHAT_CODE_INVALID'],
    [40163, 400, 'WECHAT_CODE_USED'],
    [45011, 429, 'WECHAT_RATE_LIMITED'],
    [40226, 403, 'WECHAT_RISKY_USER'],
    [-1, 502, 'WECHAT_UNAVAILABLE'],
    [40013, 502, 'WECHAT_UNAVAILABLE'],
  ])('maps WeChat errcode %i to %i %s and creates nothing', async (errcode, status, code) => {
    const before = await customers().countDocuments();
    const wxCode = kit.wechat.codeFails(`code-${errcode}-${openid()}`, errcode);
    const response = await kit.app.inject({ method: 'POST', url: '/api/mp/login', payload: { code: wxCode } });
    expect(response.statusCode).toBe(status);
    expect(response.json()).toMatchObject({ code, status });
    expect(await customers().countDocuments()).toBe(before);
  });

  it('answers an unknown code with 40029 and a reused code with 40163, as WeChat does', async () => {
    const unknown = await kit.app.inject({ method: 'POST', url: '/api/mp/login', payload: { code: 'never-issued' } });
    expect(unknown.json().code).toBe('WECHAT_CODE_INVALID');
    const code = kit.wechat.loginCode({ openid: openid('twice') });
    expect((await kit.app.inject({ method: 'POST', url: '/api/mp/login', payload: { code } })).statusCode).toBe(200);
    const reused = await kit.app.inject({ method: 'POST', url: '/api/mp/login', payload: { code } });
    expect(reused.statusCode).toBe(400);
    expect(reused.json().code).toBe('WECHAT_CODE_USED');
  });

  it.each([[{}], [{ code: '' }], [{ code: { $gt: '' } }], [{ code: 'x', openid: 'oForged' }], [{ code: 'a b' }]])('rejects %o with 400 before calling WeChat', async (payload) => {
    const calls = kit.wechat.calls.jscode2session;
    const response = await kit.app.inject({ method: 'POST', url: '/api/mp/login', payload });
    expect(response.statusCode).toBe(400);
    expect(kit.wechat.calls.jscode2session).toBe(calls);
  });

  it('never lets session_key out: not in any reply, not in any log line', async () => {
    const session = await loginConsumer(kit, { openid: openid('secret') });
    const me = await session.inject({ method: 'GET', url: '/api/mp/me' });
    const replies = JSON.stringify(me.json()) + session.token;
    expect(replies).not.toMatch(/SESSIONKEY|session_?key/i);
    expect(kit.logs.length).toBeGreaterThan(0);
    expect(kit.logs.join('')).not.toMatch(/SESSIONKEY|session_key/);
    expect(kit.logs.join('')).not.toContain(kit.wechat.secret);
    const stored = await customers().findOne({ identityKeys: { $regex: 'secret' } });
    expect(JSON.stringify(stored)).not.toMatch(/SESSIONKEY|session_?key/i);
  });
});

describe('POST /api/mp/login without WeChat credentials', () => {
  it('answers 503 WECHAT_NOT_CONFIGURED and never calls WeChat', async () => {
    const kit = await buildMpTestApp({ wechatMpAppId: undefined, wechatMpSecret: undefined });
    try {
      const response = await kit.app.inject({ method: 'POST', url: '/api/mp/login', payload: { code: kit.wechat.loginCode({ openid: openid() }) } });
      expect(response.statusCode).toBe(503);
      expect(response.json().code).toBe('WECHAT_NOT_CONFIGURED');
      expect(kit.wechat.calls.jscode2session).toBe(0);
    } finally {
      await kit.close();
    }
  });
});
