import type { ContactInfo } from '../../../../shared/src/bot-protocol.ts';

/** How long an auto-reply counts as "recent" for echo detection. */
export const ECHO_WINDOW_MS = 60 * 60_000;

export interface AutoReplyInput {
  fromSelf: boolean;
  contactKind?: ContactInfo['kind'];
  inRoom: boolean;
  mentionSelf: boolean;
  text: string;
  /** Auto-replies already sent in this conversation within max(ECHO_WINDOW_MS, cap window). */
  recentAutoReplies: Array<{ text: string; at: Date }>;
  now: Date;
  cap: { maxPerContact: number; windowMs: number };
}

export type AutoReplyDecision =
  | { reply: true }
  | { reply: false; reason: 'from_self' | 'not_a_person' | 'room_without_mention' | 'echo' | 'capped' };

const normalize = (text: string) => text.replace(/\s+/g, ' ').trim();

/**
 * Whether an inbound message may be auto-replied to. Each guard breaks one kind of loop: our own messages,
 * other bots and official accounts (bot-to-bot ping-pong), a person or bot echoing our reply back, and, whatever
 * slips past those, a cap on replies per conversation and window.
 */
export function decideAutoReply(input: AutoReplyInput): AutoReplyDecision {
  if (input.fromSelf) return { reply: false, reason: 'from_self' };
  if (input.contactKind === 'official' || input.contactKind === 'corporation') return { reply: false, reason: 'not_a_person' };
  if (input.inRoom && !input.mentionSelf) return { reply: false, reason: 'room_without_mention' };
  const text = normalize(input.text);
  const echoSince = input.now.getTime() - ECHO_WINDOW_MS;
  if (input.recentAutoReplies.some((sent) => sent.at.getTime() >= echoSince && normalize(sent.text) === text)) {
    return { reply: false, reason: 'echo' };
  }
  const capSince = input.now.getTime() - input.cap.windowMs;
  const inWindow = input.recentAutoReplies.filter((sent) => sent.at.getTime() >= capSince).length;
  if (inWindow >= input.cap.maxPerContact) return { reply: false, reason: 'capped' };
  return { reply: true };
}
