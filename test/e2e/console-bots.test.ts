import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOT_PROTOCOL_VERSION } from '../../shared/src/bot-protocol.ts';
import { createStaff, startConsole, type ConsoleHarness } from './console-harness.ts';

// The page polls every 3 s; a loaded machine may take a few rounds.
const REFRESH = { timeout: 20_000 };
const row = (page: Page, name: string) => page.locator('.bot-row', { hasText: name });

describe('console bots page', () => {
  let harness: ConsoleHarness;
  let admin: string;
  let operator: string;

  beforeAll(async () => {
    harness = await startConsole();
    admin = await createStaff(harness.app, 'admin', '赵管理');
    operator = await createStaff(harness.app, 'operator', '李运营');
  });
  afterAll(() => harness.close());

  async function openBots(email = admin): Promise<Page> {
    const page = await harness.signIn(email);
    await page.getByRole('link', { name: '机器人' }).click();
    await page.waitForURL('**/console/bots');
    return page;
  }

  it('shows an empty state before any bot exists', async () => {
    const page = await openBots();
    expect(await page.title()).toBe('机器人 · 私域');
    expect(await page.locator('.empty-title').textContent()).toBe('还没有机器人');
    expect(await page.locator('table.bots').isVisible()).toBe(false);
  });

  it('creates a bot and shows its token once, with a copy-now warning', async () => {
    const page = await openBots();
    await page.getByRole('button', { name: '创建并生成令牌' }).click();
    expect(await page.locator('form[data-action="create-bot"] .field-error').textContent()).toBe('此项必填');

    await page.fill('input[name="name"]', '门店一号');
    await page.getByRole('button', { name: '创建并生成令牌' }).click();
    const tokenInput = page.locator('#bot-token');
    await expect.poll(() => tokenInput.inputValue()).toMatch(/^sbt_/);
    const token = await tokenInput.inputValue();
    expect(await page.locator('#token-panel [role="alert"]').textContent()).toContain('令牌只显示这一次');
    expect(await harness.app.bots.authenticate(token)).toMatchObject({ name: '门店一号' });
    expect(await row(page, '门店一号').locator('[data-field="status"]').textContent()).toBe('启动中');
    expect(await page.locator('.empty-title').isVisible()).toBe(false);
    await page.screenshot({ path: '/tmp/console-bots-token.png', fullPage: true });

    await page.getByRole('button', { name: '我已保存，关闭' }).click();
    expect(await page.locator('#token-panel').isVisible()).toBe(false);
    expect(await tokenInput.inputValue()).toBe('');
    await page.reload();
    expect(await page.content()).not.toContain(token);
    expect(await row(page, '门店一号').count()).toBe(1);
  });

  it('follows status reports: the login QR while scanning, then the account once logged in', async () => {
    const { bot } = await harness.app.bots.create({ name: '客服二号' }, (await harness.app.staff.list())[0].id);
    const page = await openBots();
    const botRow = row(page, '客服二号');
    expect(await botRow.locator('[data-field="online"]').textContent()).toBe('离线');

    await harness.app.bots.recordStatus(bot.id, { v: BOT_PROTOCOL_VERSION, kind: 'status', status: 'scanning', qrcode: 'https://login.weixin.qq.com/l/e2e-first' });
    await expect.poll(() => botRow.locator('[data-field="status"]').textContent(), REFRESH).toBe('扫码中');
    const qr = botRow.locator('[data-field="qr"] img');
    await expect.poll(() => qr.getAttribute('src'), REFRESH).toMatch(/^data:image\/png;base64,/);
    const firstQr = await qr.getAttribute('src');
    expect(await botRow.locator('[data-field="qr"]').isVisible()).toBe(true);

    await harness.app.bots.recordStatus(bot.id, { v: BOT_PROTOCOL_VERSION, kind: 'status', status: 'scanning', qrcode: 'https://login.weixin.qq.com/l/e2e-second' });
    await expect.poll(() => qr.getAttribute('src'), REFRESH).not.toBe(firstQr);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: '/tmp/console-bots.png', fullPage: true });

    await harness.app.bots.recordStatus(bot.id, { v: BOT_PROTOCOL_VERSION, kind: 'status', status: 'logged_in', account: { id: 'wxid_e2e', name: '思域小助手' } });
    await expect.poll(() => botRow.locator('[data-field="status"]').textContent(), REFRESH).toBe('已登录');
    expect(await botRow.locator('[data-field="account"]').textContent()).toBe('思域小助手');
    expect(await botRow.locator('[data-field="qr"]').isVisible()).toBe(false);

    await harness.app.bots.recordStatus(bot.id, { v: BOT_PROTOCOL_VERSION, kind: 'status', status: 'error', error: 'puppet crashed' });
    await expect.poll(() => botRow.locator('[data-field="error"]').textContent(), REFRESH).toBe('puppet crashed');
    expect(await botRow.locator('[data-field="status"]').textContent()).toBe('错误');
  });

  it('renders a scanning bot’s QR on the first paint', async () => {
    const { bot } = await harness.app.bots.create({ name: '扫码三号' }, (await harness.app.staff.list())[0].id);
    await harness.app.bots.recordStatus(bot.id, { v: BOT_PROTOCOL_VERSION, kind: 'status', status: 'scanning', qrcode: 'https://login.weixin.qq.com/l/e2e-third' });
    const page = await openBots();
    expect(await row(page, '扫码三号').locator('[data-field="qr"] img').getAttribute('src')).toMatch(/^data:image\/png;base64,/);
  });

  it('revokes only after a confirmation', async () => {
    const page = await openBots();
    await page.fill('input[name="name"]', '待吊销');
    await page.getByRole('button', { name: '创建并生成令牌' }).click();
    const tokenInput = page.locator('#bot-token');
    await expect.poll(() => tokenInput.inputValue()).toMatch(/^sbt_/);
    const token = await tokenInput.inputValue();
    const botRow = row(page, '待吊销');
    const dialog = page.locator('#confirm-dialog');

    await botRow.getByRole('button', { name: '吊销' }).click();
    expect(await dialog.locator('p').textContent()).toContain('吊销「待吊销」的令牌');
    await dialog.getByRole('button', { name: '取消' }).click();
    expect(await dialog.isVisible()).toBe(false);
    expect(await harness.app.bots.authenticate(token)).not.toBeNull();

    await botRow.getByRole('button', { name: '吊销' }).click();
    await dialog.getByRole('button', { name: '确认' }).click();
    await expect.poll(() => botRow.locator('[data-field="status"]').textContent()).toBe('已吊销');
    expect(await botRow.getByRole('button', { name: '吊销' }).count()).toBe(0);
    expect(await harness.app.bots.authenticate(token)).toBeNull();
  });

  it('is for admins only: an operator sees no link and gets a 403 page', async () => {
    const page = await harness.signIn(operator);
    expect(await page.getByRole('link', { name: '机器人' }).count()).toBe(0);
    const response = await page.goto('/console/bots');
    expect(response?.status()).toBe(403);
    expect(await page.locator('.message-page').textContent()).toContain('你的角色没有权限查看此页面');
  });

  it('logged no script errors or CSP violations', () => {
    expect(harness.pageErrors).toEqual([]);
  });
});
