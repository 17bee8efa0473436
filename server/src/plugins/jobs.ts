import { MongoBackend } from '@agendajs/mongo-backend';
import { Agenda, type Job } from 'agenda';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Db } from 'mongodb';

export type JobHandler<Data> = (data: Data, job: Job<Data>) => Promise<void>;

export interface Jobs {
  /** Registers what a job does; call from a feature's plugin. */
  define<Data = Record<string, unknown>>(name: string, handler: JobHandler<Data>): void;
  /** A repeating job (cron expression or interval such as '1 hour'), created once across instances. */
  every(interval: string, name: string, data?: Record<string, unknown>): void;
  /** Runs a job as soon as a worker is free. */
  now(name: string, data?: Record<string, unknown>): Promise<void>;
  /** Runs a job at a given time. */
  schedule(when: Date, name: string, data?: Record<string, unknown>): Promise<void>;
}

declare module 'fastify' {
  interface FastifyInstance {
    jobs: Jobs;
  }
}

export interface JobsOptions {
  /** Off for one-shot scripts and for apps that should not process jobs (e.g. a web-only instance). */
  enabled: boolean;
  processEveryMs: number;
  timezone: string;
}

/**
 * Agenda on our MongoDB: jobs are locked in the database, so with several instances each run executes once.
 * Uses the database's own collection `jobs`; the driver handle comes from the Mongoose connection.
 */
async function jobsPlugin(fastify: FastifyInstance, options: JobsOptions): Promise<void> {
  const agenda = new Agenda({
    backend: new MongoBackend({ mongo: fastify.db.db as unknown as Db, collection: 'jobs' }),
    processEvery: options.processEveryMs,
    defaultLockLifetime: 10 * 60_000,
  });
  const repeating: Array<{ interval: string; name: string; data?: Record<string, unknown> }> = [];
  agenda.on('error', (error: Error) => fastify.log.error({ err: error }, 'job scheduler error'));
  agenda.on('fail', (error: Error, job: Job) => fastify.log.error({ err: error, job: job.attrs.name }, 'job failed'));

  const jobs: Jobs = {
    define: (name, handler) => {
      agenda.define(name, async (job: Job) => handler(job.attrs.data as never, job as never));
    },
    every: (interval, name, data) => {
      repeating.push({ interval, name, data });
    },
    now: async (name, data) => {
      await agenda.now(name, data ?? {});
    },
    schedule: async (when, name, data) => {
      await agenda.schedule(when, name, data ?? {});
    },
  };
  fastify.decorate('jobs', jobs);

  fastify.addHook('onReady', async () => {
    if (!options.enabled) return;
    await agenda.start();
    for (const { interval, name, data } of repeating) await agenda.every(interval, name, data ?? {}, { timezone: options.timezone });
  });
  fastify.addHook('onClose', async () => {
    if (options.enabled) await agenda.stop();
  });
}

export default fp(jobsPlugin, { fastify: '5.x', name: 'jobs', dependencies: ['database'] });
