import { Schema, type Connection } from 'mongoose';

/** Who is in which group chat, as the bot saw it join and leave. */
export const roomMemberSchema = new Schema(
  {
    botId: { type: Schema.Types.ObjectId, required: true },
    roomId: { type: String, required: true },
    contactId: { type: String, required: true },
    customerId: { type: Schema.Types.ObjectId },
    roomTopic: { type: String },
    active: { type: Boolean, required: true },
    joinedAt: { type: Date },
    leftAt: { type: Date },
  },
  { timestamps: true, collection: 'room_members' },
);
roomMemberSchema.index({ botId: 1, roomId: 1, contactId: 1 }, { unique: true });
roomMemberSchema.index({ customerId: 1 });

export const createRoomMemberModel = (db: Connection) => db.model('RoomMember', roomMemberSchema);
