import { join } from 'node:path';
import type { Friendship, Wechaty } from 'wechaty';
import { JsonlFile } from './jsonl-file.ts';

const MAX_PENDING = 1_000;
const ACCEPTED_WINDOW_MS = 60 * 60_000;

type StoredRequest = { requestId: string; json: string };

/**
 * Friendship requests waiting for the server's decision, kept on disk so a restarted bot can still accept
 * them; and contacts the bot has just accepted, which count as friends before the puppet refreshes its
 * payload, and whose later "confirm" from WeChat is not news.
 */
export class FriendshipBook {
  private readonly live = new Map<string, Friendship>();
  private readonly stored = new Map<string, string>();
  private readonly accepted = new Map<string, number>();
  private appendsSinceCompaction = 0;

  private constructor(
    private readonly file: JsonlFile,
    private readonly now: () => number,
  ) {}

  static async open(dir: string, now: () => number = Date.now): Promise<FriendshipBook> {
    const { file, records } = await JsonlFile.open(join(dir, 'friendship-requests.jsonl'));
    const book = new FriendshipBook(file, now);
    for (const record of records) if (isStoredRequest(record)) book.store(record.requestId, record.json);
    await book.compact();
    return book;
  }

  async remember(friendship: Friendship): Promise<void> {
    this.live.set(friendship.id, friendship);
    if (this.live.size > MAX_PENDING) this.live.delete(this.live.keys().next().value ?? '');
    const json = friendship.toJSON();
    this.store(friendship.id, json);
    await this.file.append([{ requestId: friendship.id, json }], { durable: true });
    if (++this.appendsSinceCompaction >= MAX_PENDING) await this.compact();
  }

  /** The request as this process saw it, or rebuilt from disk after a restart. */
  async get(requestId: string, bot: Wechaty): Promise<Friendship | undefined> {
    const live = this.live.get(requestId);
    if (live) return live;
    const json = this.stored.get(requestId);
    return json ? bot.Friendship.fromJSON(json) : undefined;
  }

  markAccepted(requestId: string, contactId: string): void {
    this.live.delete(requestId);
    this.stored.delete(requestId);
    this.accepted.set(contactId, this.now());
  }

  recentlyAccepted(contactId: string): boolean {
    const at = this.accepted.get(contactId);
    if (at === undefined) return false;
    if (this.now() - at <= ACCEPTED_WINDOW_MS) return true;
    this.accepted.delete(contactId);
    return false;
  }

  close(): Promise<void> {
    return this.file.close();
  }

  private async compact(): Promise<void> {
    this.appendsSinceCompaction = 0;
    await this.file.rewrite(() => [...this.stored].map(([requestId, json]) => ({ requestId, json })));
  }

  private store(requestId: string, json: string): void {
    this.stored.delete(requestId);
    this.stored.set(requestId, json);
    if (this.stored.size > MAX_PENDING) this.stored.delete(this.stored.keys().next().value ?? '');
  }
}

function isStoredRequest(value: unknown): value is StoredRequest {
  if (typeof value !== 'object' || value === null) return false;
  return 'requestId' in value && typeof value.requestId === 'string' && 'json' in value && typeof value.json === 'string';
}
