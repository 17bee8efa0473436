import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { IdParams } from './bots.schemas.ts';
import { ConversationList, ConversationListQuery, ConversationSchema, MessagePage, MessageSchema, MessagesQuery, SendMessageBody } from './conversations.schemas.ts';
import { toMessageDto } from './conversation-dto.util.ts';

export async function conversationsRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const onRequest = app.authorize('chats:work');
  const tags = ['conversations'];

  app.get(
    '/api/conversations',
    { onRequest, schema: { tags, summary: 'Conversations, latest message first', querystring: ConversationListQuery, response: { 200: ConversationList } } },
    async (request) => app.conversations.list(request.query),
  );

  app.get(
    '/api/conversations/:id',
    { onRequest, schema: { tags, summary: 'One conversation', params: IdParams, response: { 200: ConversationSchema } } },
    async (request, reply) => (await app.conversations.get(request.params.id)) ?? reply.notFound(),
  );

  app.get(
    '/api/conversations/:id/messages',
    { onRequest, schema: { tags, summary: 'Messages by seq: the latest page, a page before `beforeSeq`, or those after `afterSeq`', params: IdParams, querystring: MessagesQuery, response: { 200: MessagePage } } },
    async (request, reply) => {
      if (!(await app.conversations.get(request.params.id))) return reply.notFound();
      return app.conversations.messages(request.params.id, request.query);
    },
  );

  app.post(
    '/api/conversations/:id/messages',
    { onRequest, schema: { tags, summary: 'Reply as the brand: queued, then sent by the bot (status follows its ack)', params: IdParams, body: SendMessageBody, response: { 202: MessageSchema } } },
    async (request, reply) => {
      const sent = await app.conversations.send(request.params.id, { content: { type: 'text', text: request.body.text }, purpose: 'reply', staffId: request.staff!.id });
      if (!sent) return reply.notFound();
      request.auditDetail = { targetType: 'conversation', detail: `message ${String(sent.message._id)}` };
      return reply.code(202).send(toMessageDto(sent.message));
    },
  );

  app.post(
    '/api/conversations/:id/read',
    { onRequest, schema: { tags, summary: 'Mark the conversation read', params: IdParams, response: { 200: ConversationSchema } } },
    async (request, reply) => (await app.conversations.markRead(request.params.id)) ?? reply.notFound(),
  );
}
