import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ScanBody, ScanPurchaseBody, ScanPurchaseReply, ScanReply } from './scan.schemas.ts';

/** Staff routes: the cashier scans the member code shown in the mini-program. */
export async function scanRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const scan = app.authorize('loyalty:scan');

  app.post(
    '/api/loyalty/scan',
    { onRequest: scan, schema: { tags: ['loyalty'], summary: 'Look up the member behind a scanned member code', body: ScanBody, response: { 200: ScanReply } } },
    async (request) => {
      const found = await app.mp.scan.lookup(request.body.code);
      request.auditDetail = { targetType: 'customer', targetId: found.customerId, detail: 'member code scanned' };
      return found;
    },
  );

  app.post(
    '/api/loyalty/scan/purchase',
    {
      onRequest: scan,
      schema: {
        tags: ['loyalty'],
        summary: 'Award purchase points to the member behind a scanned code; idempotent on the receipt number',
        body: ScanPurchaseBody,
        response: { 200: ScanPurchaseReply },
      },
    },
    async (request) => {
      const award = await app.mp.scan.purchase({ ...request.body, staffId: request.staff!.id });
      request.auditDetail = { targetType: 'customer', targetId: award.customerId, after: { receiptNo: award.receiptNo, amountCents: award.amountCents, points: award.points } };
      return award;
    },
  );
}
