import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import { MemberCardSchema } from '../../../../shared/src/loyalty.ts';
import { toLedgerEntryDto, toMemberCardDto } from './loyalty-dto.util.ts';
import {
  AdjustmentBody,
  AdjustmentResultSchema,
  CardParams,
  IdempotencyHeaders,
  LedgerQuery,
  MemberParams,
  MemberWithLedger,
  PurchaseAwardSchema,
  PurchaseBody,
  ReceiptParams,
  RefundResultSchema,
} from './loyalty.schemas.ts';

const iso = (date: Date | null) => date?.toISOString() ?? null;

/** Staff routes: the till and the console. The mini-program's own routes live in the mp module and call the same service. */
export async function loyaltyRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const scan = app.authorize('loyalty:scan');
  const manage = app.authorize('loyalty:manage');

  app.get(
    '/api/loyalty/members/:customerId',
    { onRequest: scan, schema: { tags: ['loyalty'], summary: 'Member card and a page of the points ledger', params: MemberParams, querystring: LedgerQuery, response: { 200: MemberWithLedger } } },
    async (request, reply) => {
      const { customerId } = request.params;
      const member = await app.loyalty.getMember(customerId);
      if (!member) return reply.notFound(`customer ${customerId} is not a member`);
      const ledger = await app.loyalty.ledger({ customerId, ...request.query });
      return { member: toMemberCardDto(member), ledger: { items: ledger.items.map(toLedgerEntryDto), nextCursor: ledger.nextCursor } };
    },
  );

  app.get(
    '/api/loyalty/members/by-card/:cardNumber',
    { onRequest: scan, schema: { tags: ['loyalty'], summary: 'Find a member by card number (spaces allowed)', params: CardParams, response: { 200: MemberCardSchema } } },
    async (request, reply) => {
      const member = await app.loyalty.findMemberByCardNumber(request.params.cardNumber);
      return member ? toMemberCardDto(member) : reply.notFound('no member with this card number');
    },
  );

  app.post(
    '/api/loyalty/members/:customerId/purchases',
    {
      onRequest: scan,
      schema: { tags: ['loyalty'], summary: 'Award purchase points (idempotent on the receipt number)', params: MemberParams, body: PurchaseBody, response: { 200: PurchaseAwardSchema, 201: PurchaseAwardSchema } },
    },
    async (request, reply) => {
      const award = await app.loyalty.awardPurchase({ customerId: request.params.customerId, ...request.body, staffId: request.staff!.id });
      request.auditDetail = { targetType: 'member', targetId: request.params.customerId, after: { ...request.body, points: award.points } };
      return reply.code(award.created ? 201 : 200).send({ ...award, frozenUntil: iso(award.frozenUntil) });
    },
  );

  app.post(
    '/api/loyalty/purchases/:receiptNo/refund',
    { onRequest: manage, schema: { tags: ['loyalty'], summary: 'Void the points a receipt earned', params: ReceiptParams, response: { 200: RefundResultSchema } } },
    async (request, reply) => {
      const refund = await app.loyalty.refundPurchase({ receiptNo: request.params.receiptNo, staffId: request.staff!.id });
      if (!refund) return reply.notFound(`no points were awarded for receipt ${request.params.receiptNo}`);
      request.auditDetail = { targetType: 'member', targetId: refund.customerId, after: refund };
      return refund;
    },
  );

  app.post(
    '/api/loyalty/members/:customerId/adjustments',
    {
      onRequest: manage,
      schema: {
        tags: ['loyalty'],
        summary: 'Add or remove points by hand; a reason is required and the change is audited',
        params: MemberParams,
        headers: IdempotencyHeaders,
        body: AdjustmentBody,
        response: { 201: AdjustmentResultSchema },
      },
    },
    async (request, reply) => {
      const { customerId } = request.params;
      const key = request.headers['idempotency-key'] ?? randomUUID();
      const entry = await app.loyalty.postEntry({
        customerId,
        amount: request.body.amount,
        kind: 'adjust',
        reason: request.body.reason,
        idempotencyKey: `adjust:${customerId}:${key}`,
        meta: { staffId: request.staff!.id },
      });
      request.auditDetail = { targetType: 'member', targetId: customerId, after: { ...request.body, balanceAfter: entry.balanceAfter } };
      return reply.code(201).send({ entry: toLedgerEntryDto(entry) });
    },
  );
}
