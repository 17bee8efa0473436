import type { Friendship } from 'wechaty';

const MAX_PENDING = 1_000;
const ACCEPTED_WINDOW_MS = 60 * 60_000;

/**
 * Friendship requests waiting for the server's decision, and contacts the bot has just accepted: those count
 * as friends before the puppet refreshes its payload, and WeChat's later "confirm" for them is not news.
 */
export class FriendshipBook {
  private readonly pending = new Map<string, Friendship>();
  private readonly accepted = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  remember(friendship: Friendship): void {
    this.pending.set(friendship.id, friendship);
    if (this.pending.size <= MAX_PENDING) return;
    const oldest = this.pending.keys().next().value;
    if (oldest !== undefined) this.pending.delete(oldest);
  }

  get(requestId: string): Friendship | undefined {
    return this.pending.get(requestId);
  }

  markAccepted(requestId: string, contactId: string): void {
    this.pending.delete(requestId);
    this.accepted.set(contactId, this.now());
  }

  recentlyAccepted(contactId: string): boolean {
    const at = this.accepted.get(contactId);
    if (at === undefined) return false;
    if (this.now() - at <= ACCEPTED_WINDOW_MS) return true;
    this.accepted.delete(contactId);
    return false;
  }
}
