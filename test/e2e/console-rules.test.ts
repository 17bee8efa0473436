import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaff, startConsole, type ConsoleHarness } from './console-harness.ts';

const fieldError = (page: Page, name: string) => page.locator(`#rule-form .field:has([name="${name}"]) .field-error`);
/** A save reloads the page with a one-line notice; the URL alone cannot tell the old page from the new. */
const reloadedWith = (page: Page, notice: string) => expect.poll(() => page.locator('.notice').textContent(), { timeout: 15_000 }).toBe(notice);

describe('console automation rules page', () => {
  let harness: ConsoleHarness;
  let operator: string;
  let admin: string;

  beforeAll(async () => {
    harness = await startConsole();
    operator = await createStaff(harness.app, 'operator', '李运营');
    admin = await createStaff(harness.app, 'admin', '赵管理');
  });
  afterAll(() => harness.close());

  async function openRules(email = operator): Promise<Page> {
    const page = await harness.signIn(email);
    await page.getByRole('link', { name: '自动化规则' }).click();
    await page.waitForURL('**/console/rules');
    return page;
  }

  async function save(page: Page): Promise<void> {
    await page.getByRole('button', { name: '保存规则' }).click();
  }

  it('creates a keyword auto-tag rule and lists it', async () => {
    const page = await openRules();
    expect(await page.locator('.empty-title').textContent()).toBe('还没有规则');
    expect(await page.locator('#rule-form [name="reply"]').isVisible()).toBe(false);
    await page.fill('#rule-form [name="name"]', '问价打标签');
    await page.fill('#rule-form [name="keywords"]', '价格\n多少钱');
    await page.fill('#rule-form [name="tags"]', '价格敏感');
    await save(page);
    await reloadedWith(page, '已保存。');
    const row = page.locator('.rule-row', { hasText: '问价打标签' });
    expect(await row.locator('.badge').first().textContent()).toBe('自动打标签');
    expect(await row.locator('.condition').textContent()).toBe('价格、多少钱');
    expect(await row.locator('.chip').allTextContents()).toEqual(['价格敏感']);
    const [stored] = await harness.app.botRules.list();
    expect(stored).toMatchObject({ kind: 'auto_tag', name: '问价打标签', match: { keywords: ['价格', '多少钱'] }, tags: ['价格敏感'], enabled: true, priority: 100 });
  });

  it('shows the API’s regex error beside the regex field and stores nothing', async () => {
    const page = await openRules();
    await page.fill('#rule-form [name="name"]', '坏正则');
    await page.check('#rule-form input[name="matchBy"][value="regex"]');
    expect(await page.locator('#rule-form [name="keywords"]').isVisible()).toBe(false);
    await page.fill('#rule-form [name="regex"]', '(价格|多少钱');
    await page.fill('#rule-form [name="tags"]', '价格敏感');
    await save(page);
    await expect.poll(() => fieldError(page, 'regex').textContent()).toContain('不是有效的正则表达式');
    expect(await page.getAttribute('#rule-form [name="regex"]', 'aria-invalid')).toBe('true');
    expect(await page.locator('#rule-form .form-error').textContent()).toBe('请修正标出的字段后重试。');

    await page.fill('#rule-form [name="regex"]', '(a+)+$');
    await save(page);
    await expect.poll(() => fieldError(page, 'regex').textContent()).toContain('重复部分过多');
    expect((await harness.app.botRules.list()).map((rule) => rule.name)).toEqual(['问价打标签']);
  });

  it('places a schema error on the field it names, not on the kinds the body did not mean', async () => {
    const page = await openRules();
    await page.fill('#rule-form [name="name"]', '带点的标签');
    await page.fill('#rule-form [name="keywords"]', '会员');
    await page.fill('#rule-form [name="tags"]', 'vip.gold');
    await save(page);
    await expect.poll(() => fieldError(page, 'tags').textContent()).toBe('格式不正确');
    expect(await page.locator('#rule-form .field-error').count()).toBe(1);
  });

  it('asks for the fields a kind needs before sending anything', async () => {
    const page = await openRules();
    await page.selectOption('#rule-form [name="kind"]', 'welcome');
    expect(await page.locator('#rule-form [name="tags"]').isVisible()).toBe(false);
    await page.fill('#rule-form [name="name"]', '欢迎语');
    await save(page);
    expect(await fieldError(page, 'reply').textContent()).toBe('此项必填');
    await page.fill('#rule-form [name="reply"]', '{{nickname}} 你好，欢迎来到{{brandName}}！');
    await save(page);
    await reloadedWith(page, '已保存。');
    expect(await page.locator('.rule-row', { hasText: '欢迎语' }).locator('.condition').textContent()).toBe('新好友添加时');
  });

  it('edits a rule in the same form and deletes one after a confirmation', async () => {
    const page = await openRules();
    await page.locator('.rule-row', { hasText: '问价打标签' }).getByRole('button', { name: '编辑' }).click();
    expect(await page.locator('#rule-form-title').textContent()).toBe('编辑规则');
    expect(await page.inputValue('#rule-form [name="keywords"]')).toBe('价格\n多少钱');
    await page.fill('#rule-form [name="tags"]', '价格敏感, 比价');
    await page.fill('#rule-form [name="priority"]', '5');
    await save(page);
    await reloadedWith(page, '已保存。');
    expect(await page.locator('.rule-row', { hasText: '问价打标签' }).locator('.chip').allTextContents()).toEqual(['价格敏感', '比价']);
    expect((await harness.app.botRules.list()).find((rule) => rule.name === '问价打标签')).toMatchObject({ tags: ['价格敏感', '比价'], priority: 5 });

    await page.locator('.rule-row', { hasText: '欢迎语' }).getByRole('button', { name: '删除' }).click();
    await page.locator('#confirm-dialog').getByRole('button', { name: '确认' }).click();
    await reloadedWith(page, '已删除。');
    expect((await harness.app.botRules.list()).map((rule) => rule.name)).toEqual(['问价打标签']);
  });

  it('saves a need-keyword rule with only its keywords', async () => {
    const page = await openRules();
    await page.selectOption('#rule-form [name="kind"]', 'need');
    await page.fill('#rule-form [name="name"]', '护肤需求');
    await page.fill('#rule-form [name="needKeywords"]', '面霜，防晒');
    await save(page);
    await reloadedWith(page, '已保存。');
    expect((await harness.app.botRules.list()).find((rule) => rule.kind === 'need')).toMatchObject({ keywords: ['面霜', '防晒'] });
  });

  it('shows bot settings to admins only, with their errors inline', async () => {
    const operatorPage = await openRules();
    expect(await operatorPage.locator('[data-section="bot-settings"]').count()).toBe(0);

    const page = await openRules(admin);
    const form = page.locator('form[data-action="save-bot-settings"]');
    expect(await form.locator('[name="proactiveMin"]').inputValue()).toBe('15');
    await form.locator('[name="proactiveMin"]').fill('40');
    await form.getByRole('button', { name: '保存设置' }).click();
    await expect.poll(() => form.locator('.field:has([name="proactiveMax"]) .field-error').textContent()).toBe('不能小于最小间隔');

    await form.locator('[name="proactiveMin"]').fill('20');
    await form.locator('[name="autoAcceptFriends"]').uncheck();
    await form.getByRole('button', { name: '保存设置' }).click();
    await expect.poll(() => form.locator('.form-success').textContent()).toBe('已保存。');
    expect(await harness.app.botSettings.get()).toMatchObject({ autoAcceptFriends: false, throttle: { proactiveMinGapMs: 20_000, proactiveMaxGapMs: 35_000 } });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: '/tmp/console-rules.png', fullPage: true });
  });

  it('speaks English after a switch', async () => {
    const page = await openRules();
    await page.getByRole('link', { name: 'English' }).click();
    await page.waitForURL(/lang=en/);
    expect(await page.title()).toBe('Automation rules · Siyu');
    expect(await page.locator('.rule-row', { hasText: '问价打标签' }).locator('.badge').first().textContent()).toBe('Auto-tag');
    expect(await page.getByRole('button', { name: 'Save rule' }).count()).toBe(1);
    await page.fill('#rule-form [name="name"]', 'Bad');
    await page.check('#rule-form input[name="matchBy"][value="regex"]');
    await page.fill('#rule-form [name="regex"]', '(');
    await page.fill('#rule-form [name="tags"]', 'x');
    await page.getByRole('button', { name: 'Save rule' }).click();
    await expect.poll(() => fieldError(page, 'regex').textContent()).toContain('is not a valid regular expression');
  });

  it('logged no script errors or CSP violations', () => {
    expect(harness.pageErrors).toEqual([]);
  });
});
