import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as Simulate from 'miniprogram-simulate';
import type { RewardInput } from '../../../server/src/modules/rewards/catalog.service.ts';
import { buildMpTestApp, loginConsumer, openid, type MpTestApp } from '../../server/mp/mp-app.ts';
import { compiledMiniprogram } from './compile-miniprogram.ts';
import { installDom } from './dom.ts';
import { installWxFake, type WxFake } from './wx-fake.ts';

export const PAGES = ['card', 'join', 'checkin', 'points', 'rewards', 'reward-detail', 'coupons', 'me'] as const;
export type PageName = (typeof PAGES)[number];
type Data = WechatMiniprogram.Component.DataOption;
/** j-component's root component: `addEventListener` exists at run time but is missing from its typings. */
export type RenderedPage = Simulate.RootComponent<Data, WechatMiniprogram.Component.PropertyOption, WechatMiniprogram.Component.MethodOption> & {
  addEventListener(event: string, handler: (event: { detail: unknown }) => void): void;
};

export interface MiniprogramKit {
  server: MpTestApp;
  wx: WxFake;
  /** The compiled mini-program's root directory. */
  root: string;
  /** Loads, renders and attaches a page, runs onLoad(query) and onShow, and waits for its requests. */
  open(page: PageName, query?: Record<string, string>): Promise<RenderedPage>;
  /**
   * Fires an event on the first element matching the selector (`.a >>> .b` reaches into child components) and
   * waits for what it started. A tap is a user gesture while its handlers run synchronously.
   */
  trigger(page: RenderedPage, selector: string, event?: string, detail?: object): Promise<void>;
  /** Renders and attaches one component of components/ with the given properties. */
  mount(component: string, properties?: Record<string, unknown>): RenderedPage;
  /** Closes a page the way WeChat does: onUnload, then detached. */
  close(page: RenderedPage): void;
  /** A new WeChat user (not yet a customer) whom wx.login signs in from now on. */
  newConsumer(label: string): string;
  /** A new WeChat user who has joined the loyalty program; returns the customer id. */
  newMember(label: string, options?: { points?: number }): Promise<string>;
  givePoints(customerId: string, amount: number): Promise<void>;
  /** A compiled module of the mini-program (e.g. 'services/api'), the same instance its pages use. */
  requireCompiled<T>(modulePath: string): T;
  /** A reward in the catalog (100 points, stock 10 unless told); returns its id. */
  newReward(fields?: Partial<RewardInput>): Promise<string>;
  shutdown(): Promise<void>;
}

export async function startMiniprogramKit(): Promise<MiniprogramKit> {
  installDom();
  const root = compiledMiniprogram();
  const require = createRequire(import.meta.url);
  // Loaded after the DOM exists: the simulator registers built-in components against it.
  const simulate = require('miniprogram-simulate') as typeof Simulate;
  const server = await buildMpTestApp();
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = server.app.server.address() as AddressInfo;
  const wx = installWxFake({ origin: `http://127.0.0.1:${port}`, wechat: server.wechat });
  const opened = new Set<RenderedPage>();

  const kit: MiniprogramKit = {
    server,
    wx,
    root,
    async open(page, query = {}) {
      const id = simulate.load(path.join(root, 'pages', page, 'index'), { rootPath: root });
      const rendered = simulate.render(id) as RenderedPage;
      rendered.attach(document.createElement('parent-wrapper'));
      opened.add(rendered);
      rendered.instance.onLoad?.(query);
      rendered.instance.onShow?.();
      await wx.settle();
      return rendered;
    },
    mount(component, properties = {}) {
      const id = simulate.load(path.join(root, 'components', component, 'index'), { rootPath: root });
      const rendered = simulate.render(id, properties) as RenderedPage;
      rendered.attach(document.createElement('parent-wrapper'));
      return rendered;
    },
    async trigger(page, selector, event = 'tap', detail = {}) {
      const target = page.querySelector(selector);
      if (!target) throw new Error(`nothing matches ${selector}`);
      const dispatch = () => target.dispatchEvent(event, { detail });
      if (event === 'tap') await wx.tap(dispatch);
      else dispatch();
      await wx.settle();
    },
    close(page) {
      if (!opened.delete(page)) return;
      page.instance.onUnload?.();
      page.detach();
    },
    newConsumer(label) {
      const id = openid(label);
      wx.signInAs(id);
      return id;
    },
    async newMember(label, options = {}) {
      const id = kit.newConsumer(label);
      const session = await loginConsumer(server, { openid: id });
      const joined = await session.inject({
        method: 'POST',
        url: '/api/mp/join',
        payload: { phoneCode: server.wechat.phoneCode('13800138000'), acceptTerms: true, termsVersion: 'terms-v1' },
      });
      if (joined.statusCode !== 200) throw new Error(`join failed: ${joined.body}`);
      if (options.points) await kit.givePoints(session.customerId, options.points);
      return session.customerId;
    },
    async givePoints(customerId, amount) {
      await server.app.loyalty.postEntry({ customerId, amount, kind: 'adjust', reason: '测试发放', idempotencyKey: `test:${openid('points')}` });
    },
    async newReward(fields = {}) {
      const reward = await server.app.rewards.createReward({ name: '帆布袋', description: '品牌帆布袋一个', pointsCost: 100, stock: 10, ...fields });
      return reward.id;
    },
    requireCompiled<T>(modulePath: string) {
      return require(path.join(root, `${modulePath}.js`)) as T;
    },
    async shutdown() {
      for (const page of [...opened]) kit.close(page);
      await server.close();
    },
  };
  return kit;
}

/** The rendered text of the first element matching the selector, whitespace collapsed; '' when there is none. */
export function textOf(page: RenderedPage, selector: string): string {
  return (page.querySelector(selector)?.dom?.textContent ?? '').replace(/\s+/g, ' ').trim();
}
