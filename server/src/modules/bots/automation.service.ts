import type { Types } from 'mongoose';
import { layerRank, type Layer } from '../../../../shared/src/customer.ts';
import type { ContactInfo } from '../../../../shared/src/bot-protocol.ts';
import type { CustomerRecord } from '../customers/customer-dto.util.ts';
import type { CustomerService } from '../customers/customer.service.ts';
import type { BotSettingsService } from './bot-settings.service.ts';
import { commandIdFor } from './command-id.util.ts';
import type { ConversationService } from './conversation.service.ts';
import { decideAutoReply, ECHO_WINDOW_MS, type AutoReplyDecision } from './decide-auto-reply.util.ts';
import type { ReplyTemplate, TemplateVariables } from './reply-template.util.ts';
import type { RulesService } from './rules.service.ts';

const MAX_TEXT = 4000;

export interface InboundMessage {
  botId: string;
  eventId: string;
  sourceKey: string;
  customer: CustomerRecord;
  conversationId: Types.ObjectId;
  text: string;
  contactKind?: ContactInfo['kind'];
  inRoom: boolean;
  mentionSelf: boolean;
}

/** What the operators' rules do with a captured message or a new friend: tags, need counts, replies. */
export function createAutomationService(deps: {
  customers: CustomerService;
  rules: RulesService;
  botSettings: BotSettingsService;
  conversations: ConversationService;
  brandName: () => Promise<string>;
}) {
  async function variablesOf(customer: CustomerRecord): Promise<TemplateVariables> {
    const nickname = customer.nickname ?? '';
    return { nickname, name: customer.name || nickname, remark: customer.remark ?? '', brandName: await deps.brandName() };
  }

  async function render(template: ReplyTemplate, customer: CustomerRecord): Promise<string> {
    return template(await variablesOf(customer)).trim().slice(0, MAX_TEXT);
  }

  async function raiseTo(customer: CustomerRecord, layer: Layer, reason: string): Promise<void> {
    if (layerRank(customer.layer as Layer) < layerRank(layer)) await deps.customers.raiseLayer(customer._id, layer, reason);
  }

  /** Tags and need counts for any inbound text; an auto-reply only when every loop guard allows it. */
  async function onInboundMessage(message: InboundMessage): Promise<AutoReplyDecision | null> {
    if (!message.text) return null;
    const match = await deps.rules.matchMessage(message.text);
    const customerId = String(message.customer._id);
    if (match.tags.length) await deps.customers.addTags(customerId, match.tags);
    if (match.needs.length) await deps.customers.countNeeds(customerId, match.needs, message.sourceKey);
    if (!match.reply) return null;
    const settings = await deps.botSettings.get();
    const now = new Date();
    const windowMs = settings.autoReply.windowMinutes * 60_000;
    const recentAutoReplies = await deps.conversations.recentAutoReplies(message.conversationId, new Date(now.getTime() - Math.max(windowMs, ECHO_WINDOW_MS)));
    const decision = decideAutoReply({
      fromSelf: false,
      contactKind: message.contactKind,
      inRoom: message.inRoom,
      mentionSelf: message.mentionSelf,
      text: message.text,
      recentAutoReplies,
      now,
      cap: { maxPerContact: settings.autoReply.maxPerContact, windowMs },
    });
    if (!decision.reply) return decision;
    const text = await render(match.reply.template, message.customer);
    if (!text) return decision;
    await deps.conversations.send(String(message.conversationId), {
      content: { type: 'text', text },
      purpose: 'reply',
      commandId: commandIdFor({ purpose: 'reply', botId: message.botId, eventId: message.eventId }),
      autoReply: true,
      ruleId: match.reply.ruleId,
    });
    return decision;
  }

  /** The welcome message for a new friend, once per friend_added event. */
  async function welcome(input: { botId: string; eventId: string; customer: CustomerRecord; conversationId: Types.ObjectId; contactKind?: ContactInfo['kind'] }) {
    if (input.contactKind === 'official' || input.contactKind === 'corporation') return;
    const rule = await deps.rules.welcome();
    if (!rule) return;
    const text = await render(rule.template, input.customer);
    if (!text) return;
    await deps.conversations.send(String(input.conversationId), {
      content: { type: 'text', text },
      purpose: 'reply',
      commandId: commandIdFor({ purpose: 'welcome', botId: input.botId, eventId: input.eventId }),
      autoReply: true,
      ruleId: rule.ruleId,
    });
  }

  return { onInboundMessage, welcome, raiseTo };
}

export type AutomationService = ReturnType<typeof createAutomationService>;
