import type { MergeHandler } from '../customers/merge.service.ts';
import type { BotModels } from './models.ts';

/**
 * When two customer records merge, the survivor's inbox shows the source's chats at once, not only after their
 * next message: direct conversations, their messages and room memberships move over. Messages are found through
 * their conversations (indexed), not by customer. Room transcripts keep who said what at the time.
 */
export function createMergeConversations({ Conversation, Message, RoomMember }: BotModels): MergeHandler {
  return async function mergeConversations({ sourceId, targetId }) {
    const direct = await Conversation.find({ customerId: sourceId, kind: 'direct' }, { _id: 1 }).lean();
    const conversationIds = direct.map((conversation) => conversation._id);
    if (conversationIds.length) {
      await Message.updateMany({ conversationId: { $in: conversationIds }, customerId: sourceId }, { $set: { customerId: targetId } });
      await Conversation.updateMany({ _id: { $in: conversationIds } }, { $set: { customerId: targetId } });
    }
    await RoomMember.updateMany({ customerId: sourceId }, { $set: { customerId: targetId } });
  };
}
