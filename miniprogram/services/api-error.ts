import type { Static } from 'typebox';
import type { ProblemSchema } from '../../shared/src/schema.ts';

export type Problem = Static<typeof ProblemSchema>;

/** What the consumer reads for each error code the API can answer with; the server's titles are English. */
export const ERROR_MESSAGES = {
  NETWORK: '网络不给力，请检查网络后重试',
  UNKNOWN: '服务开小差了，请稍后再试',
  UNAUTHENTICATED: '登录已失效，请重试',
  VALIDATION_FAILED: '提交的信息有误，请检查后重试',
  NOT_FOUND: '内容不存在或已下架',
  RATE_LIMITED: '操作太频繁，请稍后再试',
  DATABASE_UNAVAILABLE: '服务繁忙，请稍后再试',
  WECHAT_CODE_INVALID: '微信登录失败，请重试',
  WECHAT_CODE_USED: '微信登录失败，请重试',
  WECHAT_RATE_LIMITED: '操作太频繁，请稍后再试',
  WECHAT_RISKY_USER: '当前微信账号存在风险，暂无法使用',
  WECHAT_UNAVAILABLE: '微信服务暂时不可用，请稍后再试',
  WECHAT_NOT_CONFIGURED: '小程序暂未开放，请稍后再试',
  NOT_A_MEMBER: '请先加入会员',
  ALREADY_CHECKED_IN: '今天已经签到过了',
  MAKEUP_LIMIT: '本月补签次数已用完',
  INSUFFICIENT_POINTS: '积分不足',
  OUT_OF_STOCK: '来晚了，奖品已兑完',
  REDEEM_LIMIT: '已达到该奖品的兑换上限',
  TIER_TOO_LOW: '会员等级不足，暂不能兑换',
  REWARD_UNAVAILABLE: '该奖品当前不可兑换',
  IDEMPOTENCY_KEY_REUSED: '请求重复，请刷新后重试',
  REFERRAL_SELF: '不能邀请自己哦',
  REFERRAL_REPEAT: '该好友已被邀请过',
  REFERRAL_CODE_UNKNOWN: '邀请码无效',
} as const satisfies Record<string, string>;

export type ApiErrorCode = keyof typeof ERROR_MESSAGES;

const isKnownCode = (code: unknown): code is ApiErrorCode => typeof code === 'string' && Object.prototype.hasOwnProperty.call(ERROR_MESSAGES, code);

/** A failed call: `code` is one of ERROR_MESSAGES' keys, `message` is ready to show to the consumer. */
export class ApiError extends Error {
  readonly code: ApiErrorCode;
  /** HTTP status; 0 when no response arrived. */
  readonly status: number;
  readonly problem: Problem | null;

  constructor(code: ApiErrorCode, status: number, problem: Problem | null = null) {
    super(ERROR_MESSAGES[code]);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
    this.problem = problem;
  }

  /** No response: offline, DNS, timeout. Safe to offer a retry. */
  get isNetwork(): boolean {
    return this.status === 0;
  }

  static network(): ApiError {
    return new ApiError('NETWORK', 0);
  }

  /** From a problem+json body (RFC 9457); an unknown code or a body of another shape becomes UNKNOWN. */
  static fromResponse(status: number, body: unknown): ApiError {
    const problem = isProblem(body) ? body : null;
    const code = problem && isKnownCode(problem.code) ? problem.code : status === 401 ? 'UNAUTHENTICATED' : status === 404 ? 'NOT_FOUND' : 'UNKNOWN';
    return new ApiError(code, status, problem);
  }
}

function isProblem(body: unknown): body is Problem {
  if (typeof body !== 'object' || body === null) return false;
  const candidate = body as Record<string, unknown>;
  return typeof candidate.status === 'number' && typeof candidate.title === 'string';
}

/** The message to show for anything a request threw. */
export function errorMessage(error: unknown): string {
  return error instanceof ApiError ? error.message : ERROR_MESSAGES.UNKNOWN;
}

export const isApiError = (error: unknown, code: ApiErrorCode): error is ApiError => error instanceof ApiError && error.code === code;
