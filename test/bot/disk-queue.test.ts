import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DiskQueue } from '../../bot/src/disk-queue.ts';
import { tempDir, textEvent } from './helpers.ts';

const ids = (queue: DiskQueue) => [...queue.pending()].map((event) => event.id);

describe('DiskQueue', () => {
  it('keeps appended events in order until each is acked', async () => {
    const queue = await DiskQueue.open(await tempDir());
    for (const n of [1, 2, 3]) await queue.append(textEvent(n));
    expect(ids(queue)).toEqual(['msg:m1', 'msg:m2', 'msg:m3']);

    expect(await queue.ack('msg:m2')).toBe(true);
    expect(await queue.ack('msg:m2')).toBe(false);
    expect(ids(queue)).toEqual(['msg:m1', 'msg:m3']);
    await queue.close();
  });

  it('stores an event id once even when the same WeChat event is appended twice', async () => {
    const queue = await DiskQueue.open(await tempDir());
    await Promise.all([queue.append(textEvent(1)), queue.append(textEvent(1)), queue.append(textEvent(2))]);
    expect(ids(queue)).toEqual(['msg:m1', 'msg:m2']);
    await queue.close();
  });

  it('replays the unacked events in order after a reopen, as after a crash', async () => {
    const dir = await tempDir();
    const first = await DiskQueue.open(dir);
    await Promise.all([1, 2, 3, 4, 5].map((n) => first.append(textEvent(n))));
    await first.ack('msg:m1');
    await first.ack('msg:m4');
    // No close: the process "dies" here, with whatever reached the disk.

    const reopened = await DiskQueue.open(dir);
    expect(ids(reopened)).toEqual(['msg:m2', 'msg:m3', 'msg:m5']);
    expect([...reopened.pending()][0]).toEqual(textEvent(2));
    await reopened.close();
    await first.close();
  });

  it('ignores a line torn by a crash and keeps appending on a clean line', async () => {
    const dir = await tempDir();
    const first = await DiskQueue.open(dir);
    await first.append(textEvent(1));
    await first.close();
    await appendFile(join(dir, 'events.jsonl'), '{"add":{"v":1,"kind":"ev');

    const second = await DiskQueue.open(dir);
    await second.append(textEvent(2));
    await second.close();
    const third = await DiskQueue.open(dir);
    expect(ids(third)).toEqual(['msg:m1', 'msg:m2']);
    await third.close();
  });

  it('compacts the file once enough events are acked, keeping only the unacked ones', async () => {
    const dir = await tempDir();
    const queue = await DiskQueue.open(dir, { compactAfterAcks: 3 });
    for (const n of [1, 2, 3, 4]) await queue.append(textEvent(n));
    for (const id of ['msg:m1', 'msg:m2', 'msg:m3']) await queue.ack(id);

    const lines = (await readFile(join(dir, 'events.jsonl'), 'utf8')).trim().split('\n');
    expect(lines.map((line) => JSON.parse(line))).toEqual([{ add: textEvent(4) }]);
    await queue.close();
    const reopened = await DiskQueue.open(dir);
    expect(ids(reopened)).toEqual(['msg:m4']);
    await reopened.close();
  });

  it('does not show an event as pending before it is on disk', async () => {
    const queue = await DiskQueue.open(await tempDir());
    const appending = queue.append(textEvent(1));
    expect(ids(queue)).toEqual([]);
    await appending;
    expect(ids(queue)).toEqual(['msg:m1']);
    await queue.close();
  });
});
