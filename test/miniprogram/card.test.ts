import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { encodeCode128 } from '../../miniprogram/utils/code128.ts';
import { formatCardNumber } from '../../miniprogram/utils/format-card-number.ts';
import { startMiniprogramKit, textOf, type MiniprogramKit } from './helpers/mp-kit.ts';

let kit: MiniprogramKit;
beforeAll(async () => {
  kit = await startMiniprogramKit();
});
afterAll(async () => {
  await kit?.shutdown();
});
afterEach(() => {
  vi.useRealTimers();
});

const codeRequests = () => kit.wx.callsTo('GET', '/api/mp/card/code');

describe('pages/card', () => {
  it('shows the card number in groups, the tier, the points, a member code image and a barcode', async () => {
    const customerId = await kit.newMember('card', { points: 120 });
    const { cardNumber } = (await kit.server.app.loyalty.getMember(customerId))!;

    const page = await kit.open('card');

    expect(textOf(page, '.member-card__number')).toBe(formatCardNumber(cardNumber));
    expect(textOf(page, '.member-card__number')).toMatch(/^\d{4} \d{4} \d+$/);
    expect(textOf(page, '.member-card__tier')).toBe('普通会员');
    expect(textOf(page, '.member-card__points >>> .points-badge__value')).toBe('120');
    expect(textOf(page, '.member-card__next')).toBe('再得 1000 积分升级为银卡');
    expect(page.data.qrDataUrl).toMatch(/^data:image\/png;base64,[A-Za-z0-9+/]+=*$/);
    expect(page.querySelector('.member-code__qr')).toBeDefined();
    expect(page.querySelector('.member-code__barcode')?.data).toMatchObject({ value: cardNumber, barCount: Math.ceil(encodeCode128(cardNumber).length / 2) });
    kit.close(page);
  });

  it('refreshes the member code every 60 seconds with a visible countdown, and not while hidden', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    await kit.newMember('code');
    const page = await kit.open('card');
    const first = page.data.qrDataUrl;
    expect(textOf(page, '.member-code__countdown')).toBe('60 秒后自动刷新 · 点击二维码立即刷新');

    vi.advanceTimersByTime(10_000);
    expect(textOf(page, '.member-code__countdown')).toMatch(/^50 秒后自动刷新/);
    expect(codeRequests()).toHaveLength(0);

    vi.advanceTimersByTime(50_000);
    await kit.wx.settle();
    expect(codeRequests().map((call) => call.status)).toEqual([200]);
    expect(page.data.qrDataUrl).not.toBe(first);
    expect(page.data.countdown).toBe(60);

    page.instance.onHide?.();
    vi.advanceTimersByTime(180_000);
    await kit.wx.settle();
    expect(codeRequests()).toHaveLength(1);

    page.instance.onShow?.();
    await kit.wx.settle();
    expect(codeRequests()).toHaveLength(2);
    vi.advanceTimersByTime(60_000);
    await kit.wx.settle();
    expect(codeRequests()).toHaveLength(3);

    kit.close(page);
    vi.advanceTimersByTime(120_000);
    await kit.wx.settle();
    expect(codeRequests()).toHaveLength(3);
  });

  it('joins with the phone number, the terms and a friend’s invite code, then shows the card', async () => {
    const inviterId = await kit.newMember('inviter');
    const { code } = await kit.server.app.rewards.referralSummary(inviterId);
    kit.newConsumer('invitee');
    const page = await kit.open('card', { ref: code });
    expect(page.data).toMatchObject({ status: 'ready', isMember: false, referralCode: code });

    await kit.trigger(page, '.page-join >>> .join__button', 'getphonenumber', { code: kit.server.wechat.phoneCode('13912345678') });
    expect(kit.wx.toasts.at(-1)).toBe('请先阅读并同意会员条款');
    await kit.trigger(page, '.page-join >>> .join__terms', 'change', { value: ['terms'] });
    await kit.trigger(page, '.page-join >>> .join__button', 'getphonenumber', { errMsg: 'getPhoneNumber:fail user deny' });
    expect(kit.wx.toasts.at(-1)).toBe('需要授权手机号才能入会');
    expect(kit.wx.callsTo('POST', '/api/mp/join')).toHaveLength(0);

    await kit.trigger(page, '.page-join >>> .join__button', 'getphonenumber', { code: kit.server.wechat.phoneCode('13912345678') });

    const [join] = kit.wx.callsTo('POST', '/api/mp/join');
    expect(join).toMatchObject({
      status: 200,
      body: { acceptTerms: true, termsVersion: 'terms-2026-01', marketingConsent: false, consentWordingVersion: 'marketing-2026-01', referralCode: code },
    });
    expect(kit.wx.toasts.at(-1)).toBe('入会成功，邀请奖励已到账');
    expect(page.data).toMatchObject({ status: 'ready', isMember: true });
    expect(textOf(page, '.member-card__number')).toMatch(/^\d{4} \d{4}/);
    expect((await kit.server.app.loyalty.getMember(inviterId))?.balance).toBe(100);
    const inviteeId = (join.reply as { customer: { id: string } }).customer.id;
    expect(await kit.server.app.mp.consumers.me(inviteeId)).toMatchObject({ isMember: true, phone: '139****5678', consent: { marketing: false } });
    kit.close(page);
  });
});
