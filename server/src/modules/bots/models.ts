import type { Connection } from 'mongoose';
import { createBotCommandModel } from './bot-command.model.ts';
import { createBotEventModel } from './bot-event.model.ts';
import { createBotModel } from './bot.model.ts';
import { createBotSettingsModel } from './bot-settings.model.ts';
import { createConversationModel } from './conversation.model.ts';
import { createMessageModel } from './message.model.ts';
import { createRoomMemberModel } from './room-member.model.ts';
import { createRuleModel } from './rule.model.ts';

/** The collections the bots feature owns; other features call its services. */
export function createBotModels(db: Connection) {
  return {
    Bot: createBotModel(db),
    BotEvent: createBotEventModel(db),
    BotCommand: createBotCommandModel(db),
    BotSettings: createBotSettingsModel(db),
    Conversation: createConversationModel(db),
    Message: createMessageModel(db),
    RoomMember: createRoomMemberModel(db),
    Rule: createRuleModel(db),
  };
}

export type BotModels = ReturnType<typeof createBotModels>;
