import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { BOT_PROTOCOL_VERSION, type BotEvent } from '../../shared/src/bot-protocol.ts';

const dirs: string[] = [];

/** A fresh data directory, removed when the file's tests are done. */
export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'siyu-bot-'));
  dirs.push(dir);
  return dir;
}

afterAll(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

export function textEvent(n: number, text = `hello ${n}`): BotEvent {
  return {
    v: BOT_PROTOCOL_VERSION,
    kind: 'event',
    id: `msg:m${n}`,
    type: 'message',
    at: new Date(Date.UTC(2026, 10, 25, 12, 0, n)).toISOString(),
    payload: { messageId: `m${n}`, contact: { id: 'c1', name: '小红' }, mentionSelf: false, fromSelf: false, messageType: 'text', text },
  };
}
