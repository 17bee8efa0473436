import type { SendContent } from '../../shared/src/bot-protocol.ts';

const WINDOW_MS = 2 * 60_000;

interface Echo {
  key: string;
  at: number;
}

/**
 * Messages the bot sent because the server asked. Most puppets report them back as messages from the brand
 * account; the server stored them already when it queued the command, so those echoes are not forwarded.
 */
export class SentEchoes {
  private readonly recent: Echo[] = [];
  private readonly messageIds = new Set<string>();

  constructor(private readonly now: () => number = Date.now) {}

  remember(conversationId: string, content: SendContent, messageId?: string): void {
    this.prune();
    if (messageId) this.messageIds.add(messageId);
    this.recent.push({ key: echoKey(conversationId, content.type, content.type === 'text' ? content.text : ''), at: this.now() });
  }

  /** True (once) when the message is the echo of a send the bot made. */
  consume(message: { messageId: string; conversationId: string; messageType: string; text?: string }): boolean {
    this.prune();
    if (this.messageIds.delete(message.messageId)) return true;
    const key = echoKey(message.conversationId, message.messageType, message.messageType === 'text' ? (message.text ?? '') : '');
    const index = this.recent.findIndex((echo) => echo.key === key);
    if (index === -1) return false;
    this.recent.splice(index, 1);
    return true;
  }

  private prune(): void {
    const cutoff = this.now() - WINDOW_MS;
    while (this.recent.length > 0 && this.recent[0].at < cutoff) this.recent.shift();
    if (this.messageIds.size > 10_000) this.messageIds.clear();
  }
}

function echoKey(conversationId: string, type: string, text: string): string {
  return `${conversationId}\u0000${type}\u0000${text}`;
}
