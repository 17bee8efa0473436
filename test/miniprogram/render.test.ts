import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { PAGES, startMiniprogramKit, type MiniprogramKit, type PageName } from './helpers/mp-kit.ts';

let kit: MiniprogramKit;
let rewardId: string;
beforeAll(async () => {
  kit = await startMiniprogramKit();
  rewardId = await kit.newReward({ name: '帆布袋' });
});
afterAll(async () => {
  await kit?.shutdown();
});

// The simulator reports template and setData problems on the console rather than throwing.
let consoleProblems: MockInstance[] = [];
beforeEach(() => {
  consoleProblems = [vi.spyOn(console, 'error'), vi.spyOn(console, 'warn')];
});
afterEach(() => {
  for (const spy of consoleProblems) {
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
  }
});

const queryFor = (page: PageName): Record<string, string> => (page === 'reward-detail' ? { id: rewardId } : {});

/** What each page shows to someone who has not joined yet. */
const GUEST_STATUS: Record<PageName, string> = {
  card: 'ready',
  join: 'ready',
  checkin: 'empty',
  points: 'empty',
  rewards: 'ready',
  'reward-detail': 'ready',
  coupons: 'empty',
  me: 'ready',
};

describe('every page renders in miniprogram-simulate', () => {
  it.each(PAGES)('%s, for a member', async (name) => {
    await kit.newMember(`render-${name}`, { points: 500 });
    const page = await kit.open(name, queryFor(name));
    expect(page.data.status).not.toMatch(/loading|error/);
    expect(page.dom?.textContent?.trim()).not.toBe('');
    expect(kit.wx.requests.filter((call) => typeof call.status !== 'number' || call.status >= 400)).toEqual([]);
    kit.close(page);
  });

  it.each(PAGES)('%s, for a consumer who has not joined', async (name) => {
    kit.newConsumer(`guest-${name}`);
    const before = kit.wx.requests.length;
    const page = await kit.open(name, queryFor(name));
    expect(page.data.status).toBe(GUEST_STATUS[name]);
    expect(page.dom?.textContent?.trim()).not.toBe('');
    expect(kit.wx.requests.slice(before).filter((call) => typeof call.status !== 'number' || (call.status >= 400 && call.status !== 404))).toEqual([]);
    kit.close(page);
  });

  it('shows the join form to an invited guest on pages/join and a way to the card to a member', async () => {
    kit.newConsumer('invited');
    const guestView = await kit.open('join', { ref: 'ABCD23' });
    expect(guestView.data).toMatchObject({ isMember: false, referralCode: 'ABCD23' });
    expect(guestView.querySelector('.page-join')).toBeDefined();
    kit.close(guestView);

    await kit.newMember('already');
    const memberView = await kit.open('join', { ref: 'ABCD23' });
    expect(memberView.data.isMember).toBe(true);
    await kit.trigger(memberView, '.joined__card');
    expect(kit.wx.navigations.at(-1)).toBe('/pages/card/index');
    kit.close(memberView);
  });
});
