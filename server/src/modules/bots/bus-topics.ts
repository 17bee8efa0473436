import type { BotStatusFrame } from '../../../../shared/src/bot-protocol.ts';
import type { MessageDto } from './conversation-dto.util.ts';

export interface BotStatusEvent {
  botId: string;
  status: BotStatusFrame['status'];
  since: string;
  online: boolean;
  account: { id: string; name: string } | null;
  qrcode: string | null;
}

/** A message appended to a conversation or whose delivery status changed: the agent inbox listens. */
export interface ConversationMessageEvent {
  conversationId: string;
  botId: string;
  customerId: string | null;
  message: MessageDto;
}

export interface BotCommandSettledEvent {
  botId: string;
  commandId: string;
  status: 'acked' | 'failed';
  reason: string | null;
  messageId: string | null;
}

export interface CustomerLostEvent {
  customerId: string;
  botId: string;
  ownerStaffId: string;
  at: string;
}

declare module '../../plugins/bus.ts' {
  interface BusTopics {
    'bot.status': BotStatusEvent;
    /** Commands are waiting for the bot: the instance holding its socket sends them. */
    'bot.outbox': { botId: string };
    'bot.revoked': { botId: string };
    'bot.command.settled': BotCommandSettledEvent;
    'conversation.message': ConversationMessageEvent;
    'customer.lost': CustomerLostEvent;
  }
}
