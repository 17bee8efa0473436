import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ObjectIdString, StrictObject } from '../../../../shared/src/schema.ts';
import { CreateStaffBody, StaffIdentitySchema, StaffRowSchema, UpdateStaffBody } from './staff.schemas.ts';

export async function staffRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const onRequest = app.authorize('staff:manage');

  app.get(
    '/api/staff',
    { onRequest, schema: { tags: ['staff'], summary: 'List staff accounts', response: { 200: Type.Array(StaffRowSchema) } } },
    async () => app.staff.list(),
  );

  app.post(
    '/api/staff',
    {
      onRequest,
      schema: { tags: ['staff'], summary: 'Create a staff account', body: CreateStaffBody, response: { 201: StaffIdentitySchema } },
    },
    async (request, reply) => {
      const created = await app.staff.create(request.body);
      request.auditDetail = { targetType: 'staff', targetId: created.id, after: created };
      return reply.code(201).send(created);
    },
  );

  app.patch(
    '/api/staff/:id',
    {
      onRequest,
      schema: {
        tags: ['staff'],
        summary: 'Change name, role, password or disable an account (ends its sessions)',
        params: StrictObject({ id: ObjectIdString }),
        body: UpdateStaffBody,
        response: { 200: StaffIdentitySchema },
      },
    },
    async (request, reply) => {
      const result = await app.staff.update(request.params.id, request.body);
      if (!result) return reply.notFound();
      request.auditDetail = { targetType: 'staff', before: result.before, after: result.after };
      return result.after;
    },
  );
}
