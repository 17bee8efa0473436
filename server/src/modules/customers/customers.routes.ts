import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { can } from '../staff/permissions.ts';
import { toCustomerProfile, toCustomerSummary, type DtoContext } from './customer-dto.util.ts';
import {
  BulkTagsBody,
  ConsentBody,
  CustomerList,
  CustomerProfile,
  IdParams,
  InteractionPage,
  ListQuery,
  MergeBody,
  Profile360,
  TagsBody,
  TimelineQuery,
  UpdateCustomerBody,
} from './customer.schemas.ts';

export async function customerRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const read = app.authorize('customers:read');
  const write = app.authorize('customers:write');
  const tags = app.authorize('tags:write');

  async function dtoContext(request: FastifyRequest): Promise<DtoContext> {
    const { lifecycle } = await app.settings.getBrand();
    return { now: new Date(), thresholds: lifecycle, revealPhone: can(request.staff!.role, 'customers:phone') };
  }

  app.get(
    '/api/customers',
    { onRequest: read, schema: { tags: ['customers'], summary: 'Search and list customers', querystring: ListQuery, response: { 200: CustomerList } } },
    async (request) => {
      const page = await app.customers.list(request.query);
      const context = await dtoContext(request);
      return { items: page.items.map((doc) => toCustomerSummary(doc, context)), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/api/customers/:id',
    { onRequest: read, schema: { tags: ['customers'], summary: 'The 360° profile: profile, timeline, notes, reminders', params: IdParams, response: { 200: Profile360 } } },
    async (request, reply) => {
      const { id } = request.params;
      const [customer, timeline, notes, reminders, tagGroups, context] = await Promise.all([
        app.customers.get(id),
        app.interactions.page(id, { limit: 20 }),
        app.notes.listNotes(id),
        app.notes.listReminders(id),
        app.customers.tagGroups(),
        dtoContext(request),
      ]);
      if (!customer) return reply.notFound(`customer ${id} not found`);
      return { customer: toCustomerProfile(customer, context), timeline, notes, reminders, tagGroups };
    },
  );

  app.patch(
    '/api/customers/:id',
    { onRequest: write, schema: { tags: ['customers'], summary: 'Edit the profile', params: IdParams, body: UpdateCustomerBody, response: { 200: CustomerProfile } } },
    async (request, reply) => {
      const updated = await app.customers.update(request.params.id, request.body, request.staff!.id);
      if (!updated) return reply.notFound();
      request.auditDetail = { targetType: 'customer', after: request.body };
      return toCustomerProfile(updated, await dtoContext(request));
    },
  );

  app.get(
    '/api/customers/:id/timeline',
    { onRequest: read, schema: { tags: ['customers'], summary: 'Interaction timeline, newest first', params: IdParams, querystring: TimelineQuery, response: { 200: InteractionPage } } },
    async (request, reply) => {
      if (!(await app.customers.get(request.params.id))) return reply.notFound();
      return app.interactions.page(request.params.id, request.query);
    },
  );

  app.post(
    '/api/customers/:id/tags',
    { onRequest: tags, schema: { tags: ['customers'], summary: 'Add tags', params: IdParams, body: TagsBody, response: { 200: Type.Object({ added: Type.Array(Type.String()) }) } } },
    async (request, reply) => {
      const result = await app.customers.addTags(request.params.id, request.body.tags, { group: request.body.group, actorId: request.staff!.id });
      return result ?? reply.notFound();
    },
  );

  app.delete(
    '/api/customers/:id/tags',
    { onRequest: tags, schema: { tags: ['customers'], summary: 'Remove tags', params: IdParams, body: TagsBody, response: { 200: Type.Object({ removed: Type.Array(Type.String()) }) } } },
    async (request, reply) => {
      const result = await app.customers.removeTags(request.params.id, request.body.tags, { actorId: request.staff!.id });
      return result ?? reply.notFound();
    },
  );

  app.post(
    '/api/customers/bulk-tags',
    {
      onRequest: tags,
      schema: { tags: ['customers'], summary: 'Add or remove tags on every customer matching a filter', body: BulkTagsBody, response: { 200: Type.Object({ matched: Type.Integer() }) } },
    },
    async (request, reply) => {
      const { filter, add, remove } = request.body;
      if (!add?.length && !remove?.length) return reply.badRequest('give tags to add or remove');
      return app.customers.bulkTags(filter, { add, remove }, request.staff!.id);
    },
  );

  app.put(
    '/api/customers/:id/consent',
    { onRequest: write, schema: { tags: ['customers'], summary: 'Record marketing consent for a channel', params: IdParams, body: ConsentBody, response: { 200: CustomerProfile } } },
    async (request, reply) => {
      const updated = await app.customers.setConsent(request.params.id, request.body);
      if (!updated) return reply.notFound();
      return toCustomerProfile(updated, await dtoContext(request));
    },
  );

  app.post(
    '/api/customers/:id/merge',
    {
      onRequest: app.authorize('customers:merge'),
      schema: {
        tags: ['customers'],
        summary: 'Merge another record (sourceId) into this one, keeping every interaction, tag, note and identity',
        params: IdParams,
        body: MergeBody,
        response: { 200: CustomerProfile },
      },
    },
    async (request, reply) => {
      const merged = await app.customerMerge.merge(request.params.id, request.body.sourceId, request.staff!.id);
      if (!merged) return reply.notFound();
      request.auditDetail = { targetType: 'customer', detail: `merged ${request.body.sourceId}` };
      const customer = await app.customers.get(request.params.id);
      return toCustomerProfile(customer!, await dtoContext(request));
    },
  );
}
