import type { MpLoginBody, MpLoginReply } from '../../shared/src/mp-api.ts';
import { ApiError } from './api-error';
import { send } from './http';

const TOKEN_STORAGE_KEY = 'siyu.session';
/** Sign in again a little before the token expires rather than spend a request on a 401. */
const EXPIRY_MARGIN_MS = 60_000;

interface StoredSession {
  token: string;
  expiresAt: string;
}

function readSession(): StoredSession | null {
  const stored: unknown = wx.getStorageSync(TOKEN_STORAGE_KEY);
  if (typeof stored !== 'object' || stored === null) return null;
  const { token, expiresAt } = stored as Partial<StoredSession>;
  return typeof token === 'string' && typeof expiresAt === 'string' ? { token, expiresAt } : null;
}

export function clearSession(): void {
  wx.removeStorageSync(TOKEN_STORAGE_KEY);
}

function wxLoginCode(): Promise<string> {
  return new Promise((resolve, reject) => {
    wx.login({
      success: ({ code }) => (code ? resolve(code) : reject(ApiError.network())),
      fail: () => reject(ApiError.network()),
    });
  });
}

let pendingLogin: Promise<MpLoginReply> | null = null;

/** wx.login → POST /api/mp/login; stores the token. Concurrent callers share one login. */
export function login(): Promise<MpLoginReply> {
  if (pendingLogin) return pendingLogin;
  pendingLogin = (async () => {
    const body: MpLoginBody = { code: await wxLoginCode() };
    const response = await send({ method: 'POST', path: '/api/mp/login', body });
    if (response.status !== 200) throw ApiError.fromResponse(response.status, response.body);
    const reply = response.body as MpLoginReply;
    wx.setStorageSync(TOKEN_STORAGE_KEY, { token: reply.token, expiresAt: reply.expiresAt } satisfies StoredSession);
    return reply;
  })().finally(() => {
    pendingLogin = null;
  });
  return pendingLogin;
}

/** A token that is not about to expire, signing in first when there is none. */
export async function currentToken(): Promise<string> {
  const session = readSession();
  if (session && Date.parse(session.expiresAt) - EXPIRY_MARGIN_MS > Date.now()) return session.token;
  return (await login()).token;
}
