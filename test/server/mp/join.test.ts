import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DomainError } from '../../../server/src/lib/errors.ts';
import type { ReferralPort } from '../../../server/src/modules/mp/membership.service.ts';
import { buildMpTestApp, loginConsumer, openid, type ConsumerSession, type MpTestApp } from './mp-app.ts';

describe('POST /api/mp/join', () => {
  let kit: MpTestApp;
  let referrals: ReferralPort;

  beforeAll(async () => {
    kit = await buildMpTestApp();
    referrals = kit.app.getDecorator<ReferralPort>('rewards');
  });
  afterAll(() => kit.close());

  const join = (session: ConsumerSession, payload: Record<string, unknown>) => session.inject({ method: 'POST', url: '/api/mp/join', payload });
  const interactions = (customerId: string) => kit.app.interactions.page(customerId, { limit: 50 });

  it('joins with phone, terms and marketing consent: a member with a card, consent stored with time and wording', async () => {
    const session = await loginConsumer(kit, { openid: openid('join') });
    const response = await join(session, {
      phoneCode: kit.wechat.phoneCode('13912345678'),
      acceptTerms: true,
      termsVersion: 'terms-2026-01',
      marketingConsent: true,
      consentWordingVersion: 'mkt-2026-01',
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      customer: { id: session.customerId, nickname: null, isMember: true },
      cardNumber: expect.stringMatching(/^\d{9}$/),
      joinedAt: expect.any(String),
      created: true,
      referral: 'none',
    });

    const customer = await kit.app.customers.get(session.customerId);
    expect(customer).toMatchObject({ phone: '13912345678', layer: 'member' });
    expect(customer?.consents).toEqual([
      expect.objectContaining({ channel: 'mp', status: 'granted', method: 'mp-join', wordingVersion: 'mkt-2026-01', at: expect.any(Date) }),
    ]);
    const timeline = await interactions(session.customerId);
    expect(timeline.items).toContainEqual(expect.objectContaining({ summary: 'accepted member terms terms-2026-01' }));
    expect(await kit.app.loyalty.getMember(session.customerId)).toMatchObject({ cardNumber: response.json().cardNumber });

    const me = (await session.inject({ method: 'GET', url: '/api/mp/me' })).json();
    expect(me).toMatchObject({ isMember: true, phone: '139****5678', consent: { marketing: true, wordingVersion: 'mkt-2026-01' } });
  });

  it('joining again returns the same card with created: false', async () => {
    const session = await loginConsumer(kit, { openid: openid('twice') });
    const first = await join(session, { phoneCode: kit.wechat.phoneCode('13800000001'), acceptTerms: true, termsVersion: 'v1' });
    const second = await join(session, { phoneCode: kit.wechat.phoneCode('13800000001'), acceptTerms: true, termsVersion: 'v1' });
    expect(second.json()).toMatchObject({ cardNumber: first.json().cardNumber, created: false });
  });

  it.each([
    ['terms not accepted', { acceptTerms: false, termsVersion: 'v1' }],
    ['terms missing', { termsVersion: 'v1' }],
    ['terms version missing', { acceptTerms: true }],
    ['marketing consent without its wording version', { acceptTerms: true, termsVersion: 'v1', marketingConsent: true }],
    ['an unknown field', { acceptTerms: true, termsVersion: 'v1', layer: 'member' }],
    ['a phone number instead of a code', { acceptTerms: true, termsVersion: 'v1', phone: '13800000000' }],
  ])('refuses %s with 400 and stores nothing', async (_label, fields) => {
    const session = await loginConsumer(kit, { openid: openid('refused') });
    const phoneCode = kit.wechat.phoneCode('13800000002');
    const calls = kit.wechat.calls.getuserphonenumber;
    const response = await join(session, { phoneCode, ...fields });
    expect(response.statusCode).toBe(400);
    expect(kit.wechat.calls.getuserphonenumber).toBe(calls);
    const customer = await kit.app.customers.get(session.customerId);
    expect(customer).toMatchObject({ layer: 'guest', consents: [] });
    expect(customer?.phone).toBeUndefined();
    expect(await kit.app.loyalty.getMember(session.customerId)).toBeNull();
  });

  it.each([
    [40029, 400, 'WECHAT_CODE_INVALID'],
    [40163, 400, 'WECHAT_CODE_USED'],
    [45011, 429, 'WECHAT_RATE_LIMITED'],
    [-1, 502, 'WECHAT_UNAVAILABLE'],
  ])('maps a phone exchange errcode %i to %i %s and stores nothing', async (errcode, status, code) => {
    const session = await loginConsumer(kit, { openid: openid('phonefail') });
    const phoneCode = kit.wechat.codeFails(`phone-${openid()}`, errcode);
    const response = await join(session, { phoneCode, acceptTerms: true, termsVersion: 'v1', marketingConsent: true, consentWordingVersion: 'm1' });
    expect(response.statusCode).toBe(status);
    expect(response.json().code).toBe(code);
    const customer = await kit.app.customers.get(session.customerId);
    expect(customer?.phone).toBeUndefined();
    expect(customer?.consents).toEqual([]);
    expect(await kit.app.loyalty.getMember(session.customerId)).toBeNull();
  });

  it('passes a referral code to the rewards module on the first join only', async () => {
    const spy = vi.spyOn(referrals, 'applyReferral').mockResolvedValue({});
    const session = await loginConsumer(kit, { openid: openid('invitee') });
    const response = await join(session, { phoneCode: kit.wechat.phoneCode('13800000003'), acceptTerms: true, termsVersion: 'v1', referralCode: 'INVITE42' });
    expect(response.json().referral).toBe('applied');
    expect(spy).toHaveBeenCalledWith({ inviteeCustomerId: session.customerId, referralCode: 'INVITE42' });

    const again = await join(session, { phoneCode: kit.wechat.phoneCode('13800000003'), acceptTerms: true, termsVersion: 'v1', referralCode: 'INVITE42' });
    expect(again.json()).toMatchObject({ created: false, referral: 'none' });
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockRestore();
  });

  it('a refused referral code does not undo the join', async () => {
    const spy = vi.spyOn(referrals, 'applyReferral').mockRejectedValue(new DomainError('VALIDATION_FAILED', 'unknown referral code'));
    const session = await loginConsumer(kit, { openid: openid('badref') });
    const response = await join(session, { phoneCode: kit.wechat.phoneCode('13800000004'), acceptTerms: true, termsVersion: 'v1', referralCode: 'NOSUCH99' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ created: true, referral: 'refused' });
    expect(await kit.app.loyalty.getMember(session.customerId)).not.toBeNull();
    spy.mockRestore();
  });
});
