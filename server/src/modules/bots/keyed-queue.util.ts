/**
 * Runs tasks one at a time per key, in the order they were scheduled: a bot's events are applied in the order it
 * sent them, and its outbox is drained by one loop at a time. A failed task does not stop the ones behind it.
 */
export function createKeyedQueue() {
  const tails = new Map<string, Promise<void>>();
  return function schedule<Result>(key: string, task: () => Promise<Result>): Promise<Result> {
    const result = (tails.get(key) ?? Promise.resolve()).then(task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    tails.set(key, tail);
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return result;
  };
}

export type KeyedQueue = ReturnType<typeof createKeyedQueue>;
