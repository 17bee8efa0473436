import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWechatClient } from '../../../server/src/modules/mp/wechat-client.ts';
import { startWechatFake, type WechatFake } from './wechat-fake.ts';

describe('WeChat client', () => {
  let wechat: WechatFake;
  beforeAll(async () => {
    wechat = await startWechatFake();
  });
  afterAll(() => wechat.close());

  const client = (now?: () => number) =>
    createWechatClient({ baseUrl: wechat.baseUrl, appId: wechat.appId, secret: wechat.secret, log: pino({ level: 'silent' }), now });

  it('exchanges a login code for openid and unionid, and drops session_key', async () => {
    const session = await client().code2Session(wechat.loginCode({ openid: 'oAbc', unionid: 'uAbc' }));
    expect(session).toEqual({ appId: wechat.appId, openId: 'oAbc', unionId: 'uAbc' });
  });

  it('exchanges a phone code for the number', async () => {
    const phone = await client().getPhoneNumber(wechat.phoneCode('13800001111'));
    expect(phone).toEqual({ phoneNumber: '13800001111', purePhoneNumber: '13800001111', countryCode: '86' });
  });

  it('fetches one access token for many concurrent calls and reuses it', async () => {
    const wx = client();
    const before = wechat.calls.token;
    await Promise.all(Array.from({ length: 10 }, () => wx.getPhoneNumber(wechat.phoneCode('13800002222'))));
    await wx.getPhoneNumber(wechat.phoneCode('13800003333'));
    expect(wechat.calls.token - before).toBe(1);
  });

  it('refreshes the token before it expires', async () => {
    let now = Date.now();
    const wx = client(() => now);
    const first = await wx.accessToken();
    now += 7200_000 - 60_000;
    const second = await wx.accessToken();
    expect(second).not.toBe(first);
  });

  it('refreshes once and retries when WeChat says the token expired early', async () => {
    const wx = client();
    await wx.accessToken();
    wechat.expireAccessTokens();
    const before = wechat.calls.token;
    await expect(wx.getPhoneNumber(wechat.phoneCode('13800004444'))).resolves.toMatchObject({ purePhoneNumber: '13800004444' });
    expect(wechat.calls.token - before).toBe(1);
  });

  it('sends a subscribe message with the access token', async () => {
    await client().sendSubscribeMessage({ openId: 'oAbc', templateId: 'TEMPLATE_ID_123', page: 'pages/card/index', data: { thing1: { value: '签到提醒' } } });
    expect(wechat.sent.at(-1)).toMatchObject({ touser: 'oAbc', template_id: 'TEMPLATE_ID_123', data: { thing1: { value: '签到提醒' } } });
  });

  it.each([
    [40029, 'WECHAT_CODE_INVALID'],
    [40163, 'WECHAT_CODE_USED'],
    [45011, 'WECHAT_RATE_LIMITED'],
    [40226, 'WECHAT_RISKY_USER'],
    [-1, 'WECHAT_UNAVAILABLE'],
  ])('maps errcode %i on the phone exchange to %s', async (errcode, code) => {
    wechat.failNext('getuserphonenumber', errcode);
    await expect(client().getPhoneNumber(wechat.phoneCode('13800005555'))).rejects.toMatchObject({ code });
  });

  it('reports an unreachable WeChat as WECHAT_UNAVAILABLE', async () => {
    const wx = createWechatClient({ baseUrl: 'http://127.0.0.1:9', appId: wechat.appId, secret: wechat.secret, log: pino({ level: 'silent' }), timeoutMs: 500 });
    await expect(wx.code2Session('whatever')).rejects.toMatchObject({ code: 'WECHAT_UNAVAILABLE', statusCode: 502 });
  });
});
