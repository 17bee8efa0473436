import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { createAuditService, type AuditService } from './audit.service.ts';

export interface AuditDetail {
  targetType?: string;
  targetId?: string;
  before?: unknown;
  after?: unknown;
  detail?: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    audit: AuditService;
  }
  interface FastifyRequest {
    /** Set by a handler to enrich the automatic audit entry, e.g. settings before and after. */
    auditDetail: AuditDetail | null;
  }
}

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function targetIdOf(request: FastifyRequest): string | undefined {
  const params = request.params as Record<string, string> | undefined;
  return params?.id;
}

/** Every successful staff write lands in the audit log before the reply leaves, so a 2xx means the entry exists. */
async function auditPlugin(fastify: FastifyInstance): Promise<void> {
  const audit = createAuditService(fastify.db);
  fastify.decorate('audit', audit);
  fastify.decorateRequest('auditDetail', null);
  fastify.addHook('onSend', async (request, reply, payload) => {
    if (READ_METHODS.has(request.method) || !request.staff || reply.statusCode >= 400) return payload;
    const detail = request.auditDetail ?? {};
    try {
      await audit.record({
        actor: request.staff,
        action: `${request.method} ${request.routeOptions.url ?? request.url}`,
        outcome: 'ok',
        targetId: targetIdOf(request),
        ...detail,
        ip: request.ip,
        requestId: request.id,
      });
    } catch (error) {
      request.log.error({ err: error }, 'audit entry not written');
    }
    return payload;
  });
}

export default fp(auditPlugin, { fastify: '5.x', name: 'audit', dependencies: ['database'] });

/** The audit log's own routes need staff authorisation, which itself records to the audit log: registered after staff. */
export { auditRoutes } from './audit.routes.ts';
