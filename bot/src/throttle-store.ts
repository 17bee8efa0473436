import { join } from 'node:path';
import { JsonlFile } from './jsonl-file.ts';
import { EMPTY_STATE, type ThrottleState } from './send-throttle.ts';

export interface ThrottleStore {
  state: ThrottleState;
  save(state: ThrottleState): Promise<void>;
  close(): Promise<void>;
}

/** Keeps today's counts on disk, so a restarted bot does not start the daily caps afresh. */
export async function openThrottleStore(dir: string): Promise<ThrottleStore> {
  const { file, records } = await JsonlFile.open(join(dir, 'throttle-state.jsonl'));
  const saved = records.at(-1);
  return {
    state: isThrottleState(saved) ? saved : EMPTY_STATE,
    save: (state) => file.rewrite(() => [state]),
    close: () => file.close(),
  };
}

export function memoryThrottleStore(state: ThrottleState = EMPTY_STATE): ThrottleStore {
  return { state, save: async () => {}, close: async () => {} };
}

function isThrottleState(value: unknown): value is ThrottleState {
  if (typeof value !== 'object' || value === null) return false;
  return 'day' in value && typeof value.day === 'string' && 'proactiveSent' in value && typeof value.proactiveSent === 'number'
    && 'unanswered' in value && typeof value.unanswered === 'object' && value.unanswered !== null;
}
