import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MpCardReply, MpCheckInReply, MpMeReply } from '../../shared/src/mp-api.ts';
import type { MpRedeemBody, MpRedeemReply } from '../../shared/src/rewards-api.ts';
import { startMiniprogramKit, type MiniprogramKit } from './helpers/mp-kit.ts';

/** The slice of miniprogram/services the tests call, as compiled for WeChat. */
interface ClientError extends Error {
  code: string;
  status: number;
  isNetwork: boolean;
}
interface Client {
  api: {
    me(): Promise<MpMeReply>;
    card(): Promise<MpCardReply>;
    checkIn(): Promise<MpCheckInReply>;
    redeem(rewardId: string, body: MpRedeemBody): Promise<MpRedeemReply>;
    reward(rewardId: string): Promise<unknown>;
  };
}
interface Errors {
  ApiError: { fromResponse(status: number, body: unknown): ClientError };
}

const SESSION_KEY = 'siyu.session';

let kit: MiniprogramKit;
let api: Client['api'];
let ApiError: Errors['ApiError'];
beforeAll(async () => {
  kit = await startMiniprogramKit();
  api = kit.requireCompiled<Client>('services/api').api;
  ApiError = kit.requireCompiled<Errors>('services/api-error').ApiError;
});
afterAll(async () => {
  await kit?.shutdown();
});

const calls = () => kit.wx.requests.map((call) => `${call.method} ${call.path} ${call.status}`);
const failure = (promise: Promise<unknown>) => promise.then(() => Promise.reject(new Error('expected a failure')), (error: ClientError) => error);

describe('services/api against a real server', () => {
  it('signs in through wx.login once and keeps the token in storage', async () => {
    kit.newConsumer('client');
    const before = kit.wx.requests.length;
    const [first, second] = await Promise.all([api.me(), api.me()]);
    expect(first.id).toBe(second.id);
    expect(calls().slice(before)).toEqual(['POST /api/mp/login 200', 'GET /api/mp/me 200', 'GET /api/mp/me 200']);
    expect(JSON.parse(kit.wx.storage.get(SESSION_KEY)!)).toEqual({ token: expect.any(String), expiresAt: expect.any(String) });
  });

  it('signs in again once when the stored token is refused with 401', async () => {
    kit.newConsumer('stale');
    kit.wx.storage.set(SESSION_KEY, JSON.stringify({ token: 'not-a-token', expiresAt: new Date(Date.now() + 3_600_000).toISOString() }));
    const before = kit.wx.requests.length;
    await api.me();
    expect(calls().slice(before)).toEqual(['GET /api/mp/me 401', 'POST /api/mp/login 200', 'GET /api/mp/me 200']);
    expect(JSON.parse(kit.wx.storage.get(SESSION_KEY)!).token).not.toBe('not-a-token');
  });

  it('signs in before a request when the stored token has expired', async () => {
    kit.newConsumer('expired');
    kit.wx.storage.set(SESSION_KEY, JSON.stringify({ token: 'old', expiresAt: new Date(Date.now() - 1000).toISOString() }));
    const before = kit.wx.requests.length;
    await api.me();
    expect(calls().slice(before)).toEqual(['POST /api/mp/login 200', 'GET /api/mp/me 200']);
  });

  it('repeats a read once when the network fails, and then gives up with NETWORK', async () => {
    kit.newConsumer('flaky');
    await api.me();
    const before = kit.wx.requests.length;

    kit.wx.dropNextRequests(1);
    await api.me();
    kit.wx.dropNextRequests(2);
    const error = await failure(api.me());

    expect(calls().slice(before)).toEqual(['GET /api/mp/me network-error', 'GET /api/mp/me 200', 'GET /api/mp/me network-error', 'GET /api/mp/me network-error']);
    expect(error).toMatchObject({ name: 'ApiError', code: 'NETWORK', status: 0, isNetwork: true, message: '网络不给力，请检查网络后重试' });
  });

  it('never repeats a write on its own: a check-in that got no answer may have been applied', async () => {
    await kit.newMember('writer');
    await api.me();
    const before = kit.wx.requests.length;
    kit.wx.dropNextRequests(1);
    const error = await failure(api.checkIn());
    expect(error.code).toBe('NETWORK');
    expect(calls().slice(before)).toEqual(['POST /api/mp/checkins network-error']);
  });

  const problems: Array<[string, string, () => Promise<unknown>]> = [
    ['NOT_A_MEMBER', '请先加入会员', async () => {
      kit.newConsumer('guest');
      return api.card();
    }],
    ['ALREADY_CHECKED_IN', '今天已经签到过了', async () => {
      await kit.newMember('twice');
      await api.checkIn();
      return api.checkIn();
    }],
    ['INSUFFICIENT_POINTS', '积分不足', async () => {
      await kit.newMember('poor', { points: 10 });
      return api.redeem(await kit.newReward({ pointsCost: 100 }), { idempotencyKey: 'poor-key-0001' });
    }],
    ['OUT_OF_STOCK', '来晚了，奖品已兑完', async () => {
      await kit.newMember('late', { points: 500 });
      return api.redeem(await kit.newReward({ pointsCost: 100, stock: 0 }), { idempotencyKey: 'late-key-0001' });
    }],
    ['NOT_FOUND', '内容不存在或已下架', async () => {
      await kit.newMember('lost');
      return api.reward('0123456789abcdef01234567');
    }],
  ];

  it.each(problems)('turns the problem %s into an ApiError saying 「%s」', async (code, message, provoke) => {
    const error = await failure(provoke());
    expect(error).toMatchObject({ name: 'ApiError', code, message });
  });
});

describe('ApiError.fromResponse', () => {
  it.each([
    [409, { type: 'x', title: 'Conflict', status: 409, code: 'MAKEUP_LIMIT' }, 'MAKEUP_LIMIT', '本月补签次数已用完'],
    [403, { type: 'x', title: 'Forbidden', status: 403, code: 'TIER_TOO_LOW' }, 'TIER_TOO_LOW', '会员等级不足，暂不能兑换'],
    [409, { type: 'x', title: 'New', status: 409, code: 'SOMETHING_NEW' }, 'UNKNOWN', '服务开小差了，请稍后再试'],
    [401, '', 'UNAUTHENTICATED', '登录已失效，请重试'],
    [502, '<html>Bad Gateway</html>', 'UNKNOWN', '服务开小差了，请稍后再试'],
  ])('%i %j → %s', (status, body, code, message) => {
    expect(ApiError.fromResponse(status, body)).toMatchObject({ code, message, status, isNetwork: false });
  });
});
