import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaff, seedMember, startConsole, type ConsoleHarness } from './console-harness.ts';

const reloadedWith = (page: Page, notice: string) => expect.poll(() => page.locator('.notice').textContent(), { timeout: 15_000 }).toBe(notice);
const fieldError = (page: Page, name: string) => page.locator(`#reward-form .field:has([name="${name}"]) .field-error`);
const IMAGE = 'https://img.example.invalid/cup.png';

describe('console rewards and redemptions', () => {
  let harness: ConsoleHarness;
  let operator: string;

  beforeAll(async () => {
    harness = await startConsole();
    operator = await createStaff(harness.app, 'operator', '李运营');
  });
  afterAll(() => harness.close());

  async function open(section: string): Promise<Page> {
    const page = await harness.signIn(operator);
    await page.getByRole('link', { name: section, exact: true }).click();
    await page.waitForURL((url) => url.pathname !== '/console/customers');
    return page;
  }

  it('adds a reward with an image preview and lists it', async () => {
    const page = await open('礼品');
    expect(await page.locator('.empty-title').textContent()).toBe('还没有礼品');
    await page.fill('#reward-form [name="name"]', '品牌保温杯');
    await page.fill('#reward-form [name="imageUrl"]', IMAGE);
    expect(await page.getAttribute('#reward-image-preview', 'src')).toBe(IMAGE);
    await page.fill('#reward-form [name="pointsCost"]', '200');
    await page.fill('#reward-form [name="stock"]', '10');
    await page.fill('#reward-form [name="perMemberLimit"]', '1');
    await page.selectOption('#reward-form [name="minTierCode"]', 'silver');
    await page.getByRole('button', { name: '保存礼品' }).click();
    await reloadedWith(page, '已保存。');

    const row = page.locator('.reward-row', { hasText: '品牌保温杯' });
    expect(await row.locator('[data-field="pointsCost"]').textContent()).toBe('200');
    expect(await row.locator('[data-field="stock"]').textContent()).toBe('10');
    expect(await row.locator('.thumb img').getAttribute('src')).toBe(IMAGE);
    expect(await row.textContent()).toContain('银卡');
    const { items } = await harness.app.rewards.listRewards({ limit: 10 });
    expect(items).toMatchObject([{ name: '品牌保温杯', imageUrl: IMAGE, pointsCost: 200, stock: 10, perMemberLimit: 1, minTierCode: 'silver', active: true, couponValidDays: 30 }]);
  });

  it('shows the catalog’s errors beside the fields', async () => {
    const page = await open('礼品');
    await page.fill('#reward-form [name="name"]', '无效礼品');
    await page.fill('#reward-form [name="imageUrl"]', 'http://insecure.example/cup.png');
    await page.fill('#reward-form [name="pointsCost"]', '100');
    await page.fill('#reward-form [name="stock"]', '5');
    await page.getByRole('button', { name: '保存礼品' }).click();
    await expect.poll(() => fieldError(page, 'imageUrl').textContent()).toBe('格式不正确');

    await page.fill('#reward-form [name="imageUrl"]', '');
    await page.fill('#reward-form [name="validFrom"]', '2030-02-01T10:00');
    await page.fill('#reward-form [name="validTo"]', '2030-01-01T10:00');
    await page.getByRole('button', { name: '保存礼品' }).click();
    await expect.poll(() => fieldError(page, 'validTo').textContent()).toBe('必须晚于开始时间');
    expect(await fieldError(page, 'imageUrl').count()).toBe(0);
    expect((await harness.app.rewards.listRewards({ limit: 10 })).items).toHaveLength(1);
  });

  it('edits a reward, moving its stock by a delta', async () => {
    const page = await open('礼品');
    await page.locator('.reward-row', { hasText: '品牌保温杯' }).getByRole('button', { name: '编辑' }).click();
    expect(await page.locator('#reward-form-title').textContent()).toBe('编辑礼品');
    expect(await page.locator('#reward-form [name="stock"]').isVisible()).toBe(false);
    expect(await page.locator('#reward-form [data-field="currentStock"]').textContent()).toBe('当前库存 10');
    expect(await page.inputValue('#reward-form [name="imageUrl"]')).toBe(IMAGE);
    await page.fill('#reward-form [name="addStock"]', '5');
    await page.fill('#reward-form [name="perMemberLimit"]', '');
    await page.getByRole('button', { name: '保存礼品' }).click();
    await reloadedWith(page, '已保存。');
    expect(await page.locator('.reward-row', { hasText: '品牌保温杯' }).locator('[data-field="stock"]').textContent()).toBe('15');
    const { items } = await harness.app.rewards.listRewards({ limit: 10 });
    expect(items[0]).toMatchObject({ stock: 15, perMemberLimit: null, imageUrl: IMAGE });
    await page.screenshot({ path: '/tmp/console-rewards.png', fullPage: true });
  });

  it('verifies a coupon once, then says it was used already', async () => {
    const { app } = harness;
    const { customerId } = await seedMember(app, { key: 'coupon-holder', name: '陈会员', points: 500 });
    const reward = await app.rewards.createReward({ name: '咖啡券', pointsCost: 100, stock: 5 });
    const { coupon } = await app.rewards.redeem({ customerId, rewardId: reward.id, idempotencyKey: 'e2e-coupon-1' });

    const page = await open('兑换核销');
    const row = page.locator('.redemption-row', { hasText: '咖啡券' });
    expect(await row.locator('[data-field="couponStatus"]').textContent()).toBe('未使用');
    expect(await row.getByRole('link', { name: '陈会员' }).getAttribute('href')).toBe(`/console/customers/${customerId}`);

    const section = page.locator('[data-section="verify"]');
    await page.fill('[name="code"]', coupon.codeDisplay);
    await page.getByRole('button', { name: '核销', exact: true }).click();
    await expect.poll(() => section.locator('.form-success').textContent()).toBe('核销成功：咖啡券（100 积分）');
    expect(await row.locator('[data-field="couponStatus"]').textContent()).toBe('已使用');
    expect(await page.inputValue('[name="code"]')).toBe('');

    await page.fill('[name="code"]', coupon.code);
    await page.getByRole('button', { name: '核销', exact: true }).click();
    await expect.poll(() => section.locator('.form-error').textContent()).toBe('这张券已经核销过了。');
    expect(await section.locator('.form-success').isVisible()).toBe(false);

    await page.fill('[name="code"]', 'ZZZZ ZZZZ ZZZZ');
    await page.getByRole('button', { name: '核销', exact: true }).click();
    await expect.poll(() => section.locator('.form-error').textContent()).toBe('没有这个券码。');

    await page.reload();
    expect(await row.locator('[data-field="couponStatus"]').textContent()).toBe('已使用');
    await page.screenshot({ path: '/tmp/console-redemptions.png', fullPage: true });
  });

  it('logged no script errors or CSP violations', () => {
    expect(harness.pageErrors).toEqual([]);
  });
});
