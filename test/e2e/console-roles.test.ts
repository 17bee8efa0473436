import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaff, seedMember, startConsole, type ConsoleHarness } from './console-harness.ts';

const OPERATOR_PAGES = ['/console/rules', '/console/loyalty/settings', '/console/loyalty/members', '/console/rewards', '/console/redemptions'];

describe('console navigation by role', () => {
  let harness: ConsoleHarness;
  let agent: string;
  let operator: string;
  let admin: string;
  let memberPage: string;

  beforeAll(async () => {
    harness = await startConsole();
    agent = await createStaff(harness.app, 'agent', '王客服');
    operator = await createStaff(harness.app, 'operator', '李运营');
    admin = await createStaff(harness.app, 'admin', '赵管理');
    memberPage = `/console/loyalty/members/${(await seedMember(harness.app, { key: 'roles-member', name: '会员甲' })).customerId}`;
  });
  afterAll(() => harness.close());

  const navLinks = async (email: string) => (await harness.signIn(email)).locator('.nav-link').allTextContents();

  it('shows each role only the sections it may open', async () => {
    expect(await navLinks(agent)).toEqual(['客户']);
    expect(await navLinks(operator)).toEqual(['客户', '自动化规则', '会员', '礼品', '兑换核销', '会员设置']);
    expect(await navLinks(admin)).toEqual(['客户', '机器人', '自动化规则', '会员', '礼品', '兑换核销', '会员设置']);
  });

  it.each(['/console/bots', ...OPERATOR_PAGES, 'member'])('answers an agent who opens %s with a 403 page', async (path) => {
    const page = await harness.signIn(agent);
    const response = await page.goto(path === 'member' ? memberPage : path);
    expect(response?.status()).toBe(403);
    expect(response?.headers()['content-type']).toContain('text/html');
    expect(await page.locator('.message-page h1').textContent()).toBe('请求没有完成');
    expect(await page.locator('.message-page').textContent()).toContain('你的角色没有权限查看此页面');
  });

  it.each(OPERATOR_PAGES)('opens %s for an operator', async (path) => {
    const page = await harness.signIn(operator);
    const response = await page.goto(path);
    expect(response?.status()).toBe(200);
    expect(await page.locator('.nav-link.active').getAttribute('href')).toBe(path);
  });

  it('sends a signed-out visit to the login form', async () => {
    const page = await harness.newPage();
    await page.goto('/console/loyalty/members');
    expect(new URL(page.url()).pathname).toBe('/console/login');
  });

  it('logged no script errors or CSP violations', () => {
    expect(harness.pageErrors).toEqual([]);
  });
});
