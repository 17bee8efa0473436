import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMiniprogramKit, textOf, type MiniprogramKit } from './helpers/mp-kit.ts';

let kit: MiniprogramKit;
beforeAll(async () => {
  kit = await startMiniprogramKit();
});
afterAll(async () => {
  await kit?.shutdown();
});

const pointsRequests = () => kit.wx.callsTo('GET', '/api/mp/points');

describe('pages/points', () => {
  it('loads the next page on reaching the bottom until the end of the ledger', async () => {
    const customerId = await kit.newMember('ledger');
    for (let index = 1; index <= 45; index += 1) await kit.givePoints(customerId, index);
    const page = await kit.open('points');
    expect(page.data.rows).toHaveLength(20);
    expect(page.data.rows[0]).toMatchObject({ title: '测试发放', amountText: '+45', amountClass: 'amount-plus', note: `余额 ${(45 * 46) / 2}` });
    expect(textOf(page, '.load-more')).toBe('上拉加载更多');

    page.instance.onReachBottom?.();
    await kit.wx.settle();
    expect(page.data.rows).toHaveLength(40);

    page.instance.onReachBottom?.();
    await kit.wx.settle();
    expect(page.data.rows.map((row: { amountText: string }) => row.amountText).slice(-2)).toEqual(['+2', '+1']);
    expect(page.data.nextCursor).toBeNull();
    expect(textOf(page, '.load-more')).toBe('没有更多了');

    page.instance.onReachBottom?.();
    await kit.wx.settle();
    expect(pointsRequests()).toHaveLength(3);
    expect(new Set(page.data.rows.map((row: { id: string }) => row.id)).size).toBe(45);
    kit.close(page);
  });

  it('shows an empty ledger as such', async () => {
    await kit.newMember('noledger');
    const page = await kit.open('points');
    expect(page.data.status).toBe('empty');
    expect(textOf(page, '.page-state >>> .state__text')).toBe('还没有积分记录，签到或消费即可获得积分');
    kit.close(page);
  });
});
