import envSchema from 'env-schema';
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
  return {
    production: parsed.NODE_ENV === 'production',
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
  };
}
