import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import mongoose, { type Connection } from 'mongoose';
import { setTimeout as sleep } from 'node:timers/promises';

declare module 'fastify' {
  interface FastifyInstance {
    db: Connection;
  }
}

export interface DatabaseOptions {
  uri: string;
  dbName: string;
  timeoutMs: number;
}

// Queries on a field the schema does not know are bugs, not filters that silently match everything.
mongoose.set('strictQuery', 'throw');

const MAX_BACKOFF_MS = 30_000;

export function redactUri(uri: string): string {
  return uri.replace(/\/\/[^@/]*@/, '//***@');
}

/** Connects, retrying with exponential backoff while the database is unreachable at start. */
export async function connectWithRetry(options: DatabaseOptions, log: FastifyInstance['log'], signal?: AbortSignal): Promise<Connection> {
  for (let attempt = 1; ; attempt++) {
    const connection = mongoose.createConnection(options.uri, {
      dbName: options.dbName,
      serverSelectionTimeoutMS: options.timeoutMs,
      // Fail fast instead of queueing: a lost database becomes a 503, never a hung request.
      bufferCommands: false,
      autoIndex: true,
    });
    try {
      await connection.asPromise();
      return connection;
    } catch (error) {
      await connection.close(true).catch(() => {});
      const delay = Math.min(MAX_BACKOFF_MS, 500 * 2 ** (attempt - 1));
      log.warn(
        { uri: redactUri(options.uri), attempt, retryInMs: delay, reason: (error as Error).message },
        'database not reachable; retrying',
      );
      if (signal?.aborted) throw error;
      await sleep(delay, undefined, { signal });
    }
  }
}

async function databasePlugin(fastify: FastifyInstance, options: DatabaseOptions): Promise<void> {
  const connection = await connectWithRetry(options, fastify.log);
  fastify.decorate('db', connection);
  fastify.addHook('onClose', async () => {
    await connection.close();
  });
}

export default fp(databasePlugin, { fastify: '5.x', name: 'database' });

export async function isDatabaseReady(connection: Connection, timeoutMs: number): Promise<boolean> {
  if (!connection.db) return false;
  try {
    await Promise.race([
      connection.db.admin().ping(),
      sleep(timeoutMs).then(() => {
        throw new Error('ping timed out');
      }),
    ]);
    return true;
  } catch {
    return false;
  }
}
