import { createHash } from 'node:crypto';

/**
 * The id of a command the server derives from an event (auto-reply, welcome, accept): the same event replayed
 * yields the same id, so the outbox stores the command once. Hashed to stay within the protocol's 128 characters.
 */
export function commandIdFor(input: { purpose: string; botId: string; eventId: string }): string {
  const digest = createHash('sha256').update(`${input.botId}\u0000${input.eventId}`).digest('base64url').slice(0, 32);
  return `${input.purpose}-${digest}`;
}
