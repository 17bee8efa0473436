import { createKeyedQueue } from './keyed-queue.util.ts';

const settle = () => undefined;

/**
 * Orders a bot's frames without serialising all of them: events of one conversation (a contact or a room) run one
 * at a time in arrival order, so its seq follows the send order, while different conversations run side by side.
 * `alone` is a barrier for frames that change how later ones are read (the welcome, a login status with the account
 * id): it waits for every earlier frame of the bot and holds back every later one.
 */
export function createFrameScheduler() {
  const lanes = createKeyedQueue();
  const barriers = new Map<string, Promise<void>>();
  const running = new Map<string, Set<Promise<void>>>();

  function track(botId: string, task: Promise<unknown>): void {
    const settled = task.then(settle, settle);
    const set = running.get(botId) ?? new Set();
    running.set(botId, set.add(settled));
    void settled.then(() => {
      set.delete(settled);
      if (!set.size && running.get(botId) === set) running.delete(botId);
    });
  }

  function inLane<Result>(botId: string, lane: string, task: () => Promise<Result>): Promise<Result> {
    const gate = barriers.get(botId);
    const result = lanes(`${botId}\u0000${lane}`, async () => {
      await gate;
      return task();
    });
    track(botId, result);
    return result;
  }

  function alone<Result>(botId: string, task: () => Promise<Result>): Promise<Result> {
    const earlier = [...(running.get(botId) ?? [])];
    const gate = barriers.get(botId);
    const result = (async () => {
      await gate;
      await Promise.all(earlier);
      return task();
    })();
    const barrier = result.then(settle, settle);
    barriers.set(botId, barrier);
    void barrier.then(() => {
      if (barriers.get(botId) === barrier) barriers.delete(botId);
    });
    track(botId, result);
    return result;
  }

  return { inLane, alone };
}
