import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ObjectIdString, StrictObject } from '../../../../shared/src/schema.ts';

const AuditEntrySchema = Type.Object({
  id: Type.String(),
  at: Type.String(),
  actorEmail: Type.Union([Type.String(), Type.Null()]),
  actorRole: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(),
  outcome: Type.String(),
  targetType: Type.Union([Type.String(), Type.Null()]),
  targetId: Type.Union([Type.String(), Type.Null()]),
  before: Type.Unknown(),
  after: Type.Unknown(),
  detail: Type.Union([Type.String(), Type.Null()]),
  ip: Type.Union([Type.String(), Type.Null()]),
});

export async function auditRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/api/audit',
    {
      onRequest: app.authorize('audit:read'),
      schema: {
        tags: ['audit'],
        summary: 'Audit log: staff writes, failed logins and refused authorisations, newest first',
        querystring: StrictObject({
          cursor: Type.Optional(Type.String({ maxLength: 200 })),
          limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
          actorId: Type.Optional(ObjectIdString),
          outcome: Type.Optional(Type.Enum(['ok', 'denied', 'failed'])),
        }),
        response: {
          200: Type.Object({ items: Type.Array(AuditEntrySchema), nextCursor: Type.Union([Type.String(), Type.Null()]) }),
        },
      },
    },
    async (request) => app.audit.list(request.query),
  );
}
