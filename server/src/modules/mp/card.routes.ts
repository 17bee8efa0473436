import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import QRCode from 'qrcode';
import { MpMemberCode } from '../../../../shared/src/mp-api.ts';
import { consumerIdOf } from './consumer-auth.ts';
import type { MemberCodes } from './member-code.service.ts';

export async function memberCodeReply(memberCodes: MemberCodes, customerId: string) {
  const { code, expiresAt } = memberCodes.issue(customerId);
  const qrDataUrl = await QRCode.toDataURL(code, { errorCorrectionLevel: 'M', margin: 1, scale: 6 });
  return { code, expiresAt: expiresAt.toISOString(), qrDataUrl };
}

export async function cardRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const consumer = app.authenticateConsumer;

  app.get(
    '/api/mp/card/code',
    {
      onRequest: consumer,
      schema: { tags: ['mini-program'], summary: 'A fresh dynamic member code (changes every minute)', security: [{ bearer: [] }], response: { 200: MpMemberCode } },
    },
    async (request) => memberCodeReply(app.mp.memberCodes, consumerIdOf(request)),
  );
}
