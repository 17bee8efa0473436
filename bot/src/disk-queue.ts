import { join } from 'node:path';
import type { BotEvent } from '../../shared/src/bot-protocol.ts';
import { JsonlFile } from './jsonl-file.ts';
import { isBotEvent } from './protocol-validators.ts';

type QueueRecord = { add: BotEvent } | { ack: string };

export interface DiskQueueOptions {
  /** Acks recorded since the last compaction before the file is rewritten with only what is still unacked. */
  compactAfterAcks?: number;
}

const DEFAULT_OPTIONS = { compactAfterAcks: 1000 } satisfies Required<DiskQueueOptions>;

/**
 * Inbound events waiting for the server's ack, in arrival order. An event is fsync'd before it becomes
 * visible to `pending()`, so nothing is sent that a crash could lose; reopening the directory brings back
 * exactly the unacked events.
 */
export class DiskQueue {
  /** Every unacked event in arrival order, including those still being written. */
  private readonly events = new Map<string, BotEvent>();
  private readonly unsynced = new Set<string>();
  private acksSinceCompaction = 0;

  private constructor(
    private readonly file: JsonlFile,
    private readonly options: Required<DiskQueueOptions>,
  ) {}

  static async open(dir: string, options: DiskQueueOptions = {}): Promise<DiskQueue> {
    const { file, records } = await JsonlFile.open(join(dir, 'events.jsonl'));
    const queue = new DiskQueue(file, { ...DEFAULT_OPTIONS, ...options });
    queue.restore(records);
    await queue.compact();
    return queue;
  }

  /** Durably appends the event; an id already queued is ignored, so a re-emitted WeChat event is kept once. */
  async append(event: BotEvent): Promise<void> {
    if (this.events.has(event.id)) return;
    this.events.set(event.id, event);
    this.unsynced.add(event.id);
    await this.file.append([{ add: event }], { durable: true });
    this.unsynced.delete(event.id);
  }

  /** Removes an acked event. Not fsync'd: losing an ack only means one more replay, which the server dedupes. */
  async ack(id: string): Promise<boolean> {
    if (this.unsynced.has(id) || !this.events.delete(id)) return false;
    this.acksSinceCompaction += 1;
    const written = this.file.append([{ ack: id }], { durable: false });
    if (this.acksSinceCompaction >= this.options.compactAfterAcks) return this.compact().then(() => true);
    await written;
    return true;
  }

  /** Unacked events that are safely on disk, oldest first. */
  *pending(): Generator<BotEvent> {
    for (const event of this.events.values()) {
      // Appends are written in order, so nothing after the first unsynced event is on disk yet.
      if (this.unsynced.has(event.id)) return;
      yield event;
    }
  }

  get size(): number {
    return this.events.size - this.unsynced.size;
  }

  close(): Promise<void> {
    return this.file.close();
  }

  private restore(records: unknown[]): void {
    for (const record of records) {
      if (!isQueueRecord(record)) continue;
      if ('add' in record) this.events.set(record.add.id, record.add);
      else this.events.delete(record.ack);
    }
  }

  private async compact(): Promise<void> {
    this.acksSinceCompaction = 0;
    await this.file.rewrite(() => [...this.events.values()].map((event) => ({ add: event })));
  }
}

function isQueueRecord(value: unknown): value is QueueRecord {
  if (typeof value !== 'object' || value === null) return false;
  if ('ack' in value) return typeof value.ack === 'string';
  return 'add' in value && isBotEvent(value.add);
}
