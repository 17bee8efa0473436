import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaff, seedMember, startConsole, type ConsoleHarness } from './console-harness.ts';

const reloadedWith = (page: Page, notice: string) => expect.poll(() => page.locator('.notice').textContent(), { timeout: 15_000 }).toBe(notice);
const fieldError = (page: Page, selector: string) => page.locator(`.field:has(${selector}) .field-error, td:has(${selector}) .field-error`);

describe('console loyalty pages', () => {
  let harness: ConsoleHarness;
  let operator: string;
  let member: { customerId: string; cardNumber: string };

  beforeAll(async () => {
    harness = await startConsole();
    operator = await createStaff(harness.app, 'operator', '李运营');
    member = await seedMember(harness.app, { key: 'member-wang', name: '王小明', points: 300 });
  });
  afterAll(() => harness.close());

  async function open(section: string): Promise<Page> {
    const page = await harness.signIn(operator);
    await page.getByRole('link', { name: section, exact: true }).click();
    await page.waitForURL((url) => url.pathname !== '/console/customers');
    return page;
  }

  describe('settings', () => {
    it('shows the rules with the check-in cycle as a chart, and saves changes', async () => {
      const page = await open('会员设置');
      expect(await page.title()).toBe('会员设置 · 私域');
      expect(await page.inputValue('[name="checkinCycle"]')).toBe('5, 5, 10, 5, 5, 10, 30');
      expect(await page.locator('.column-value').allTextContents()).toEqual(['5', '5', '10', '5', '5', '10', '30']);
      expect(await page.locator('.tier-row').count()).toBe(4);

      await page.fill('[name="checkinCycle"]', '5, 5, 5, 5, 5, 5, 50');
      await page.fill('[name="makeupCost"]', '30');
      await page.fill('[name="expiryMonths"]', '24');
      await page.getByRole('button', { name: '保存设置' }).click();
      await reloadedWith(page, '已保存。');
      expect(await page.locator('.column-value').allTextContents()).toEqual(['5', '5', '5', '5', '5', '5', '50']);
      expect(await page.locator('.column-item.bonus').getAttribute('data-day')).toBe('7');
      expect(await harness.app.loyalty.getSettings()).toMatchObject({ checkinCycle: [5, 5, 5, 5, 5, 5, 50], makeupCost: 30, expiryMonths: 24 });
      await page.screenshot({ path: '/tmp/console-loyalty-settings.png', fullPage: true });
    });

    it('shows validation errors beside the fields and saves nothing', async () => {
      const page = await open('会员设置');
      await page.fill('[name="makeupPerMonth"]', '40');
      await page.locator('.tier-row').nth(2).locator('[data-tier-field="threshold"]').fill('500');
      await page.getByRole('button', { name: '保存设置' }).click();
      await expect.poll(() => fieldError(page, '[name="makeupPerMonth"]').textContent()).toBe('不能大于 31');
      expect(await page.locator('.save-bar .form-error').textContent()).toBe('请修正标出的字段后重试。');

      await page.fill('[name="makeupPerMonth"]', '2');
      await page.getByRole('button', { name: '保存设置' }).click();
      const threshold = page.locator('.tier-row').nth(2).locator('[data-tier-field="threshold"]');
      await expect.poll(() => page.locator('.tier-row').nth(2).locator('.field-error').textContent()).toBe('门槛必须逐级递增');
      expect(await threshold.getAttribute('aria-invalid')).toBe('true');
      expect((await harness.app.loyalty.getSettings()).tiers[2].threshold).toBe(5000);
    });

    it('adds and removes tier rows, keeping error paths in step with the rows', async () => {
      const page = await open('会员设置');
      await page.getByRole('button', { name: '+ 添加等级' }).click();
      const added = page.locator('.tier-row').nth(4);
      await added.locator('[data-tier-field="code"]').fill('black');
      await added.locator('[data-tier-field="name"]').fill('黑卡');
      await added.locator('[data-tier-field="threshold"]').fill('50000');
      await added.locator('[data-tier-field="multiplier"]').fill('2.5');
      await page.locator('.tier-row').nth(1).getByRole('button', { name: '删除' }).click();
      expect(await page.locator('.tier-row').nth(3).locator('[data-tier-field="code"]').getAttribute('data-path')).toBe('/tiers/3/code');
      await page.getByRole('button', { name: '保存设置' }).click();
      await reloadedWith(page, '已保存。');
      expect((await harness.app.loyalty.getSettings()).tiers.map((tier) => tier.code)).toEqual(['regular', 'gold', 'diamond', 'black']);
    });
  });

  describe('members', () => {
    it('finds a member by card number and shows the card and ledger', async () => {
      const page = await open('会员');
      expect(await page.locator('[name="lookup"]').evaluate((input) => input === document.activeElement)).toBe(true);
      const spaced = `${member.cardNumber.slice(0, 4)} ${member.cardNumber.slice(4, 8)} ${member.cardNumber.slice(8)}`;
      await page.fill('[name="lookup"]', spaced);
      await page.keyboard.press('Enter');
      await page.waitForURL(`**/console/loyalty/members/${member.customerId}`);
      expect(await page.locator('.member-name').textContent()).toBe('王小明');
      expect(await page.locator('[data-field="cardNumber"]').textContent()).toBe(spaced);
      expect(await page.locator('.member-card [data-field="balance"]').textContent()).toBe('300');
      expect(await page.locator('.member-card [data-field="tier"]').textContent()).toBe('普通会员');
      expect(await page.locator('.ledger-row [data-field="reason"]').allTextContents()).toEqual(['开卡礼']);
    });

    it('says so when no member has the card number, or it is not one', async () => {
      const page = await open('会员');
      const error = page.locator('[data-section="lookup"] .form-error');
      await page.fill('[name="lookup"]', '1234 5678 9');
      await page.getByRole('button', { name: '查找' }).click();
      await expect.poll(() => error.textContent()).toBe('没有找到这个卡号的会员。');
      await page.fill('[name="lookup"]', '123');
      await page.getByRole('button', { name: '查找' }).click();
      await expect.poll(() => error.textContent()).toBe('卡号格式不正确：应为 9 位数字。');
    });

    it('finds a member by the code a scanner types, and refuses an expired one', async () => {
      const page = await open('会员');
      const expired = harness.app.mp.memberCodes.issue(member.customerId, new Date(Date.now() - 10 * 60_000)).code;
      await page.fill('[name="lookup"]', expired);
      await page.keyboard.press('Enter');
      await expect.poll(() => page.locator('[data-section="lookup"] .form-error').textContent()).toBe('会员码已过期，请让会员刷新会员卡后重新扫码。');
      await page.fill('[name="lookup"]', harness.app.mp.memberCodes.issue(member.customerId).code);
      await page.keyboard.press('Enter');
      await page.waitForURL(`**/console/loyalty/members/${member.customerId}`);
    });

    it('awards purchase points once per receipt, frozen for the return window', async () => {
      const page = await harness.signIn(operator);
      await page.goto(`/console/loyalty/members/${member.customerId}`);
      const form = page.locator('form[data-action="award-purchase"]');
      await form.locator('[name="receiptNo"]').fill('R-1001');
      await form.locator('[name="amount"]').fill('88.50');
      await form.getByRole('button', { name: '确认积分' }).click();
      await expect.poll(() => form.locator('.form-success').textContent()).toMatch(/^已积 88 分，冻结至 /);
      expect(await page.locator('.member-card [data-field="balance"]').textContent()).toBe('388');
      expect(await page.locator('.member-card [data-field="frozen"]').textContent()).toBe('88');
      expect(await page.locator('.member-card [data-field="available"]').textContent()).toBe('300');
      expect(await page.locator('.ledger-row').first().locator('[data-field="kind"]').textContent()).toBe('消费');
      expect(await harness.app.loyalty.getMember(member.customerId)).toMatchObject({ balance: 388, frozen: 88 });

      await form.locator('[name="receiptNo"]').fill('R-1001');
      await form.locator('[name="amount"]').fill('88.50');
      await form.getByRole('button', { name: '确认积分' }).click();
      await expect.poll(() => form.locator('.form-success').textContent()).toBe('这张小票之前已积过分，没有重复积分。');
      expect((await harness.app.loyalty.getMember(member.customerId))?.balance).toBe(388);
    });

    it('shows a busy button while the award is on its way', async () => {
      const page = await harness.signIn(operator);
      await page.goto(`/console/loyalty/members/${member.customerId}`);
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      await page.route('**/api/loyalty/members/*/purchases', async (route) => {
        await released;
        await route.fulfill({ status: 503, contentType: 'application/problem+json', body: '{"status":503}' });
      });
      const form = page.locator('form[data-action="award-purchase"]');
      await form.locator('[name="receiptNo"]').fill('R-BUSY');
      await form.locator('[name="amount"]').fill('10');
      const button = form.getByRole('button');
      await button.click();
      await expect.poll(() => button.textContent()).toBe('处理中…');
      expect(await button.isDisabled()).toBe(true);
      release();
      await expect.poll(() => form.locator('.form-error').textContent()).toBe('操作失败，请重试。');
      expect(await button.textContent()).toBe('确认积分');
      expect(await form.locator('[name="receiptNo"]').inputValue()).toBe('R-BUSY');
    });

    it('requires a reason for a manual adjustment, then records it', async () => {
      const page = await harness.signIn(operator);
      await page.goto(`/console/loyalty/members/${member.customerId}`);
      const form = page.locator('form[data-action="adjust-points"]');
      const reasonError = form.locator('.field:has([name="reason"]) .field-error');
      await form.locator('[name="amount"]').fill('50');
      await form.getByRole('button', { name: '调整' }).click();
      expect(await reasonError.textContent()).toBe('此项必填');

      await form.locator('[name="reason"]').fill('补');
      await form.getByRole('button', { name: '调整' }).click();
      await expect.poll(() => reasonError.textContent()).toBe('至少 2 个字');
      expect((await harness.app.loyalty.getMember(member.customerId))?.balance).toBe(388);

      await form.locator('[name="reason"]').fill('活动补偿');
      await form.getByRole('button', { name: '调整' }).click();
      await expect.poll(() => form.locator('.form-success').textContent()).toBe('已调整 +50 分，余额 438。');
      expect(await reasonError.count()).toBe(0);
      expect(await page.locator('.member-card [data-field="balance"]').textContent()).toBe('438');
      const latest = page.locator('.ledger-row').first();
      expect(await latest.locator('[data-field="kind"]').textContent()).toBe('人工调整');
      expect(await latest.locator('[data-field="reason"]').textContent()).toBe('活动补偿');
      expect(await latest.locator('[data-field="amount"]').textContent()).toBe('+50');
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: '/tmp/console-member.png', fullPage: true });
    });

    it('answers an unknown member with a 404 page', async () => {
      const page = await harness.signIn(operator);
      const response = await page.goto('/console/loyalty/members/ffffffffffffffffffffffff');
      expect(response?.status()).toBe(404);
    });
  });

  it('logged no script errors or CSP violations', () => {
    expect(harness.pageErrors).toEqual([]);
  });
});
