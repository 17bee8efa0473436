import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaff, seedCustomer, startConsole, type ConsoleHarness } from './console-harness.ts';

const HOUR_MS = 3_600_000;

describe('console customer 360° page', () => {
  let harness: ConsoleHarness;
  let operator: string;
  let agent: string;
  let wangId: string;
  let busyId: string;

  beforeAll(async () => {
    harness = await startConsole();
    const { app } = harness;
    operator = await createStaff(app, 'operator', '李运营');
    agent = await createStaff(app, 'agent', '王客服');
    wangId = await seedCustomer(app, { key: 'wang', name: '王小明', nickname: '小明', phone: '13812345678', province: '浙江', city: '杭州', tags: ['VIP', '高消费'] });
    await app.customers.raiseLayer(wangId, 'fan', 'followed');
    busyId = await seedCustomer(app, { key: 'busy', name: '话痨客户' });
    await app.interactions.appendMany(
      Array.from({ length: 25 }, (_, index) => ({ customerId: busyId, type: 'message_in' as const, summary: `第 ${index + 1} 条消息`, at: new Date(Date.now() - (index + 1) * HOUR_MS) })),
    );
  });
  afterAll(() => harness.close());

  it('opens from the list with the profile, tags and timeline', async () => {
    const page = await harness.signIn(operator);
    await page.getByRole('link', { name: '王小明' }).click();
    await page.waitForURL(`**/console/customers/${wangId}`);
    expect(await page.title()).toBe('王小明 · 私域');
    expect(await page.locator('.customer-head .badge').allTextContents()).toEqual(['粉丝', '新客']);
    expect(await page.locator('dd[data-profile="phone"]').textContent()).toBe('13812345678');
    expect(await page.locator('dd[data-profile="region"]').textContent()).toBe('浙江 杭州');
    expect(await page.locator('#tag-list [data-field="tag"]').allTextContents()).toEqual(['VIP', '高消费']);
    const layerChange = page.locator('.timeline-item[data-type="layer_changed"]');
    expect(await layerChange.locator('[data-field="label"]').textContent()).toBe('层级变化');
    expect(await layerChange.locator('[data-field="text"]').textContent()).toBe('访客 → 粉丝');
  });

  it('adds and removes tags in place and persists them', async () => {
    const page = await harness.signIn(operator);
    await page.goto(`/console/customers/${wangId}`);
    await page.fill('#new-tag', '复购意向');
    await page.getByRole('button', { name: '添加标签' }).click();
    await expect.poll(() => page.locator('#tag-list [data-field="tag"]').allTextContents()).toEqual(['VIP', '高消费', '复购意向']);
    expect(await page.inputValue('#new-tag')).toBe('');
    expect((await harness.app.customers.get(wangId))?.tags).toEqual(['VIP', '高消费', '复购意向']);

    await page.locator('#tag-list [data-tag="高消费"] button').click();
    await expect.poll(() => page.locator('#tag-list [data-field="tag"]').allTextContents()).toEqual(['VIP', '复购意向']);
    expect((await harness.app.customers.get(wangId))?.tags).toEqual(['VIP', '复购意向']);
    await page.reload();
    expect(await page.locator('#tag-list [data-field="tag"]').allTextContents()).toEqual(['VIP', '复购意向']);
  });

  it('adds a note that shows at the top and is stored with its author', async () => {
    const page = await harness.signIn(operator);
    await page.goto(`/console/customers/${wangId}`);
    expect(await page.locator('[data-empty-for="note-list"]').isVisible()).toBe(true);
    await page.fill('#new-note', '客户偏好周末到店，喜欢新品。');
    await page.getByRole('button', { name: '添加备注' }).click();
    const note = page.locator('#note-list .note').first();
    await expect.poll(() => note.locator('[data-field="body"]').textContent()).toBe('客户偏好周末到店，喜欢新品。');
    expect(await note.locator('[data-field="author"]').textContent()).toBe('李运营');
    expect(await page.locator('[data-empty-for="note-list"]').isVisible()).toBe(false);
    expect((await harness.app.notes.listNotes(wangId))[0]).toMatchObject({ body: '客户偏好周末到店，喜欢新品。', authorName: '李运营' });
  });

  it('adds a reminder and marks it done', async () => {
    const page = await harness.signIn(operator);
    await page.goto(`/console/customers/${wangId}`);
    await page.fill('input[name="title"]', '回访新品体验');
    await page.fill('input[name="dueAt"]', '2030-01-02T10:30');
    await page.getByRole('button', { name: '添加提醒' }).click();
    const reminder = page.locator('#reminder-list .reminder', { hasText: '回访新品体验' });
    await reminder.waitFor();
    const [stored] = await harness.app.notes.listReminders(wangId);
    expect(stored).toMatchObject({ title: '回访新品体验', done: false });

    await reminder.getByRole('button', { name: '标记完成' }).click();
    await expect.poll(() => reminder.locator('.done-badge').textContent()).toBe('已完成');
    expect((await harness.app.notes.listReminders(wangId))[0]).toMatchObject({ id: stored.id, done: true });
  });

  it('loads more of the timeline until it runs out', async () => {
    const page = await harness.signIn(operator);
    await page.goto(`/console/customers/${busyId}`);
    const items = page.locator('#timeline-list .timeline-item');
    expect(await items.count()).toBe(20);
    await page.getByRole('button', { name: '加载更多' }).click();
    await expect.poll(() => items.count()).toBe(25);
    expect(await items.last().locator('[data-field="text"]').textContent()).toBe('第 25 条消息');
    expect(await items.last().locator('[data-field="label"]').textContent()).toBe('收到消息');
    expect(await page.getByRole('button', { name: '加载更多' }).count()).toBe(0);
  });

  it('shows a busy button while a request runs and an error when it fails', async () => {
    const page = await harness.signIn(operator);
    await page.goto(`/console/customers/${wangId}`);
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/api/customers/*/notes', async (route) => {
      await released;
      await route.fulfill({ status: 503, contentType: 'application/problem+json', body: '{"status":503}' });
    });
    await page.fill('#new-note', '这条不会保存');
    const button = page.locator('form[data-action="add-note"] button');
    await button.click();
    await expect.poll(() => button.textContent()).toBe('处理中…');
    expect(await button.isDisabled()).toBe(true);
    release();
    const error = page.locator('[data-section="notes"] .form-error');
    await expect.poll(() => error.textContent()).toBe('操作失败，请重试。');
    expect(await error.isVisible()).toBe(true);
    expect(await button.textContent()).toBe('添加备注');
    expect(await button.isEnabled()).toBe(true);
    expect(await page.inputValue('#new-note')).toBe('这条不会保存');
  });

  it('shows an agent a masked phone and no tag editing', async () => {
    const page = await harness.signIn(agent);
    await page.goto(`/console/customers/${wangId}`);
    expect(await page.locator('dd[data-profile="phone"]').textContent()).toBe('138****5678');
    expect(await page.content()).not.toContain('13812345678');
    expect(await page.locator('form[data-action="add-tag"]').count()).toBe(0);
    expect(await page.locator('#tag-list button').count()).toBe(0);
    expect(await page.locator('form[data-action="add-note"]').count()).toBe(1);
  });

  it('speaks English after a switch', async () => {
    const page = await harness.signIn(operator);
    await page.goto(`/console/customers/${wangId}?lang=en`);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.locator('#profile-title').textContent()).toBe('Profile');
    expect(await page.locator('.customer-head .badge').allTextContents()).toEqual(['Fan', 'New']);
    expect(await page.locator('.timeline-item[data-type="layer_changed"] [data-field="text"]').textContent()).toBe('Visitor → Fan');
    expect(await page.getByRole('button', { name: 'Add note' }).count()).toBe(1);
  });

  it('shows the need keywords asked about, most asked first, and a lost badge with its date', async () => {
    const { app } = harness;
    const lostId = await seedCustomer(app, { key: 'lost', name: '流失客户' });
    await app.customers.countNeeds(lostId, ['面霜', '防晒'], 'e2e-need-1');
    await app.customers.countNeeds(lostId, ['防晒'], 'e2e-need-2');
    await app.customers.countNeeds(lostId, ['防晒'], 'e2e-need-2');
    await app.customers.setLost(lostId, { at: new Date('2030-03-04T02:00:00Z'), botAccountId: 'e2e-bot' });
    const page = await harness.signIn(operator);
    await page.goto(`/console/customers/${lostId}`);
    const needs = page.locator('[data-section="needs"] .bar-row');
    expect(await needs.locator('.bar-label').allTextContents()).toEqual(['防晒', '面霜']);
    expect(await needs.locator('.bar-count').allTextContents()).toEqual(['2 次', '1 次']);
    expect(await page.locator('.customer-head [data-badge="lost"]').textContent()).toBe('流失');
    expect(await page.locator('.lost-detail').textContent()).toBe('2030年3月4日 10:00 删除了品牌好友');
    const profile = await page.request.get(`/api/customers/${lostId}`);
    expect((await profile.json()).customer).toMatchObject({ needs: { 面霜: 1, 防晒: 2 }, lost: { at: '2030-03-04T02:00:00.000Z', botAccountId: 'e2e-bot' } });
    await page.screenshot({ path: '/tmp/console-360-lost.png', fullPage: true });

    await page.goto(`/console/customers/${wangId}`);
    expect(await page.locator('[data-section="needs"]').textContent()).toContain('还没有命中需求关键字');
    expect(await page.locator('[data-badge="lost"]').count()).toBe(0);
  });

  it.each(['ffffffffffffffffffffffff', 'not-an-id'])('answers 404 with a page for customer %s', async (id) => {
    const page = await harness.signIn(operator);
    const response = await page.goto(`/console/customers/${id}`);
    expect(response?.status()).toBe(404);
    expect(await page.locator('h1').textContent()).toBe('找不到这个页面');
    await page.getByRole('link', { name: '返回客户列表' }).click();
    await page.waitForURL('**/console/customers');
  });

  it('looks right', async () => {
    const page = await harness.signIn(operator);
    await page.goto(`/console/customers/${wangId}`);
    await page.screenshot({ path: '/tmp/console-360.png', fullPage: true });
  });

  it('logged no script errors or CSP violations', () => {
    expect(harness.pageErrors).toEqual([]);
  });
});
