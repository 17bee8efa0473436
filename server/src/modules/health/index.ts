import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Type } from 'typebox';
import { DomainError } from '../../lib/errors.ts';
import { isDatabaseReady } from '../../plugins/database.ts';

async function healthPlugin(fastify: FastifyInstance, options: { timeoutMs: number }): Promise<void> {
  const ok = { 200: Type.Object({ status: Type.String() }) };
  fastify.get('/healthz', { schema: { tags: ['health'], summary: 'The process is up', security: [], response: ok } }, async () => ({
    status: 'ok',
  }));
  fastify.get(
    '/readyz',
    { schema: { tags: ['health'], summary: 'The database answers', security: [], response: ok } },
    async () => {
      if (!(await isDatabaseReady(fastify.db, Math.min(options.timeoutMs, 2000)))) throw new DomainError('DATABASE_UNAVAILABLE');
      return { status: 'ready' };
    },
  );
}

export default fp(healthPlugin, { fastify: '5.x', name: 'health', dependencies: ['database'] });
