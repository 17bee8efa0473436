import { describe, expect, it } from 'vitest';
import { createFrameScheduler } from '../../../server/src/modules/bots/frame-scheduler.util.ts';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

describe('createFrameScheduler', () => {
  it('runs one lane in order and lets other lanes pass a slow one', async () => {
    const frames = createFrameScheduler();
    const order: string[] = [];
    const slow = deferred();
    const first = frames.inLane('bot', 'contact:a', async () => {
      await slow.promise;
      order.push('a1');
    });
    const second = frames.inLane('bot', 'contact:a', async () => void order.push('a2'));
    await frames.inLane('bot', 'contact:b', async () => void order.push('b1'));
    expect(order).toEqual(['b1']);
    slow.resolve();
    await Promise.all([first, second]);
    expect(order).toEqual(['b1', 'a1', 'a2']);
  });

  it('runs a barrier after every earlier frame of the bot and before every later one', async () => {
    const frames = createFrameScheduler();
    const order: string[] = [];
    const slow = deferred();
    const early = frames.inLane('bot', 'contact:a', async () => {
      await slow.promise;
      order.push('early');
    });
    const barrier = frames.alone('bot', async () => void order.push('status'));
    const late = frames.inLane('bot', 'contact:b', async () => void order.push('late'));
    const otherBot = frames.inLane('other', 'contact:b', async () => void order.push('other bot'));
    await otherBot;
    expect(order).toEqual(['other bot']);
    slow.resolve();
    await Promise.all([early, barrier, late]);
    expect(order).toEqual(['other bot', 'early', 'status', 'late']);
  });

  it('keeps going after a failed frame', async () => {
    const frames = createFrameScheduler();
    await expect(frames.inLane('bot', 'x', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(frames.alone('bot', async () => 'after')).resolves.toBe('after');
    await expect(frames.inLane('bot', 'x', async () => 'next')).resolves.toBe('next');
  });
});
