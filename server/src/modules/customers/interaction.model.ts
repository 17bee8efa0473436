import { Schema, type Connection, type InferSchemaType } from 'mongoose';

export const INTERACTION_TYPES = [
  'message_in',
  'message_out',
  'follow',
  'unfollow',
  'friend_added',
  'friend_removed',
  'room_joined',
  'room_left',
  'checkin',
  'points',
  'broadcast_received',
  'note',
  'tag_added',
  'tag_removed',
  'layer_changed',
  'profile_updated',
  'merged',
  'imported',
] as const;
export type InteractionType = (typeof INTERACTION_TYPES)[number];

export const interactionSchema = new Schema(
  {
    customerId: { type: Schema.Types.ObjectId, required: true },
    type: { type: String, enum: INTERACTION_TYPES, required: true },
    at: { type: Date, required: true, default: () => new Date() },
    channel: { type: String },
    summary: { type: String },
    data: { type: Schema.Types.Mixed },
    actorId: { type: Schema.Types.ObjectId },
    /** Where the event came from (e.g. a bot event id); unique so a replayed event is stored once. */
    sourceKey: { type: String },
  },
  { collection: 'interactions', versionKey: false },
);
interactionSchema.index({ customerId: 1, at: -1, _id: -1 });
interactionSchema.index({ sourceKey: 1 }, { unique: true, sparse: true });

export type Interaction = InferSchemaType<typeof interactionSchema>;
export const createInteractionModel = (db: Connection) => db.model('Interaction', interactionSchema);
export type InteractionModel = ReturnType<typeof createInteractionModel>;
