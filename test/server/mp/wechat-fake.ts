import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for WeChat's server API, following its documented contract: one-time codes (a used code is
 * 40163), unknown codes 40029, access tokens that expire (42001), and errors queued per code or per API.
 */
export interface FakeLogin {
  openid: string;
  unionid?: string;
}

export interface FakePhone {
  phoneNumber: string;
  purePhoneNumber: string;
  countryCode: string;
}

export interface SentSubscribeMessage {
  touser: string;
  template_id: string;
  page?: string;
  data: Record<string, { value: string }>;
}

type Api = 'jscode2session' | 'token' | 'getuserphonenumber' | 'subscribe.send';

const PATHS: Record<string, Api> = {
  '/sns/jscode2session': 'jscode2session',
  '/cgi-bin/token': 'token',
  '/wxa/business/getuserphonenumber': 'getuserphonenumber',
  '/cgi-bin/message/subscribe/send': 'subscribe.send',
};

export const FAKE_APPID = 'wx0123456789abcdef';
export const FAKE_SECRET = 'fake-secret-0123456789abcdef';

export async function startWechatFake(options: { accessTokenTtlSeconds?: number } = {}) {
  const logins = new Map<string, FakeLogin>();
  const phones = new Map<string, FakePhone>();
  const usedCodes = new Set<string>();
  const codeErrors = new Map<string, number>();
  const apiErrors = new Map<Api, number[]>();
  const tokens = new Map<string, number>();
  const sent: SentSubscribeMessage[] = [];
  const calls: Record<Api, number> = { jscode2session: 0, token: 0, getuserphonenumber: 0, 'subscribe.send': 0 };
  const ttlSeconds = options.accessTokenTtlSeconds ?? 7200;

  const error = (errcode: number, errmsg = `fake error ${errcode}`) => ({ errcode, errmsg: `${errmsg} rid: ${randomBytes(4).toString('hex')}` });

  function useCode(code: string, known: boolean): Record<string, unknown> | null {
    const queued = codeErrors.get(code);
    if (queued) return error(queued);
    if (usedCodes.has(code)) return error(40163, 'code been used');
    if (!known) return error(40029, 'invalid code');
    usedCodes.add(code);
    return null;
  }

  function tokenError(query: URLSearchParams): Record<string, unknown> | null {
    const expiry = tokens.get(query.get('access_token') ?? '');
    if (expiry === undefined) return error(40001, 'invalid credential, access_token is invalid or not latest');
    if (expiry <= Date.now()) return error(42001, 'access_token expired');
    return null;
  }

  function handle(api: Api, query: URLSearchParams, body: Record<string, unknown>): Record<string, unknown> {
    const queued = apiErrors.get(api)?.shift();
    if (queued) return error(queued);
    if (api === 'jscode2session' || api === 'token') {
      if (query.get('appid') !== FAKE_APPID) return error(40013, 'invalid appid');
      if (query.get('secret') !== FAKE_SECRET) return error(40125, 'invalid appsecret');
    }
    if (api === 'jscode2session') {
      if (query.get('grant_type') !== 'authorization_code') return error(40002, 'invalid grant_type');
      const code = query.get('js_code') ?? '';
      const refused = useCode(code, logins.has(code));
      if (refused) return refused;
      const login = logins.get(code)!;
      return { openid: login.openid, session_key: `SESSIONKEY${randomBytes(12).toString('base64')}`, ...(login.unionid ? { unionid: login.unionid } : {}) };
    }
    if (api === 'token') {
      const token = `ACCESS${randomBytes(16).toString('hex')}`;
      tokens.set(token, Date.now() + ttlSeconds * 1000);
      return { access_token: token, expires_in: ttlSeconds };
    }
    const stale = tokenError(query);
    if (stale) return stale;
    if (api === 'getuserphonenumber') {
      const code = String(body.code ?? '');
      const refused = useCode(code, phones.has(code));
      if (refused) return refused;
      return { errcode: 0, errmsg: 'ok', phone_info: { ...phones.get(code)!, watermark: { timestamp: Math.floor(Date.now() / 1000), appid: FAKE_APPID } } };
    }
    sent.push(body as unknown as SentSubscribeMessage);
    return { errcode: 0, errmsg: 'ok' };
  }

  async function onRequest(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://fake');
    const api = PATHS[url.pathname];
    let raw = '';
    for await (const chunk of request) raw += chunk;
    const reply = api ? handle(api, url.searchParams, raw ? (JSON.parse(raw) as Record<string, unknown>) : {}) : error(-1, 'system error');
    if (api) calls[api] += 1;
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(reply));
  }

  const server = createServer((request, response) => void onRequest(request, response));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    appId: FAKE_APPID,
    secret: FAKE_SECRET,
    calls,
    sent,
    /** A wx.login code that exchanges once for this openid (and unionid). */
    loginCode(login: FakeLogin): string {
      const code = `code-${randomBytes(8).toString('hex')}`;
      logins.set(code, login);
      return code;
    },
    /** A getPhoneNumber code that exchanges once for this number. */
    phoneCode(purePhoneNumber: string, countryCode = '86'): string {
      const code = `phone-${randomBytes(8).toString('hex')}`;
      phones.set(code, { phoneNumber: countryCode === '86' ? purePhoneNumber : `+${countryCode} ${purePhoneNumber}`, purePhoneNumber, countryCode });
      return code;
    },
    /** This code answers with the errcode (e.g. 40226 for a high-risk user). */
    codeFails(code: string, errcode: number): string {
      codeErrors.set(code, errcode);
      return code;
    },
    /** The next call to the API answers with the errcode. */
    failNext(api: Api, errcode: number): void {
      apiErrors.set(api, [...(apiErrors.get(api) ?? []), errcode]);
    },
    expireAccessTokens(): void {
      for (const token of tokens.keys()) tokens.set(token, 0);
    },
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

export type WechatFake = Awaited<ReturnType<typeof startWechatFake>>;
