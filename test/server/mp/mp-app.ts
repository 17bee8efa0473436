import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import pino from 'pino';
import { vi } from 'vitest';
import type { AppConfig } from '../../../server/src/config.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { startWechatFake, type FakeLogin, type WechatFake } from './wechat-fake.ts';

export interface MpTestApp {
  app: FastifyInstance;
  wechat: WechatFake;
  /** Every log line the app wrote, when built with `captureLogs`. */
  logs: string[];
  close(): Promise<void>;
}

/** An app whose WeChat API is a local fake. */
export async function buildMpTestApp(
  overrides: Partial<AppConfig> = {},
  options: { captureLogs?: boolean; beforeReady?: (app: FastifyInstance) => void } = {},
): Promise<MpTestApp> {
  const wechat = await startWechatFake();
  const logs: string[] = [];
  const app = await buildTestApp(
    {
      wechatApiBaseUrl: wechat.baseUrl,
      wechatMpAppId: wechat.appId,
      wechatMpSecret: wechat.secret,
      generatedSecrets: [],
      ...(options.captureLogs ? { logLevel: 'trace' } : {}),
      ...overrides,
    },
    { ready: false },
  );
  if (options.captureLogs) {
    const stream = (app.log as unknown as Record<symbol, { write(line: string): boolean }>)[pino.symbols.streamSym];
    vi.spyOn(stream, 'write').mockImplementation((line: string) => logs.push(line) > 0);
  }
  options.beforeReady?.(app);
  await app.ready();
  return {
    app,
    wechat,
    logs,
    close: async () => {
      await app.close();
      await wechat.close();
    },
  };
}

export interface ConsumerSession {
  token: string;
  customerId: string;
  inject(options: InjectOptions): Promise<LightMyRequestResponse>;
}

export function injectWithToken(app: FastifyInstance, token: string) {
  return (options: InjectOptions) => app.inject({ ...options, headers: { ...(options.headers ?? {}), authorization: `Bearer ${token}` } });
}

/** Signs in through POST /api/mp/login with a fresh wx.login code for this WeChat user. */
export async function loginConsumer({ app, wechat }: Pick<MpTestApp, 'app' | 'wechat'>, login: FakeLogin): Promise<ConsumerSession> {
  const response = await app.inject({ method: 'POST', url: '/api/mp/login', payload: { code: wechat.loginCode(login) } });
  if (response.statusCode !== 200) throw new Error(`mini-program login failed: ${response.body}`);
  const { token, customer } = response.json<{ token: string; customer: { id: string } }>();
  return { token, customerId: customer.id, inject: injectWithToken(app, token) };
}

let sequence = 0;
/** A unique openid per call, so tests in one file never collide. */
export const openid = (label = 'user') => `o${label}_${Date.now().toString(36)}${(++sequence).toString(36)}`;

/** Signs in and joins the loyalty program with a fresh phone code. */
export async function joinedMember(kit: Pick<MpTestApp, 'app' | 'wechat'>, label = 'member', phone = '13800138000'): Promise<ConsumerSession> {
  const session = await loginConsumer(kit, { openid: openid(label) });
  const response = await session.inject({
    method: 'POST',
    url: '/api/mp/join',
    payload: { phoneCode: kit.wechat.phoneCode(phone), acceptTerms: true, termsVersion: 'terms-v1' },
  });
  if (response.statusCode !== 200) throw new Error(`join failed: ${response.body}`);
  return session;
}
