import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMiniprogramKit, textOf, type MiniprogramKit } from './helpers/mp-kit.ts';

let kit: MiniprogramKit;
beforeAll(async () => {
  kit = await startMiniprogramKit();
});
afterAll(async () => {
  await kit?.shutdown();
});

const consentCalls = () => kit.wx.callsTo('PUT', '/api/mp/me/consent');

describe('pages/me', () => {
  it('turns marketing messages on and off, and the server stores each choice with the wording version', async () => {
    const customerId = await kit.newMember('consent');
    const page = await kit.open('me');
    expect(page.data).toMatchObject({ status: 'ready', marketing: false });
    expect(textOf(page, '.me__phone')).toBe('138****8000');

    await kit.trigger(page, '.me__consent', 'change', { value: true });

    expect(consentCalls().map((call) => [call.body, call.status])).toEqual([[{ marketing: true, wordingVersion: 'marketing-2026-01' }, 200]]);
    expect(page.data.marketing).toBe(true);
    expect(page.data.consentNote).toMatch(/^开启于 \d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    expect((await kit.server.app.mp.consumers.me(customerId)).consent).toMatchObject({ marketing: true, wordingVersion: 'marketing-2026-01' });

    await kit.trigger(page, '.me__consent', 'change', { value: false });
    expect(page.data.marketing).toBe(false);
    expect((await kit.server.app.mp.consumers.me(customerId)).consent.marketing).toBe(false);
    kit.close(page);
  });

  it('puts the switch back and says so when the change could not be saved', async () => {
    const customerId = await kit.newMember('offline');
    const page = await kit.open('me');

    kit.wx.dropNextRequests(1);
    await kit.trigger(page, '.me__consent', 'change', { value: true });

    expect(consentCalls().at(-1)?.status).toBe('network-error');
    expect(page.data.marketing).toBe(false);
    expect(kit.wx.toasts.at(-1)).toBe('网络不给力，请检查网络后重试');
    expect((await kit.server.app.mp.consumers.me(customerId)).consent.marketing).toBe(false);
    kit.close(page);
  });

  it('invites friends with my referral code in the shared path', async () => {
    const customerId = await kit.newMember('sharer');
    const { code } = await kit.server.app.rewards.referralSummary(customerId);
    const page = await kit.open('me');

    expect(textOf(page, '.me__invite-value')).toBe(code);
    expect(textOf(page, '.me__invite-text')).toBe('好友通过你的邀请入会，你得 100 积分，好友得 50 积分');
    expect(page.instance.onShareAppMessage?.({ from: 'button' })).toEqual({ title: '送你一张会员卡，入会就领积分', path: `/pages/join/index?ref=${code}` });

    await kit.trigger(page, '.me__invite-code');
    expect(kit.wx.toasts.at(-1)).toBe(`copied ${code}`);
    kit.close(page);
  });

  it('offers joining instead of invitations to a consumer who is not a member', async () => {
    kit.newConsumer('visitor');
    const page = await kit.open('me');
    expect(page.data).toMatchObject({ status: 'ready', referral: null, profile: { nickname: '微信用户', isMember: false } });
    expect(page.querySelector('.me__invite')).toBeUndefined();
    await kit.trigger(page, '.me__join');
    expect(kit.wx.navigations.at(-1)).toBe('/pages/card/index');
    kit.close(page);
  });
});
