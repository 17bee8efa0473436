import type { FastifyInstance } from 'fastify';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { Layer } from '../../shared/src/customer.ts';
import type { Role } from '../../server/src/modules/staff/permissions.ts';
import { buildTestApp } from '../helpers/app.ts';

const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'];
export const PASSWORD = 'correct horse battery';

export interface ConsoleHarness {
  app: FastifyInstance;
  browser: Browser;
  baseUrl: string;
  /** Messages the pages logged as errors, CSP violations among them: every test expects none. */
  pageErrors: string[];
  newPage(): Promise<Page>;
  signIn(email: string): Promise<Page>;
  close(): Promise<void>;
}

/** A listening app on its own database and a headless Chromium pointed at it. */
export async function startConsole(): Promise<ConsoleHarness> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`no Chromium at ${CHROMIUM_PATH}: run .ci/install-chromium.sh`);
  // Every test signs in through the real form; the per-IP login limit is not what these tests are about.
  const app = await buildTestApp({ loginRateLimitPerMinute: 1000 });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  const pageErrors: string[] = [];
  const contexts: BrowserContext[] = [];

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1280, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    contexts.push(context);
    // Fail well inside the test's own timeout, with Playwright's message about what it was waiting for.
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      // Error statuses the tests provoke on purpose are logged by Chromium as failed resources; they are not script faults.
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) pageErrors.push(message.text());
    });
    return page;
  }

  async function signIn(email: string): Promise<Page> {
    const page = await newPage();
    await page.goto('/console/login');
    await page.fill('input[name="email"]', email);
    await page.fill('input[name="password"]', PASSWORD);
    await page.click('button[type="submit"]');
    await page.waitForURL('**/console/customers');
    return page;
  }

  async function close(): Promise<void> {
    await Promise.all(contexts.map((context) => context.close()));
    await browser.close();
    await app.close();
  }

  return { app, browser, baseUrl, pageErrors, newPage, signIn, close };
}

let staffCounter = 0;

export async function createStaff(app: FastifyInstance, role: Role, name: string): Promise<string> {
  const email = `${role}${++staffCounter}@e2e.siyu`;
  await app.staff.create({ email, name, role, password: PASSWORD });
  return email;
}

export interface CustomerSeed {
  key: string;
  name?: string;
  nickname?: string;
  phone?: string;
  province?: string;
  city?: string;
  layer?: Layer;
  tags?: string[];
}

export async function seedCustomer(app: FastifyInstance, seed: CustomerSeed): Promise<string> {
  const customer = await app.customers.upsertByIdentity({
    identity: { type: 'bot', accountId: 'e2e', externalId: seed.key },
    profile: { name: seed.name, nickname: seed.nickname, phone: seed.phone, region: { province: seed.province, city: seed.city } },
    layer: seed.layer,
  });
  const id = String(customer._id);
  if (seed.tags?.length) await app.customers.addTags(id, seed.tags);
  return id;
}

/** A customer enrolled in the loyalty program holding `points` spendable points; returns its id and card number. */
export async function seedMember(app: FastifyInstance, seed: CustomerSeed & { points?: number }): Promise<{ customerId: string; cardNumber: string }> {
  const customerId = await seedCustomer(app, seed);
  const { cardNumber } = await app.loyalty.enroll({ customerId });
  if (seed.points) {
    await app.loyalty.postEntry({ customerId, amount: seed.points, kind: 'earn', reason: '开卡礼', idempotencyKey: `seed:${customerId}` });
  }
  return { customerId, cardNumber };
}
