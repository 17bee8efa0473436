import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createStaff, seedCustomer, startConsole, type ConsoleHarness } from './console-harness.ts';

const rowNames = (page: Page) => page.locator('.customer-row .customer-link').allTextContents();
const barCount = (page: Page, layer: string) => page.locator(`.bar-row[data-layer="${layer}"] .bar-count`).textContent();

describe('console customer list', () => {
  let harness: ConsoleHarness;
  let operator: string;
  let agent: string;

  beforeAll(async () => {
    harness = await startConsole();
    const { app } = harness;
    operator = await createStaff(app, 'operator', '李运营');
    agent = await createStaff(app, 'agent', '王客服');
    // Filler first, so the named customers below are the newest and open the first page.
    for (let index = 1; index <= 18; index++) await seedCustomer(app, { key: `filler-${index}`, nickname: `访客${index}`, layer: 'visitor' });
    await seedCustomer(app, { key: 'wang', name: '王小明', nickname: '小明', phone: '13812345678', province: '浙江', city: '杭州', layer: 'member', tags: ['VIP', '高消费'] });
    await seedCustomer(app, { key: 'li', name: '李华', phone: '13987654321', province: '上海', city: '上海', layer: 'fan', tags: ['VIP'] });
    await seedCustomer(app, { key: 'zhao', name: '赵敏', province: '浙江', layer: 'friend', tags: ['新品试用'] });
  });
  afterAll(() => harness.close());

  it('lists customers newest first with layer badges, full phones for an operator, and the layer chart', async () => {
    const page = await harness.signIn(operator);
    expect(await page.title()).toBe('客户 · 私域');
    expect((await rowNames(page)).slice(0, 3)).toEqual(['赵敏', '李华', '王小明']);
    const wang = page.locator('.customer-row', { hasText: '王小明' });
    expect(await wang.locator('.phone').textContent()).toBe('13812345678');
    expect(await wang.locator('.badge').allTextContents()).toEqual(['会员', '新客']);
    expect(await page.locator('.bar-label').allTextContents()).toEqual(['访客', '互动客', '粉丝', '好友', '客户', '会员']);
    expect([await barCount(page, 'visitor'), await barCount(page, 'fan'), await barCount(page, 'member'), await barCount(page, 'guest')]).toEqual(['18', '1', '1', '0']);
    await page.screenshot({ path: '/tmp/console-list.png', fullPage: true });
  });

  it('pages with a next link that keeps the filters, and a link back to the first page', async () => {
    const page = await harness.signIn(operator);
    expect(await page.locator('.customer-row').count()).toBe(20);
    await page.getByRole('link', { name: '下一页 →' }).click();
    await page.waitForURL(/cursor=/);
    expect(await rowNames(page)).toEqual(['访客1']);
    expect(await page.getByRole('link', { name: '下一页 →' }).count()).toBe(0);

    await page.goto('/console/customers?sort=oldest&q=访客');
    expect((await rowNames(page)).slice(0, 2)).toEqual(['访客1', '访客2']);
    expect(await page.getByRole('link', { name: '下一页 →' }).count()).toBe(0);
    await page.goto('/console/customers?sort=oldest');
    expect((await rowNames(page)).slice(0, 2)).toEqual(['访客1', '访客2']);
    await page.getByRole('link', { name: '下一页 →' }).click();
    await page.waitForURL(/cursor=/);
    expect(new URL(page.url()).searchParams.get('sort')).toBe('oldest');
    expect(await rowNames(page)).toEqual(['赵敏']);
    await page.getByRole('link', { name: '回到第一页' }).click();
    await page.waitForURL((url) => !url.searchParams.has('cursor'));
    expect(await page.locator('.customer-row').count()).toBe(20);
  });

  it('narrows the list by tag, by layer and by text, and shows an empty state when nothing matches', async () => {
    const page = await harness.signIn(operator);
    await page.fill('input[name="tag"]', 'VIP');
    await page.getByRole('button', { name: '筛选' }).click();
    await page.waitForURL(/tag=VIP/);
    expect(await rowNames(page)).toEqual(['李华', '王小明']);

    await page.selectOption('select[name="layer"]', 'member');
    await page.getByRole('button', { name: '筛选' }).click();
    await page.waitForURL(/layer=member/);
    expect(await rowNames(page)).toEqual(['王小明']);

    await page.goto('/console/customers?q=赵&province=浙江');
    expect(await rowNames(page)).toEqual(['赵敏']);

    await page.goto('/console/customers?tag=不存在的标签');
    expect(await page.locator('.empty-title').textContent()).toBe('没有符合条件的客户');
    await page.getByRole('link', { name: '清除筛选' }).first().click();
    await page.waitForURL((url) => url.search === '');
    expect(await page.locator('.customer-row').count()).toBe(20);
  });

  it('filters by layer from the chart', async () => {
    const page = await harness.signIn(operator);
    await page.locator('.bar-row[data-layer="fan"]').click();
    await page.waitForURL(/layer=fan/);
    expect(await rowNames(page)).toEqual(['李华']);
    expect(await page.inputValue('select[name="layer"]')).toBe('fan');
  });

  it('switches to English and stays in English', async () => {
    const page = await harness.signIn(operator);
    await page.getByRole('link', { name: 'English' }).click();
    await page.waitForURL(/lang=en/);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.title()).toBe('Customers · Siyu');
    expect(await page.locator('.bar-label').allTextContents()).toEqual(['Visitor', 'Guest', 'Fan', 'Friend', 'Customer', 'Member']);
    expect(await page.getByRole('button', { name: 'Sign out' }).count()).toBe(1);
    await page.goto('/console/customers?tag=VIP');
    expect(await page.locator('.customer-row', { hasText: '王小明' }).locator('.badge').allTextContents()).toEqual(['Member', 'New']);
    await page.getByRole('link', { name: '中文' }).click();
    await page.waitForURL(/lang=zh-CN/);
    expect(await page.locator('h1').textContent()).toBe('客户');
  });

  it('masks phone numbers for an agent', async () => {
    const page = await harness.signIn(agent);
    expect(await page.locator('.customer-row', { hasText: '王小明' }).locator('.phone').textContent()).toBe('138****5678');
    expect(await page.content()).not.toContain('13812345678');
  });

  it('answers a filter the schema refuses with an error page, not JSON', async () => {
    const page = await harness.signIn(operator);
    const response = await page.goto('/console/customers?layer=nonsense');
    expect(response?.status()).toBe(400);
    expect(response?.headers()['content-type']).toContain('text/html');
    expect(await page.locator('h1').textContent()).toBe('请求没有完成');
  });

  it('logged no script errors or CSP violations', () => {
    expect(harness.pageErrors).toEqual([]);
  });
});
