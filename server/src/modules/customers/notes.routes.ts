import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { IdParams, NoteBody, NoteSchema, ReminderBody, ReminderParams, ReminderSchema } from './customer.schemas.ts';

export async function notesRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const read = app.authorize('customers:read');

  app.get(
    '/api/customers/:id/notes',
    { onRequest: read, schema: { tags: ['notes'], summary: 'Operator notes, newest first', params: IdParams, response: { 200: Type.Array(NoteSchema) } } },
    async (request) => app.notes.listNotes(request.params.id),
  );

  app.post(
    '/api/customers/:id/notes',
    { onRequest: app.authorize('notes:write'), schema: { tags: ['notes'], summary: 'Add a note', params: IdParams, body: NoteBody, response: { 201: NoteSchema } } },
    async (request, reply) => {
      if (!(await app.customers.get(request.params.id))) return reply.notFound();
      return reply.code(201).send(await app.notes.addNote(request.params.id, request.body.body, request.staff!));
    },
  );

  app.get(
    '/api/customers/:id/reminders',
    { onRequest: read, schema: { tags: ['notes'], summary: 'Follow-up reminders, open first', params: IdParams, response: { 200: Type.Array(ReminderSchema) } } },
    async (request) => app.notes.listReminders(request.params.id),
  );

  app.post(
    '/api/customers/:id/reminders',
    { onRequest: app.authorize('reminders:write'), schema: { tags: ['notes'], summary: 'Add a follow-up reminder', params: IdParams, body: ReminderBody, response: { 201: ReminderSchema } } },
    async (request, reply) => {
      if (!(await app.customers.get(request.params.id))) return reply.notFound();
      return reply.code(201).send(await app.notes.addReminder(request.params.id, request.body, request.staff!.id));
    },
  );

  app.post(
    '/api/customers/:id/reminders/:reminderId/done',
    { onRequest: app.authorize('reminders:write'), schema: { tags: ['notes'], summary: 'Mark a reminder done', params: ReminderParams, response: { 200: ReminderSchema } } },
    async (request, reply) => {
      const reminder = await app.notes.completeReminder(request.params.id, request.params.reminderId);
      return reminder ?? reply.notFound();
    },
  );
}
