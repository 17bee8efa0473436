import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { COUPON_EXPIRY_TEMPLATE_ID } from '../../miniprogram/config.ts';
import { startMiniprogramKit, textOf, type MiniprogramKit } from './helpers/mp-kit.ts';

let kit: MiniprogramKit;
beforeAll(async () => {
  kit = await startMiniprogramKit();
});
afterAll(async () => {
  await kit?.shutdown();
});
afterEach(() => {
  vi.restoreAllMocks();
});

interface Row {
  id: string;
  label: string;
  canRedeem: boolean;
}

describe('pages/rewards', () => {
  it('lists rewards with what I can redeem and why not', async () => {
    await kit.newMember('browser', { points: 150 });
    const ids = {
      affordable: await kit.newReward({ name: '帆布袋', pointsCost: 100 }),
      expensive: await kit.newReward({ name: '保温杯', pointsCost: 1000 }),
      soldOut: await kit.newReward({ name: '限量徽章', pointsCost: 50, stock: 0 }),
      goldOnly: await kit.newReward({ name: '金卡礼盒', pointsCost: 50, minTierCode: 'gold' }),
    };
    const page = await kit.open('rewards');
    const label = (id: string) => (page.data.rows as Row[]).find((row) => row.id === id);

    expect(textOf(page, '.rewards__header >>> .points-badge__value')).toBe('150');
    expect(label(ids.affordable)).toMatchObject({ canRedeem: true, label: '立即兑换' });
    expect(label(ids.expensive)).toMatchObject({ canRedeem: false, label: '积分不足' });
    expect(label(ids.soldOut)).toMatchObject({ canRedeem: false, label: '已兑完' });
    expect(label(ids.goldOnly)).toMatchObject({ canRedeem: false, label: '金卡及以上可兑' });

    await kit.trigger(page, '.reward');
    expect(kit.wx.navigations.at(-1)).toMatch(/^\/pages\/reward-detail\/index\?id=[a-f0-9]{24}$/);
    kit.close(page);
  });
});

describe('pages/reward-detail', () => {
  it('redeems after confirmation, and the coupon appears under 我的券', async () => {
    const customerId = await kit.newMember('redeemer', { points: 150 });
    const rewardId = await kit.newReward({ name: '咖啡券', pointsCost: 100 });
    const page = await kit.open('reward-detail', { id: rewardId });
    const redeems = () => kit.wx.callsTo('POST', `/api/mp/rewards/${rewardId}/redeem`);
    expect(textOf(page, '.detail__redeem')).toBe('兑换（100 积分）');

    kit.wx.answerModals(false);
    await kit.trigger(page, '.detail__redeem');
    expect(kit.wx.modals.at(-1)).toEqual({ title: '确认兑换', content: '使用 100 积分兑换「咖啡券」？兑换成功后积分不退还。' });
    expect(redeems()).toHaveLength(0);
    const asked = kit.wx.subscribeRequests.length;

    await kit.trigger(page, '.detail__redeem');
    expect(redeems().map((call) => call.status)).toEqual([200]);
    expect(kit.wx.subscribeRequests.slice(asked)).toEqual([{ tmplIds: [COUPON_EXPIRY_TEMPLATE_ID], duringGesture: true }]);
    expect(textOf(page, '.detail__coupon-title')).toBe('兑换成功');
    const code = textOf(page, '.detail__coupon-code');
    expect(code).toMatch(/^[A-Z0-9]{4}( [A-Z0-9]{4})+$/);
    expect((await kit.server.app.loyalty.getMember(customerId))?.available).toBe(50);
    expect(textOf(page, '.detail__redeem')).toBe('积分不足');

    await kit.trigger(page, '.detail__coupons-link');
    expect(kit.wx.navigations.at(-1)).toBe('/pages/coupons/index?status=issued');
    const coupons = await kit.open('coupons', { status: 'issued' });
    expect(coupons.data.rows).toEqual([expect.objectContaining({ name: '咖啡券', code })]);
    kit.close(page);
    kit.close(coupons);
  });

  it('asks for the coupon expiry reminder from the confirm tap and records the accept with the server', async () => {
    const customerId = await kit.newMember('reminded', { points: 150 });
    const rewardId = await kit.newReward({ name: '奶茶券', pointsCost: 100 });
    const page = await kit.open('reward-detail', { id: rewardId });
    kit.wx.answerSubscriptions({ success: { errMsg: 'requestSubscribeMessage:ok', [COUPON_EXPIRY_TEMPLATE_ID]: 'accept' } });

    await kit.trigger(page, '.detail__redeem');

    expect(kit.wx.subscribeRequests.at(-1)).toEqual({ tmplIds: [COUPON_EXPIRY_TEMPLATE_ID], duringGesture: true });
    expect(kit.wx.callsTo('POST', '/api/mp/subscriptions').at(-1)).toMatchObject({ body: { results: { [COUPON_EXPIRY_TEMPLATE_ID]: 'accept' } }, status: 200 });
    const listed = await kit.server.app.mp.subscriptions.list(customerId);
    expect(listed).toEqual([expect.objectContaining({ templateId: COUPON_EXPIRY_TEMPLATE_ID, available: 1, lastResult: 'accept' })]);
    expect(textOf(page, '.detail__coupon-title')).toBe('兑换成功');
    kit.close(page);
  });

  it('still shows the coupon when the subscribe panel fails', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const customerId = await kit.newMember('unreminded', { points: 150 });
    const rewardId = await kit.newReward({ name: '面包券', pointsCost: 100 });
    const page = await kit.open('reward-detail', { id: rewardId });
    const recorded = kit.wx.callsTo('POST', '/api/mp/subscriptions').length;
    kit.wx.answerSubscriptions({ fail: 'requestSubscribeMessage:fail cancel' });

    await kit.trigger(page, '.detail__redeem');

    expect(kit.wx.callsTo('POST', `/api/mp/rewards/${rewardId}/redeem`).map((call) => call.status)).toEqual([200]);
    expect(textOf(page, '.detail__coupon-title')).toBe('兑换成功');
    expect(kit.wx.toasts.at(-1)).toBe('兑换成功');
    expect(page.data.redeemError).toBe('');
    expect(kit.wx.callsTo('POST', '/api/mp/subscriptions')).toHaveLength(recorded);
    expect(await kit.server.app.mp.subscriptions.list(customerId)).toEqual([]);
    expect(warn).toHaveBeenCalledOnce();
    kit.close(page);
  });

  it('retries a redemption whose answer was lost with the same idempotency key and is charged once', async () => {
    const customerId = await kit.newMember('retrier', { points: 300 });
    const rewardId = await kit.newReward({ name: '蛋糕券', pointsCost: 100 });
    const page = await kit.open('reward-detail', { id: rewardId });
    const redeems = () => kit.wx.callsTo('POST', `/api/mp/rewards/${rewardId}/redeem`);

    kit.wx.loseNextResponses(1, `/api/mp/rewards/${rewardId}/redeem`);
    await kit.trigger(page, '.detail__redeem');
    expect(redeems().map((call) => call.status)).toEqual(['response-lost']);
    expect(textOf(page, '.detail__error-text')).toBe('网络异常，兑换结果未知。请点击重试，不会重复扣积分');
    expect(page.data.coupon).toBeNull();

    await kit.trigger(page, '.detail__retry');

    const [lost, retried] = redeems();
    expect(retried.status).toBe(200);
    expect(retried.body).toEqual(lost.body);
    expect(page.data.redeemError).toBe('');
    expect(textOf(page, '.detail__coupon-title')).toBe('兑换成功');
    expect((await kit.server.app.loyalty.getMember(customerId))?.available).toBe(200);
    kit.close(page);

    const coupons = await kit.open('coupons');
    expect(coupons.data.rows).toHaveLength(1);
    kit.close(coupons);
  });
});

describe('pages/coupons', () => {
  it('shows my coupons by status tab', async () => {
    await kit.newMember('holder', { points: 500 });
    const rewardId = await kit.newReward({ name: '甜品券', pointsCost: 100 });
    const page = await kit.open('reward-detail', { id: rewardId });
    await kit.trigger(page, '.detail__redeem');
    kit.close(page);

    const coupons = await kit.open('coupons');
    expect(coupons.data).toMatchObject({ active: 'issued', status: 'ready' });
    expect(coupons.data.rows).toEqual([expect.objectContaining({ name: '甜品券', note: expect.stringMatching(/^有效期至 \d{4}-\d{2}-\d{2}$/) })]);

    const tabs = coupons.querySelectorAll('.weui-tab');
    expect(tabs.map((tab) => tab.dom?.textContent)).toEqual(['未使用', '已使用', '已过期']);
    tabs[1].dispatchEvent('tap');
    await kit.wx.settle();
    expect(coupons.data).toMatchObject({ active: 'used', status: 'empty', emptyText: '还没有使用过的券' });
    expect(kit.wx.callsTo('GET', '/api/mp/coupons').at(-1)?.status).toBe(200);
    kit.close(coupons);
  });
});
