import { Schema, type Connection } from 'mongoose';

/** The tag catalogue: which group each tag belongs to. Customers carry tag names. */
export const tagSchema = new Schema(
  {
    name: { type: String, required: true, trim: true },
    group: { type: String, required: true, default: '未分组' },
  },
  { timestamps: true, collection: 'tags' },
);
tagSchema.index({ name: 1 }, { unique: true });
tagSchema.index({ group: 1, name: 1 });

export const createTagModel = (db: Connection) => db.model('Tag', tagSchema);
