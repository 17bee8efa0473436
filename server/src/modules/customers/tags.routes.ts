import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { StrictObject } from '../../../../shared/src/schema.ts';
import { TagName } from './customer.schemas.ts';

const TagSchema = Type.Object({ name: Type.String(), group: Type.String(), customers: Type.Integer() });
const TagGroupName = Type.String({ minLength: 1, maxLength: 20 });

export async function tagRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/api/tags',
    { onRequest: app.authorize('customers:read'), schema: { tags: ['tags'], summary: 'The tag catalogue with groups and how many customers carry each tag', response: { 200: Type.Array(TagSchema) } } },
    async () => app.customers.tagCatalogue(),
  );

  app.put(
    '/api/tags',
    {
      onRequest: app.authorize('tags:write'),
      schema: { tags: ['tags'], summary: 'Create a tag or move it to another group', body: StrictObject({ name: TagName, group: TagGroupName }), response: { 200: Type.Object({ name: Type.String(), group: Type.String() }) } },
    },
    async (request) => app.customers.setTagGroup(request.body.name, request.body.group),
  );
}
