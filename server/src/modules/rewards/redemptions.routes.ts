import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { RedemptionsPage, RedemptionsQuery, VerifiedCoupon, VerifyCouponBody } from './rewards.schemas.ts';

/** Redemptions for the console, and the till's coupon check. */
export async function redemptionsRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['rewards'];

  app.get(
    '/api/redemptions',
    {
      onRequest: app.authorize('loyalty:manage'),
      schema: { tags, summary: 'Redemptions, newest first, filtered by status, reward or customer', querystring: RedemptionsQuery, response: { 200: RedemptionsPage } },
    },
    async (request) => app.rewards.listRedemptions(request.query),
  );

  app.post(
    '/api/redemptions/verify',
    {
      // Store staff check coupons at the till, like member codes: the same permission as the scan.
      onRequest: app.authorize('loyalty:scan'),
      schema: { tags, summary: 'Mark a coupon used (once); 409 COUPON_ALREADY_USED or COUPON_EXPIRED', body: VerifyCouponBody, response: { 200: VerifiedCoupon } },
    },
    async (request) => {
      const coupon = await app.rewards.verifyCoupon({ code: request.body.code, staffId: request.staff!.id, now: new Date() });
      request.auditDetail = { targetType: 'coupon', targetId: String(coupon._id), detail: `redemption ${String(coupon.redemptionId)}` };
      return {
        id: String(coupon._id),
        customerId: String(coupon.customerId),
        rewardId: String(coupon.rewardId),
        rewardName: coupon.rewardName,
        pointsCost: coupon.pointsCost,
        status: 'used' as const,
        usedAt: (coupon.usedAt ?? new Date()).toISOString(),
      };
    },
  );
}
