import { pino, type Logger } from 'pino';

export type { Logger };

/** Secrets never reach the log, wherever they sit in a logged object. */
export const REDACT_PATHS = ['token', '*.token', 'config.token', 'puppetToken', '*.puppetToken', 'headers.authorization', '*.headers.authorization'];

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  const options = { level, name: 'bot', redact: { paths: REDACT_PATHS, censor: '[redacted]' } };
  if (destination) return pino(options, destination);
  // Pretty lines for a person at a terminal, JSON for containers and log collectors (as the server does).
  if (process.stdout.isTTY) return pino({ ...options, transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' } } });
  return pino(options);
}
