import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOGIN_POLICY } from '../../server/src/modules/staff/staff.service.ts';
import { createStaff, PASSWORD, seedCustomer, startConsole, type ConsoleHarness } from './console-harness.ts';

describe('console sign-in', () => {
  let harness: ConsoleHarness;
  let operator: string;
  let customerId: string;

  beforeAll(async () => {
    harness = await startConsole();
    operator = await createStaff(harness.app, 'operator', '李运营');
    customerId = await seedCustomer(harness.app, { key: 'auth-1', name: '张三' });
  });
  afterAll(() => harness.close());

  it.each(['/console/customers', '/console', `/console/customers/${'a'.repeat(24)}`])('sends an unauthenticated visit to %s to the login form', async (path) => {
    const page = await harness.newPage();
    await page.goto(path);
    expect(new URL(page.url()).pathname).toBe('/console/login');
    expect(await page.title()).toBe('登录 · 私域');
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
  });

  it('shows an error for a wrong password, keeps the email, then signs in with the right one', async () => {
    const page = await harness.newPage();
    await page.goto('/console/login');
    await page.fill('input[name="email"]', operator);
    await page.fill('input[name="password"]', 'not the password');
    await page.click('button[type="submit"]');
    await expect.poll(() => page.locator('[role="alert"]').textContent()).toBe('邮箱或密码错误，请重试。');
    expect(new URL(page.url()).pathname).toBe('/console/login');
    expect(await page.inputValue('input[name="email"]')).toBe(operator);

    await page.fill('input[name="password"]', PASSWORD);
    await page.click('button[type="submit"]');
    await page.waitForURL('**/console/customers');
    expect(await page.locator('h1').textContent()).toBe('客户');
    const cookie = (await page.context().cookies()).find((c) => c.name === 'siyu_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(await harness.app.staff.authenticate(cookie!.value)).toMatchObject({ email: operator, role: 'operator' });
    await page.goto('/console/login');
    expect(new URL(page.url()).pathname).toBe('/console/customers');
  });

  it('serves its script and styles from its own origin under a CSP that forbids inline scripts', async () => {
    const page = await harness.newPage();
    const response = await page.goto('/console/login');
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    const script = await page.request.get(await page.locator('script[src]').getAttribute('src') ?? '');
    expect(script.headers()['content-type']).toBe('text/javascript; charset=utf-8');
    const styles = await page.request.get(await page.locator('link[rel="stylesheet"]').getAttribute('href') ?? '');
    expect(styles.headers()['content-type']).toBe('text/css; charset=utf-8');
    const again = await page.request.get('/console/assets/console.css', { headers: { 'if-none-match': styles.headers().etag } });
    expect(again.status()).toBe(304);
    expect(await page.locator('[onclick], [onsubmit], script:not([src]):not([type="application/json"])').count()).toBe(0);
  });

  it('signs out from the top bar and revokes the session', async () => {
    const page = await harness.signIn(operator);
    const token = (await page.context().cookies()).find((c) => c.name === 'siyu_session')!.value;
    await page.getByRole('button', { name: '退出' }).click();
    await page.waitForURL('**/console/login');
    expect((await page.context().cookies()).some((c) => c.name === 'siyu_session')).toBe(false);
    expect(await harness.app.staff.authenticate(token)).toBeNull();
    await page.goto(`/console/customers/${customerId}`);
    expect(new URL(page.url()).pathname).toBe('/console/login');
  });

  it('tells a locked account to wait', async () => {
    const agent = await createStaff(harness.app, 'agent', '王客服');
    for (let attempt = 0; attempt < LOGIN_POLICY.lockAfter; attempt++) {
      await harness.app.staff.login({ email: agent, password: 'wrong' }).catch(() => {});
    }
    const page = await harness.newPage();
    await page.goto('/console/login');
    await page.fill('input[name="email"]', agent);
    await page.fill('input[name="password"]', PASSWORD);
    await page.click('button[type="submit"]');
    await expect.poll(() => page.locator('[role="alert"]').textContent()).toContain('账号已临时锁定');
  });

  it('logged no script errors or CSP violations', () => {
    expect(harness.pageErrors).toEqual([]);
  });
});
