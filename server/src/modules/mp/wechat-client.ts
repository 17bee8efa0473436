import type { FastifyBaseLogger } from 'fastify';
import { DomainError, type ErrorCode } from '../../lib/errors.ts';

export interface WechatClientOptions {
  baseUrl: string;
  appId?: string;
  secret?: string;
  log: FastifyBaseLogger;
  timeoutMs?: number;
  now?: () => number;
}

export interface WechatSession {
  appId: string;
  openId: string;
  unionId?: string;
}

export interface WechatPhone {
  phoneNumber: string;
  purePhoneNumber: string;
  countryCode: string;
}

export interface SubscribeMessage {
  openId: string;
  templateId: string;
  page?: string;
  data: Record<string, { value: string }>;
  miniprogramState?: 'developer' | 'trial' | 'formal';
}

interface WechatReply {
  errcode?: number;
  errmsg?: string;
  [field: string]: unknown;
}

/** The errcodes a caller can act on; anything else means WeChat is not answering as it should. */
export const WECHAT_ERRCODES: Readonly<Record<number, ErrorCode>> = {
  40029: 'WECHAT_CODE_INVALID',
  40163: 'WECHAT_CODE_USED',
  45011: 'WECHAT_RATE_LIMITED',
  40226: 'WECHAT_RISKY_USER',
};

// 40001: the token was replaced (another instance refreshed it); 42001: expired early. Both deserve one retry.
const STALE_TOKEN_ERRCODES = new Set([40001, 42001]);
const REFRESH_MARGIN_MS = 5 * 60_000;

class StaleTokenError extends Error {}

/**
 * WeChat's server API for the mini-program. `session_key` is dropped as soon as it arrives: login and phone
 * numbers work without it, so it is never stored, returned or logged. URLs are never logged (they carry the
 * secret or the access token).
 */
export function createWechatClient(options: WechatClientOptions) {
  const now = options.now ?? Date.now;
  const timeoutMs = options.timeoutMs ?? 5000;
  let cached: { token: string; refreshAt: number } | null = null;
  let refreshing: Promise<string> | null = null;

  function credentials(): { appid: string; secret: string } {
    if (!options.appId || !options.secret) throw new DomainError('WECHAT_NOT_CONFIGURED', 'set WECHAT_MP_APPID and WECHAT_MP_SECRET');
    return { appid: options.appId, secret: options.secret };
  }

  async function call(api: string, path: string, query: Record<string, string>, body?: unknown): Promise<WechatReply> {
    const url = `${options.baseUrl}${path}?${new URLSearchParams(query)}`;
    let reply: WechatReply;
    try {
      const response = await fetch(url, {
        method: body === undefined ? 'GET' : 'POST',
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      reply = (await response.json()) as WechatReply;
      if (typeof reply !== 'object' || reply === null) throw new Error('not a JSON object');
    } catch (error) {
      options.log.warn({ api, reason: (error as Error).message }, 'WeChat API unreachable');
      throw new DomainError('WECHAT_UNAVAILABLE');
    }
    const errcode = reply.errcode ?? 0;
    if (errcode === 0) return reply;
    if (STALE_TOKEN_ERRCODES.has(errcode) && 'access_token' in query) throw new StaleTokenError();
    options.log.warn({ api, errcode, errmsg: reply.errmsg }, 'WeChat API refused');
    throw new DomainError(WECHAT_ERRCODES[errcode] ?? 'WECHAT_UNAVAILABLE');
  }

  async function fetchAccessToken(): Promise<string> {
    const reply = await call('token', '/cgi-bin/token', { grant_type: 'client_credential', ...credentials() });
    const token = reply.access_token;
    const expiresIn = Number(reply.expires_in);
    if (typeof token !== 'string' || !Number.isFinite(expiresIn)) throw new DomainError('WECHAT_UNAVAILABLE');
    cached = { token, refreshAt: now() + Math.max(0, expiresIn * 1000 - REFRESH_MARGIN_MS) };
    return token;
  }

  /** Cached until shortly before expiry; concurrent callers share one refresh. */
  async function accessToken(): Promise<string> {
    if (cached && now() < cached.refreshAt) return cached.token;
    refreshing ??= fetchAccessToken().finally(() => {
      refreshing = null;
    });
    return refreshing;
  }

  async function withAccessToken(api: string, path: string, body: unknown): Promise<WechatReply> {
    try {
      return await call(api, path, { access_token: await accessToken() }, body);
    } catch (error) {
      if (!(error instanceof StaleTokenError)) throw error;
      cached = null;
      try {
        return await call(api, path, { access_token: await accessToken() }, body);
      } catch (retryError) {
        if (retryError instanceof StaleTokenError) throw new DomainError('WECHAT_UNAVAILABLE');
        throw retryError;
      }
    }
  }

  async function code2Session(code: string): Promise<WechatSession> {
    const { appid, secret } = credentials();
    const reply = await call('jscode2session', '/sns/jscode2session', {
      appid,
      secret,
      js_code: code,
      grant_type: 'authorization_code',
    });
    if (typeof reply.openid !== 'string' || !reply.openid) throw new DomainError('WECHAT_UNAVAILABLE');
    return { appId: appid, openId: reply.openid, ...(typeof reply.unionid === 'string' && reply.unionid ? { unionId: reply.unionid } : {}) };
  }

  async function getPhoneNumber(code: string): Promise<WechatPhone> {
    const reply = await withAccessToken('getuserphonenumber', '/wxa/business/getuserphonenumber', { code });
    const info = reply.phone_info as Partial<WechatPhone> | undefined;
    if (!info || typeof info.purePhoneNumber !== 'string' || typeof info.phoneNumber !== 'string') throw new DomainError('WECHAT_UNAVAILABLE');
    return { phoneNumber: info.phoneNumber, purePhoneNumber: info.purePhoneNumber, countryCode: String(info.countryCode ?? '') };
  }

  async function sendSubscribeMessage(message: SubscribeMessage): Promise<void> {
    await withAccessToken('subscribe.send', '/cgi-bin/message/subscribe/send', {
      touser: message.openId,
      template_id: message.templateId,
      ...(message.page ? { page: message.page } : {}),
      data: message.data,
      miniprogram_state: message.miniprogramState ?? 'formal',
      lang: 'zh_CN',
    });
  }

  return { code2Session, getPhoneNumber, sendSubscribeMessage, accessToken };
}

export type WechatClient = ReturnType<typeof createWechatClient>;
