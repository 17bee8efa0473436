import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { MpReferralReply } from '../../../shared/src/rewards-api.ts';
import { buildMpTestApp, joinedMember, loginConsumer, openid, type ConsumerSession, type MpTestApp } from '../mp/mp-app.ts';
import { available, newMember } from './helpers.ts';

describe('referrals (裂变)', () => {
  let kit: MpTestApp;
  beforeAll(async () => {
    kit = await buildMpTestApp();
  });
  afterAll(() => kit.close());

  const referral = async (session: ConsumerSession) => (await session.inject({ method: 'GET', url: '/api/mp/referral' })).json<MpReferralReply>();
  const joinWith = async (referralCode: string) => {
    const session = await loginConsumer(kit, { openid: openid('invitee') });
    const response = await session.inject({
      method: 'POST',
      url: '/api/mp/join',
      payload: { phoneCode: kit.wechat.phoneCode('13700000000'), acceptTerms: true, termsVersion: 'v1', referralCode },
    });
    expect(response.statusCode).toBe(200);
    return { session, referral: response.json().referral as string };
  };

  describe('GET /api/mp/referral', () => {
    it("gives a member a stable invite code, the join page's path and the points on offer", async () => {
      const inviter = await joinedMember(kit, 'inviter');
      const first = await referral(inviter);
      expect(first).toEqual({
        code: expect.stringMatching(/^[2-9A-HJKMNP-Z]{6}$/),
        path: `pages/join/index?ref=${first.code}`,
        invited: 0,
        inviterPoints: 100,
        inviteePoints: 50,
      });
      expect(await referral(inviter)).toEqual(first);
    });

    it('creates one code when the first requests race', async () => {
      const customerId = await newMember(kit.app);
      const codes = await Promise.all(Array.from({ length: 8 }, () => kit.app.rewards.referralCode(customerId)));
      expect(new Set(codes).size).toBe(1);
    });

    it('answers 404 NOT_A_MEMBER before joining', async () => {
      const guest = await loginConsumer(kit, { openid: openid('guest') });
      const response = await guest.inject({ method: 'GET', url: '/api/mp/referral' });
      expect(response.statusCode).toBe(404);
      expect(response.json().code).toBe('NOT_A_MEMBER');
    });
  });

  describe('joining with an invite code', () => {
    it('rewards both sides once and counts the invitation', async () => {
      const inviter = await joinedMember(kit, 'host');
      const { code } = await referral(inviter);
      const { session: invitee, referral: outcome } = await joinWith(code.toLowerCase());
      expect(outcome).toBe('applied');
      expect(await available(kit.app, inviter.customerId)).toBe(100);
      expect(await available(kit.app, invitee.customerId)).toBe(50);
      expect((await referral(inviter)).invited).toBe(1);

      const ledger = await kit.app.loyalty.ledger({ customerId: invitee.customerId, limit: 10 });
      expect(ledger.items).toEqual([expect.objectContaining({ kind: 'referral', amount: 50, idempotencyKey: `referral:invitee:${invitee.customerId}` })]);
      const timeline = await kit.app.interactions.page(inviter.customerId, { limit: 20 });
      expect(timeline.items).toContainEqual(expect.objectContaining({ type: 'points', data: expect.objectContaining({ event: 'referral_inviter', inviteeId: invitee.customerId }) }));

      // The same person cannot earn anyone a second reward, whoever's code it is.
      const other = await joinedMember(kit, 'other-host');
      for (const referralCode of [code, (await referral(other)).code]) {
        await expect(kit.app.rewards.applyReferral({ inviteeCustomerId: invitee.customerId, referralCode })).rejects.toMatchObject({ code: 'REFERRAL_REPEAT' });
      }
      expect(await available(kit.app, inviter.customerId)).toBe(100);
      expect(await available(kit.app, other.customerId)).toBe(0);
      expect(await available(kit.app, invitee.customerId)).toBe(50);
    });

    it('pays once when the same invitation is applied 5 times at once', async () => {
      const inviterId = await newMember(kit.app);
      const inviteeId = await newMember(kit.app);
      const referralCode = await kit.app.rewards.referralCode(inviterId);
      const results = await Promise.allSettled(Array.from({ length: 5 }, () => kit.app.rewards.applyReferral({ inviteeCustomerId: inviteeId, referralCode })));
      expect(results.filter((result) => result.status === 'fulfilled').length).toBeGreaterThanOrEqual(1);
      for (const result of results) if (result.status === 'rejected') expect(result.reason).toMatchObject({ code: 'REFERRAL_REPEAT' });
      expect(await available(kit.app, inviterId)).toBe(100);
      expect(await available(kit.app, inviteeId)).toBe(50);
    });

    it('refuses self-invitation (409 REFERRAL_SELF) and an unknown code (404), without points', async () => {
      const memberId = await newMember(kit.app);
      const own = await kit.app.rewards.referralCode(memberId);
      await expect(kit.app.rewards.applyReferral({ inviteeCustomerId: memberId, referralCode: own })).rejects.toMatchObject({ code: 'REFERRAL_SELF', statusCode: 409 });
      await expect(kit.app.rewards.applyReferral({ inviteeCustomerId: memberId, referralCode: 'ZZZZ99' })).rejects.toMatchObject({ code: 'REFERRAL_CODE_UNKNOWN', statusCode: 404 });
      expect(await available(kit.app, memberId)).toBe(0);

      const { session, referral: outcome } = await joinWith('NOSUCH99');
      expect(outcome).toBe('refused');
      expect(await kit.app.loyalty.getMember(session.customerId)).toMatchObject({ balance: 0 });
    });

    it('finishes an invitation a crash interrupted, paying each side once', async () => {
      const inviterId = await newMember(kit.app);
      const inviteeId = await newMember(kit.app);
      const referralCode = await kit.app.rewards.referralCode(inviterId);
      const postEntry = kit.app.loyalty.postEntry;
      // The inviter's points land, then the process dies before the invitee's.
      const spy = vi.spyOn(kit.app.loyalty, 'postEntry').mockImplementation(async (input) => {
        if (input.idempotencyKey.startsWith('referral:invitee:')) throw new Error('process died');
        return postEntry(input);
      });
      await expect(kit.app.rewards.applyReferral({ inviteeCustomerId: inviteeId, referralCode })).rejects.toThrow('process died');
      spy.mockRestore();
      expect(await available(kit.app, inviterId)).toBe(100);
      expect(await available(kit.app, inviteeId)).toBe(0);

      const report = await kit.app.rewards.reconcileRedemptions({ now: new Date(Date.now() + 10 * 60_000) });
      expect(report.referrals).toBe(1);
      expect(await available(kit.app, inviterId)).toBe(100);
      expect(await available(kit.app, inviteeId)).toBe(50);
      expect((await kit.app.rewards.referralSummary(inviterId)).invited).toBe(1);
    });
  });
});
