import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { MpLoginBody, MpLoginReply } from '../../../../shared/src/mp-api.ts';

export async function sessionRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    '/api/mp/login',
    {
      schema: {
        tags: ['mini-program'],
        summary: 'Sign in with a wx.login code: finds or creates the customer and returns a consumer token',
        security: [],
        body: MpLoginBody,
        response: { 200: MpLoginReply },
      },
    },
    async (request) => app.mp.consumers.login(request.body.code),
  );
}
