import { describe, expect, it } from 'vitest';
import { ExecutedCommands, INTERRUPTED } from '../../bot/src/executed-commands.ts';
import { tempDir } from './helpers.ts';

describe('ExecutedCommands', () => {
  it('remembers outcomes across a reopen, so a resent command is recognised', async () => {
    const dir = await tempDir();
    const first = await ExecutedCommands.open(dir);
    expect(first.lookup('cmd-1')).toBeUndefined();
    await first.markStarted('cmd-1');
    await first.markFinished('cmd-1', { ok: true });
    await first.markStarted('cmd-2');
    await first.markFinished('cmd-2', { ok: false, reason: 'error', detail: 'boom' });
    await first.close();

    const second = await ExecutedCommands.open(dir);
    expect(second.lookup('cmd-1')).toEqual({ ok: true });
    expect(second.lookup('cmd-2')).toEqual({ ok: false, reason: 'error', detail: 'boom' });
    expect(second.lookup('cmd-3')).toBeUndefined();
    await second.close();
  });

  it('reports a command cut short by a crash as interrupted instead of running it again', async () => {
    const dir = await tempDir();
    const crashed = await ExecutedCommands.open(dir);
    await crashed.markStarted('cmd-1');

    const restarted = await ExecutedCommands.open(dir);
    expect(restarted.lookup('cmd-1')).toEqual(INTERRUPTED);
    await restarted.close();
    await crashed.close();
  });

  it('keeps only the most recent ids once over its limit', async () => {
    const dir = await tempDir();
    const executed = await ExecutedCommands.open(dir, { limit: 3 });
    for (let n = 1; n <= 7; n++) {
      await executed.markStarted(`cmd-${n}`);
      await executed.markFinished(`cmd-${n}`, { ok: true });
    }
    await executed.close();

    const reopened = await ExecutedCommands.open(dir, { limit: 3 });
    expect([1, 2, 3, 4].map((n) => reopened.lookup(`cmd-${n}`))).toEqual([undefined, undefined, undefined, undefined]);
    expect([5, 6, 7].map((n) => reopened.lookup(`cmd-${n}`))).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
    await reopened.close();
  });
});
