import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { DomainError } from '../../lib/errors.ts';
import { authRoutes } from './auth.routes.ts';
import { can, type Permission } from './permissions.ts';
import { createStaffService, type StaffIdentity, type StaffService } from './staff.service.ts';
import { staffRoutes } from './staff.routes.ts';
import { tokenFrom } from './session-token.util.ts';

declare module 'fastify' {
  interface FastifyInstance {
    staff: StaffService;
    /** An onRequest hook: 401 without a session, 403 (audited) when the role lacks the permission. */
    authorize(permission: Permission): onRequestAsyncHookHandler;
  }
  interface FastifyRequest {
    staff: StaffIdentity | null;
    sessionToken: string | null;
  }
}

export interface StaffPluginOptions {
  sessionTtlHours: number;
  loginRateLimitPerMinute: number;
  cookieSecure: boolean;
}

async function staffPlugin(fastify: FastifyInstance, options: StaffPluginOptions): Promise<void> {
  const service = createStaffService(fastify.db, { audit: fastify.audit, sessionTtlHours: options.sessionTtlHours });
  fastify.decorate('staff', service);
  fastify.decorateRequest('staff', null);
  fastify.decorateRequest('sessionToken', null);

  fastify.decorate('authorize', (permission: Permission) => {
    return async function authorizeRequest(request: FastifyRequest, _reply: FastifyReply) {
      const token = tokenFrom(request);
      const identity = token ? await service.authenticate(token) : null;
      if (!identity) throw new DomainError('UNAUTHENTICATED');
      request.staff = identity;
      request.sessionToken = token;
      if (!can(identity.role, permission)) {
        request.log.warn({ staffId: identity.id, role: identity.role, permission }, 'authorisation refused');
        await fastify.audit.record({
          actor: identity,
          action: `${request.method} ${request.routeOptions.url ?? request.url}`,
          outcome: 'denied',
          detail: `needs ${permission}`,
          ip: request.ip,
          requestId: request.id,
        });
        throw new DomainError('FORBIDDEN', `your role (${identity.role}) lacks ${permission}`);
      }
    };
  });

  await fastify.register(authRoutes, options);
  await fastify.register(staffRoutes);
}

export default fp(staffPlugin, { fastify: '5.x', name: 'staff', dependencies: ['database', 'audit'] });
