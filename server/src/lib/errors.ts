/** Stable error codes and their HTTP statuses: one table, so the API's failures stay predictable. */
export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  INVALID_CREDENTIALS: 401,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  ACCOUNT_LOCKED: 423,
  CONFLICT: 409,
  EMAIL_TAKEN: 409,
  MERGE_SELF: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  DATABASE_UNAVAILABLE: 503,
  INTERNAL: 500,
  WECHAT_CODE_INVALID: 400,
  WECHAT_CODE_USED: 400,
  WECHAT_RATE_LIMITED: 429,
  WECHAT_RISKY_USER: 403,
  WECHAT_UNAVAILABLE: 502,
  WECHAT_NOT_CONFIGURED: 503,
  MEMBER_CODE_INVALID: 400,
  MEMBER_CODE_EXPIRED: 400,
  NOT_A_MEMBER: 404,
  INSUFFICIENT_POINTS: 409,
  ALREADY_CHECKED_IN: 409,
  MAKEUP_LIMIT: 409,
  RECEIPT_TAKEN: 409,
  IDEMPOTENCY_KEY_REUSED: 409,
  OUT_OF_STOCK: 409,
  REDEEM_LIMIT: 409,
  TIER_TOO_LOW: 403,
  REWARD_UNAVAILABLE: 409,
  COUPON_ALREADY_USED: 409,
  COUPON_EXPIRED: 409,
  REFERRAL_SELF: 409,
  REFERRAL_REPEAT: 409,
  REFERRAL_CODE_UNKNOWN: 404,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof ERROR_STATUS;

export const ERROR_TITLES: Record<ErrorCode, string> = {
  VALIDATION_FAILED: 'The request is not valid',
  INVALID_CREDENTIALS: 'Email or password is wrong',
  UNAUTHENTICATED: 'Sign in first',
  FORBIDDEN: 'Your role does not allow this',
  NOT_FOUND: 'Not found',
  ACCOUNT_LOCKED: 'Account locked after repeated failures',
  CONFLICT: 'Conflict',
  EMAIL_TAKEN: 'A staff account with this email exists',
  MERGE_SELF: 'A customer cannot be merged into itself',
  PAYLOAD_TOO_LARGE: 'The request body is too large',
  UNSUPPORTED_MEDIA_TYPE: 'Unsupported content type',
  RATE_LIMITED: 'Too many requests',
  DATABASE_UNAVAILABLE: 'The database is unavailable; try again shortly',
  INTERNAL: 'Internal server error',
  WECHAT_CODE_INVALID: 'The WeChat login code is not valid; call wx.login again',
  WECHAT_CODE_USED: 'The WeChat code was already used; call wx.login again',
  WECHAT_RATE_LIMITED: 'WeChat is rate limiting this mini-program; try again shortly',
  WECHAT_RISKY_USER: 'WeChat flagged this account as high-risk',
  WECHAT_UNAVAILABLE: 'WeChat did not answer as expected; try again shortly',
  WECHAT_NOT_CONFIGURED: 'The mini-program is not configured on this server',
  MEMBER_CODE_INVALID: 'The member code is not valid',
  MEMBER_CODE_EXPIRED: 'The member code has expired; ask the member to refresh the card',
  NOT_A_MEMBER: 'Join the loyalty program first',
  INSUFFICIENT_POINTS: 'Not enough spendable points',
  ALREADY_CHECKED_IN: 'Already checked in on this day',
  MAKEUP_LIMIT: 'No make-up check-ins left this month',
  RECEIPT_TAKEN: 'This receipt already earned points for another member',
  IDEMPOTENCY_KEY_REUSED: 'This idempotency key was used for a different operation',
  OUT_OF_STOCK: 'This reward is out of stock',
  REDEEM_LIMIT: 'You have redeemed this reward as often as allowed',
  TIER_TOO_LOW: 'This reward needs a higher member tier',
  REWARD_UNAVAILABLE: 'This reward is not available now',
  COUPON_ALREADY_USED: 'This coupon was used already',
  COUPON_EXPIRED: 'This coupon has expired',
  REFERRAL_SELF: 'A member cannot invite themselves',
  REFERRAL_REPEAT: 'This member was invited already',
  REFERRAL_CODE_UNKNOWN: 'No member has this invite code',
};

export interface FieldError {
  path: string;
  message: string;
}

export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly statusCode: number;
  readonly errors?: FieldError[];

  constructor(code: ErrorCode, detail?: string, errors?: FieldError[]) {
    super(detail ?? ERROR_TITLES[code]);
    this.name = 'DomainError';
    this.code = code;
    this.statusCode = ERROR_STATUS[code];
    this.errors = errors;
  }
}
