import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMiniprogramKit, textOf, type MiniprogramKit, type PageName } from './helpers/mp-kit.ts';

let kit: MiniprogramKit;
beforeAll(async () => {
  kit = await startMiniprogramKit();
});
afterAll(async () => {
  await kit?.shutdown();
});

const NETWORK_MESSAGE = '网络不给力，请检查网络后重试';

/** Signs the page's consumer in up front, so the next failures hit the page's own reads. */
async function signedInMember(label: string): Promise<void> {
  await kit.newMember(label, { points: 200 });
  await kit.requireCompiled<{ login(): Promise<unknown> }>('services/session').login();
}

describe('pages when the network fails', () => {
  it.each<PageName>(['card', 'checkin', 'points', 'rewards', 'coupons', 'me'])('%s shows the error with a retry button that works', async (name) => {
    await signedInMember(`offline-${name}`);
    // The read and its automatic repeat both fail.
    kit.wx.dropNextRequests(2);
    const page = await kit.open(name);

    expect(page.data).toMatchObject({ status: 'error', errorMessage: NETWORK_MESSAGE });
    expect(textOf(page, '.page-state >>> .state__text')).toBe(NETWORK_MESSAGE);
    expect(textOf(page, '.page-state >>> .state__button')).toBe('重新加载');

    await kit.trigger(page, '.page-state >>> .state__button');

    expect(page.data.status).not.toMatch(/loading|error/);
    kit.close(page);
  });

  it('loads without the consumer noticing when only the first attempt fails', async () => {
    await signedInMember('blip');
    const before = kit.wx.callsTo('GET', '/api/mp/points').length;
    kit.wx.dropNextRequests(1);
    const page = await kit.open('points');
    expect(page.data.status).toBe('ready');
    expect(kit.wx.callsTo('GET', '/api/mp/points').slice(before).map((call) => call.status)).toEqual(['network-error', 200]);
    kit.close(page);
  });

  it('shows the error when signing in fails, and signs in on retry', async () => {
    kit.newConsumer('nologin');
    kit.wx.dropNextRequests(1);
    const page = await kit.open('me');
    expect(page.data).toMatchObject({ status: 'error', errorMessage: NETWORK_MESSAGE });

    await kit.trigger(page, '.page-state >>> .state__button');
    expect(page.data.status).toBe('ready');
    expect(kit.wx.callsTo('POST', '/api/mp/login').slice(-2).map((call) => call.status)).toEqual(['network-error', 200]);
    kit.close(page);
  });

  it('keeps the rows already loaded when the next page fails, and loads it on tap', async () => {
    const customerId = await kit.newMember('morefail');
    for (let index = 1; index <= 25; index += 1) await kit.givePoints(customerId, index);
    const page = await kit.open('points');
    expect(page.data.rows).toHaveLength(20);

    kit.wx.dropNextRequests(2);
    page.instance.onReachBottom?.();
    await kit.wx.settle();
    expect(page.data.rows).toHaveLength(20);
    expect(textOf(page, '.load-more')).toBe(`${NETWORK_MESSAGE}，点击重试`);

    await kit.trigger(page, '.load-more__retry');
    expect(page.data.rows).toHaveLength(25);
    expect(textOf(page, '.load-more')).toBe('没有更多了');
    kit.close(page);
  });
});
