import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import rateLimit from '@fastify/rate-limit';
import sensible from '@fastify/sensible';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { AppConfig } from './config.ts';
import auditModule, { auditRoutes } from './modules/audit/index.ts';
import botsModule from './modules/bots/index.ts';
import consoleModule from './modules/console/index.ts';
import customersModule from './modules/customers/index.ts';
import healthModule from './modules/health/index.ts';
import loyaltyModule from './modules/loyalty/index.ts';
import mpModule, { mpOptions } from './modules/mp/index.ts';
import rewardsModule from './modules/rewards/index.ts';
import settingsModule from './modules/settings/index.ts';
import staffModule from './modules/staff/index.ts';
import bus from './plugins/bus.ts';
import database from './plugins/database.ts';
import jobs from './plugins/jobs.ts';
import openapi from './plugins/openapi.ts';
import problem from './plugins/problem.ts';
import securityHeaders from './plugins/security-headers.ts';
import validation from './plugins/validation.ts';
import websocket from './plugins/websocket.ts';

export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'password',
  '*.password',
  'token',
  '*.token',
  'phone',
  '*.phone',
  'sessionKey',
  '*.sessionKey',
];

export function loggerOptions(config: Pick<AppConfig, 'logLevel'>): FastifyServerOptions['logger'] {
  return {
    level: config.logLevel,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    ...(process.stdout.isTTY ? { transport: { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss' } } } : {}),
  };
}

/** The whole server as one Fastify instance; main.ts listens, tests inject. */
export async function buildApp(config: AppConfig & { mongodbUri: string }): Promise<FastifyInstance> {
  const app = Fastify({
    logger: loggerOptions(config),
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && /^[\w-]{1,64}$/.test(given) ? given : randomUUID();
    },
    trustProxy: config.trustProxy,
    bodyLimit: config.bodyLimitBytes,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });

  await app.register(validation);
  await app.register(problem);
  await app.register(sensible);
  await app.register(cookie);
  await app.register(formbody, { bodyLimit: 64 * 1024 });
  await app.register(securityHeaders, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'https:'],
      },
    },
  });
  await app.register(rateLimit, { global: false });
  await app.register(websocket);
  await app.register(openapi);
  await app.register(database, { uri: config.mongodbUri, dbName: config.dbName, timeoutMs: config.dbTimeoutMs });
  await app.register(bus);
  await app.register(jobs, { enabled: config.jobsEnabled, processEveryMs: config.jobsProcessEveryMs, timezone: 'Asia/Shanghai' });
  await app.register(healthModule, { timeoutMs: config.dbTimeoutMs });
  await app.register(auditModule);
  await app.register(staffModule, {
    sessionTtlHours: config.sessionTtlHours,
    loginRateLimitPerMinute: config.loginRateLimitPerMinute,
    cookieSecure: config.cookieSecure,
  });
  await app.register(auditRoutes);
  await app.register(settingsModule);
  await app.register(customersModule, { csvLimitBytes: config.csvLimitBytes });
  await app.register(botsModule);
  await app.register(loyaltyModule);
  await app.register(mpModule, mpOptions(config));
  await app.register(rewardsModule);
  await app.register(consoleModule, { cookieSecure: config.cookieSecure, loginRateLimitPerMinute: config.loginRateLimitPerMinute });
  return app;
}
