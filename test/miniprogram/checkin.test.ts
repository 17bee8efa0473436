import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { CHECKIN_REMINDER_TEMPLATE_ID } from '../../miniprogram/config.ts';
import { startMiniprogramKit, textOf, type MiniprogramKit, type RenderedPage } from './helpers/mp-kit.ts';

let kit: MiniprogramKit;
beforeAll(async () => {
  kit = await startMiniprogramKit();
});
afterAll(async () => {
  await kit?.shutdown();
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

const tap = (page: RenderedPage, selector: string) => kit.trigger(page, selector);

describe('pages/checkin', () => {
  it('checks in on 签到: the API is called, the streak and reward show, then 已签到', async () => {
    await kit.newMember('checkin');
    const page = await kit.open('checkin');
    expect(page.data).toMatchObject({ status: 'ready', checkedInToday: false, streak: 0, todayPoints: 5 });
    expect(textOf(page, '.checkin__button')).toBe('签到');

    await tap(page, '.checkin__button');

    expect(kit.wx.callsTo('POST', '/api/mp/checkins').map((call) => call.status)).toEqual([200]);
    expect(page.data.result).toEqual({ points: 5, streak: 1, bonus: false, nextPoints: 5 });
    expect(textOf(page, '.checkin-success__points')).toBe('+5 积分');
    expect(textOf(page, '.checkin__streak')).toBe('已连续签到 1 天');
    expect(textOf(page, '.checkin__button')).toBe('已签到');
    expect(page.data.successAnimation).toHaveProperty('actions');
    expect(page.querySelectorAll('.calendar__cell--checked')).toHaveLength(1);

    await tap(page, '.checkin-success');
    await tap(page, '.checkin__button');
    expect(kit.wx.callsTo('POST', '/api/mp/checkins')).toHaveLength(1);
    expect(kit.wx.toasts.at(-1)).toBe('今天已经签到过了');
    expect(textOf(page, '.checkin__button')).toBe('已签到');
    kit.close(page);
  });

  it('asks for the check-in reminder within the tap and records the accept with the server', async () => {
    const customerId = await kit.newMember('subscriber');
    const page = await kit.open('checkin');
    kit.wx.answerSubscriptions({ success: { errMsg: 'requestSubscribeMessage:ok', [CHECKIN_REMINDER_TEMPLATE_ID]: 'accept' } });

    await tap(page, '.checkin__button');

    expect(kit.wx.subscribeRequests.at(-1)).toEqual({ tmplIds: [CHECKIN_REMINDER_TEMPLATE_ID], duringGesture: true });
    expect(kit.wx.callsTo('POST', '/api/mp/subscriptions').at(-1)).toMatchObject({ body: { results: { [CHECKIN_REMINDER_TEMPLATE_ID]: 'accept' } }, status: 200 });
    expect(await kit.server.app.mp.subscriptions.availableGrants(customerId)).toEqual({ [CHECKIN_REMINDER_TEMPLATE_ID]: 1 });
    expect(textOf(page, '.checkin-success__points')).toBe('+5 积分');
    kit.close(page);
  });

  it('still shows the check-in success when the subscribe panel fails, and records nothing', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const customerId = await kit.newMember('nopanel');
    const page = await kit.open('checkin');
    const recorded = kit.wx.callsTo('POST', '/api/mp/subscriptions').length;
    const failure = 'requestSubscribeMessage:fail No template data return, verify the template id exist';
    kit.wx.answerSubscriptions({ fail: failure });

    await tap(page, '.checkin__button');

    expect(kit.wx.callsTo('POST', '/api/mp/checkins').at(-1)?.status).toBe(200);
    expect(textOf(page, '.checkin-success__title')).toBe('签到成功');
    expect(textOf(page, '.checkin__button')).toBe('已签到');
    expect(page.data.checkingIn).toBe(false);
    expect(kit.wx.toasts.filter((text) => text.includes('subscribe') || text.includes('订阅'))).toEqual([]);
    expect(kit.wx.callsTo('POST', '/api/mp/subscriptions')).toHaveLength(recorded);
    expect(await kit.server.app.mp.subscriptions.availableGrants(customerId)).toEqual({});
    expect(kit.wx.subscribeRequests.at(-1)?.duringGesture).toBe(true);
    expect(warn).toHaveBeenCalledWith('subscribe-message grants not recorded', { errMsg: failure });
    kit.close(page);
  });

  it('still checks in on a WeChat without wx.requestSubscribeMessage', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const wxObject = (globalThis as unknown as { wx: { requestSubscribeMessage?: unknown } }).wx;
    const original = wxObject.requestSubscribeMessage;
    wxObject.requestSubscribeMessage = undefined;
    try {
      await kit.newMember('oldwechat');
      const page = await kit.open('checkin');
      await tap(page, '.checkin__button');
      expect(textOf(page, '.checkin-success__title')).toBe('签到成功');
      kit.close(page);
    } finally {
      wxObject.requestSubscribeMessage = original;
    }
  });

  it('shows 已签到 when the server says today is already done (checked in on another phone)', async () => {
    await kit.newMember('twophones');
    const page = await kit.open('checkin');
    const other = kit.open('checkin');
    await tap(await other, '.checkin__button');

    await tap(page, '.checkin__button');

    expect(kit.wx.callsTo('POST', '/api/mp/checkins').at(-1)?.status).toBe(409);
    expect(kit.wx.toasts.at(-1)).toBe('今天已经签到过了');
    expect(textOf(page, '.checkin__button')).toBe('已签到');
    kit.close(page);
    kit.close(await other);
  });

  it('makes up a missed day after confirming its cost, and not when the consumer cancels', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-11-25T04:00:00Z') });
    const customerId = await kit.newMember('makeup');
    await kit.givePoints(customerId, 100);
    const page = await kit.open('checkin');
    expect(page.data).toMatchObject({ month: '2026-11', monthTitle: '2026年11月', makeupCost: 20, makeupLeft: 2 });
    const missed = () => page.querySelectorAll('.calendar__cell--missed');
    const day20 = () => missed().find((cell) => cell.dom?.textContent?.startsWith('20'));
    expect(missed()).toHaveLength(24);

    kit.wx.answerModals(false);
    day20()?.dispatchEvent('tap');
    await kit.wx.settle();
    expect(kit.wx.modals.at(-1)).toEqual({ title: '补签', content: '补签11月20日需消耗 20 积分，本月还可补签 2 次。' });
    expect(kit.wx.callsTo('POST', '/api/mp/checkins/makeup')).toHaveLength(0);

    day20()?.dispatchEvent('tap');
    await kit.wx.settle();
    expect(kit.wx.callsTo('POST', '/api/mp/checkins/makeup').map((call) => [call.body, call.status])).toEqual([[{ day: '2026-11-20' }, 200]]);
    expect(page.querySelectorAll('.calendar__cell--makeup').map((cell) => cell.dom?.textContent)).toEqual(['20补']);
    expect(page.data.makeupLeft).toBe(1);
    expect((await kit.server.app.loyalty.getMember(customerId))?.balance).toBe(80);
    kit.close(page);
  });

  it('invites a consumer who has not joined to join instead of showing a calendar', async () => {
    kit.newConsumer('guest');
    const page = await kit.open('checkin');
    expect(page.data).toMatchObject({ status: 'empty', actionText: '去入会' });
    await tap(page, '.page-state >>> .state__button');
    expect(kit.wx.navigations.at(-1)).toBe('/pages/card/index');
    kit.close(page);
  });
});
