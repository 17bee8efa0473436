import { resolve } from 'node:path';
import { Ajv } from 'ajv';
import { Type, type Static } from 'typebox';
import type { OfficialPuppetNpmName } from 'wechaty';

/**
 * The puppets installed with the project. Paid protocols (padlocal, workpro, ...) are reached through
 * wechaty-puppet-service with WECHATY_PUPPET_TOKEN; `wechaty-puppet-mock` is for tests and `--demo`.
 */
export const SUPPORTED_PUPPETS = ['wechaty-puppet-wechat4u', 'wechaty-puppet-service', 'wechaty-puppet-mock'] as const satisfies readonly OfficialPuppetNpmName[];

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const EnvSchema = Type.Object({
  BOT_SERVER_URL: Type.String({ pattern: '^wss?://[^\\s]+$', default: 'ws://127.0.0.1:3000/ws/bot' }),
  BOT_TOKEN: Type.String({ minLength: 1 }),
  WECHATY_PUPPET: Type.Enum(SUPPORTED_PUPPETS, { default: 'wechaty-puppet-wechat4u' }),
  WECHATY_PUPPET_TOKEN: Type.Optional(Type.String()),
  BOT_NAME: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$', default: 'siyu-bot' }),
  BOT_DATA_DIR: Type.String({ minLength: 1, default: '.data/bot' }),
  LOG_LEVEL: Type.Enum(LOG_LEVELS, { default: 'info' }),
});
type Env = Static<typeof EnvSchema>;

export interface BotConfig {
  serverUrl: string;
  token: string;
  puppet: (typeof SUPPORTED_PUPPETS)[number];
  puppetToken: string | undefined;
  name: string;
  dataDir: string;
  logLevel: (typeof LOG_LEVELS)[number];
}

const HINTS: Record<string, string> = {
  BOT_TOKEN: 'create a bot in the console (or POST /api/bots) and pass its token',
  BOT_SERVER_URL: 'e.g. ws://127.0.0.1:3000/ws/bot',
  WECHATY_PUPPET: `one of ${SUPPORTED_PUPPETS.join(', ')}`,
  BOT_NAME: 'letters, digits, - and _',
  LOG_LEVEL: LOG_LEVELS.join(', '),
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const validateEnv = new Ajv({ useDefaults: true, allErrors: false, strict: false }).compile<Env>(EnvSchema);

/** Reads and checks the environment; throws a ConfigError whose message is one line naming the variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): BotConfig {
  const data = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  if (!validateEnv(data)) {
    const error = validateEnv.errors?.[0];
    const name = error?.params && 'missingProperty' in error.params ? String(error.params.missingProperty) : (error?.instancePath.slice(1) ?? '');
    const problem = error?.keyword === 'required' ? 'is required' : 'is invalid';
    throw new ConfigError(`config: ${name} ${problem}${HINTS[name] ? ` (${HINTS[name]})` : ''}`);
  }
  return {
    serverUrl: data.BOT_SERVER_URL,
    token: data.BOT_TOKEN,
    puppet: data.WECHATY_PUPPET,
    puppetToken: data.WECHATY_PUPPET_TOKEN,
    name: data.BOT_NAME,
    dataDir: resolve(data.BOT_DATA_DIR),
    logLevel: data.LOG_LEVEL,
  };
}
