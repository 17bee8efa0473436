import envSchema from 'env-schema';
import { randomBytes } from 'node:crypto';
import { Type, type Static } from 'typebox';

const ConfigSchema = Type.Object({
  NODE_ENV: Type.String({ default: 'development' }),
  HOST: Type.String({ default: 'localhost' }),
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000 }),
  LOG_LEVEL: Type.Enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { default: 'info' }),
  MONGODB_URI: Type.Optional(Type.String({ pattern: '^mongodb(\\+srv)?://' })),
  MONGODB_DB: Type.String({ default: 'siyu', pattern: '^[A-Za-z0-9_-]{1,60}$' }),
  DB_TIMEOUT_MS: Type.Integer({ minimum: 200, default: 5000 }),
  DATA_DIR: Type.String({ default: '.data' }),
  ADMIN_EMAIL: Type.Optional(Type.String({ pattern: '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$' })),
  ADMIN_PASSWORD: Type.Optional(Type.String({ minLength: 10 })),
  COOKIE_SECURE: Type.Boolean({ default: false }),
  TRUST_PROXY: Type.Boolean({ default: false }),
  BODY_LIMIT_BYTES: Type.Integer({ minimum: 1024, default: 1_048_576 }),
  CSV_LIMIT_BYTES: Type.Integer({ minimum: 1024, default: 50 * 1_048_576 }),
  LOGIN_RATE_LIMIT_PER_MINUTE: Type.Integer({ minimum: 1, default: 20 }),
  SESSION_TTL_HOURS: Type.Integer({ minimum: 1, default: 12 }),
  JOBS_ENABLED: Type.Boolean({ default: true }),
  JOBS_PROCESS_EVERY_MS: Type.Integer({ minimum: 50, default: 5000 }),
  WECHAT_API_BASE_URL: Type.String({ default: 'https://api.weixin.qq.com', pattern: '^https?://' }),
  WECHAT_MP_APPID: Type.Optional(Type.String({ pattern: '^wx[0-9A-Za-z]{16}$' })),
  WECHAT_MP_SECRET: Type.Optional(Type.String({ minLength: 16 })),
  MEMBER_CODE_SECRET: Type.Optional(Type.String({ minLength: 32 })),
  CONSUMER_TOKEN_SECRET: Type.Optional(Type.String({ minLength: 32 })),
  CONSUMER_TOKEN_TTL_MINUTES: Type.Integer({ minimum: 1, maximum: 1440, default: 120 }),
});

export type Env = Static<typeof ConfigSchema>;

export interface AppConfig {
  production: boolean;
  host: string;
  port: number;
  logLevel: string;
  mongodbUri?: string;
  dbName: string;
  dbTimeoutMs: number;
  dataDir: string;
  adminEmail?: string;
  adminPassword?: string;
  cookieSecure: boolean;
  trustProxy: boolean;
  bodyLimitBytes: number;
  csvLimitBytes: number;
  loginRateLimitPerMinute: number;
  sessionTtlHours: number;
  jobsEnabled: boolean;
  jobsProcessEveryMs: number;
  /** Tests turn this off to keep their output quiet; main.ts prints the first admin's login. */
  printAdminLogin: boolean;
  wechatApiBaseUrl: string;
  wechatMpAppId?: string;
  wechatMpSecret?: string;
  /** Unset only in production when the variable is missing: the mini-program module then refuses to start. */
  memberCodeSecret?: string;
  consumerTokenSecret?: string;
  consumerTokenTtlMinutes: number;
  /** Secrets generated for this process because none was configured: tokens and codes die with it. */
  generatedSecrets: string[];
}

/** Outside production a missing secret is generated per process, so development needs no setup. */
function secretOrGenerated(name: string, value: string | undefined, production: boolean, generated: string[]): string | undefined {
  if (value !== undefined || production) return value;
  generated.push(name);
  return randomBytes(32).toString('base64url');
}

/** Reads and validates the environment; throws one clear line naming the variable at fault. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  let parsed: Env;
  try {
    parsed = envSchema<Env>({ schema: ConfigSchema, data: env, dotenv: false });
  } catch (error) {
    throw new Error(`configuration error: ${(error as Error).message.replace(/^env\//, '').replace(/^env /, '')}`);
  }
  if ((parsed.ADMIN_EMAIL === undefined) !== (parsed.ADMIN_PASSWORD === undefined)) {
    throw new Error('configuration error: set ADMIN_EMAIL and ADMIN_PASSWORD together');
  }
  const production = parsed.NODE_ENV === 'production';
  const generatedSecrets: string[] = [];
  return {
    production,
    host: parsed.HOST,
    port: parsed.PORT,
    logLevel: parsed.LOG_LEVEL,
    mongodbUri: parsed.MONGODB_URI,
    dbName: parsed.MONGODB_DB,
    dbTimeoutMs: parsed.DB_TIMEOUT_MS,
    dataDir: parsed.DATA_DIR,
    adminEmail: parsed.ADMIN_EMAIL,
    adminPassword: parsed.ADMIN_PASSWORD,
    cookieSecure: parsed.COOKIE_SECURE,
    trustProxy: parsed.TRUST_PROXY,
    bodyLimitBytes: parsed.BODY_LIMIT_BYTES,
    csvLimitBytes: parsed.CSV_LIMIT_BYTES,
    loginRateLimitPerMinute: parsed.LOGIN_RATE_LIMIT_PER_MINUTE,
    sessionTtlHours: parsed.SESSION_TTL_HOURS,
    jobsEnabled: parsed.JOBS_ENABLED,
    jobsProcessEveryMs: parsed.JOBS_PROCESS_EVERY_MS,
    printAdminLogin: true,
    wechatApiBaseUrl: parsed.WECHAT_API_BASE_URL.replace(/\/+$/, ''),
    wechatMpAppId: parsed.WECHAT_MP_APPID,
    wechatMpSecret: parsed.WECHAT_MP_SECRET,
    memberCodeSecret: secretOrGenerated('MEMBER_CODE_SECRET', parsed.MEMBER_CODE_SECRET, production, generatedSecrets),
    consumerTokenSecret: secretOrGenerated('CONSUMER_TOKEN_SECRET', parsed.CONSUMER_TOKEN_SECRET, production, generatedSecrets),
    consumerTokenTtlMinutes: parsed.CONSUMER_TOKEN_TTL_MINUTES,
    generatedSecrets,
  };
}
