import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { barRects } from '../../miniprogram/utils/bar-rects.ts';
import { encodeCode128 } from '../../miniprogram/utils/code128.ts';
import { startMiniprogramKit, textOf, type MiniprogramKit } from './helpers/mp-kit.ts';

let kit: MiniprogramKit;
beforeAll(async () => {
  kit = await startMiniprogramKit();
});
afterAll(async () => {
  await kit?.shutdown();
});

describe('components/state-view', () => {
  it('shows loading, then an error whose button fires retry', async () => {
    const view = kit.mount('state-view', { status: 'loading' });
    expect(textOf(view, '.state__text')).toBe('加载中…');

    let retries = 0;
    view.addEventListener('retry', () => (retries += 1));
    view.setData({ status: 'error', message: '网络不给力，请检查网络后重试' });
    expect(textOf(view, '.state__text')).toBe('网络不给力，请检查网络后重试');
    await kit.trigger(view, '.state__button');
    expect(retries).toBe(1);
  });

  it('shows an empty state with an optional action', async () => {
    const view = kit.mount('state-view', { status: 'empty', emptyText: '暂无记录', actionText: '去入会' });
    let actions = 0;
    view.addEventListener('action', () => (actions += 1));
    expect(textOf(view, '.state__text')).toBe('暂无记录');
    await kit.trigger(view, '.state__button');
    expect(actions).toBe(1);

    view.setData({ status: 'ready' });
    expect(view.dom?.textContent).toBe('');
  });
});

describe('components/points-badge', () => {
  it('shows spendable points, and frozen ones only when there are some', () => {
    const badge = kit.mount('points-badge', { points: 320 });
    expect(textOf(badge, '.points-badge')).toBe('可用积分320');
    badge.setData({ frozen: 80 });
    expect(textOf(badge, '.points-badge__frozen')).toBe('另有 80 冻结中');
  });
});

describe('components/barcode', () => {
  it('paints one rectangle per Code 128 bar across the canvas', () => {
    const barcode = kit.mount('barcode', { value: '880012345' });
    const widths = encodeCode128('880012345');
    expect(barcode.data.barCount).toBe(Math.ceil(widths.length / 2));

    const painted: Array<[number, number, number, number]> = [];
    const context = { scale() {}, clearRect() {}, fillStyle: '', fillRect: (...rect: [number, number, number, number]) => void painted.push(rect) };
    const canvas = { width: 0, height: 0, getContext: () => context };
    barcode.instance.paint(canvas, 300, 70, widths);

    expect(canvas).toMatchObject({ width: 900, height: 210 });
    expect(painted).toEqual(barRects({ widths, width: 300 }).map((bar) => [bar.x, 0, bar.width, 70]));
  });
});
