import { Schema, type Connection } from 'mongoose';

export const noteSchema = new Schema(
  {
    customerId: { type: Schema.Types.ObjectId, required: true },
    authorId: { type: Schema.Types.ObjectId, required: true },
    authorName: { type: String, required: true },
    body: { type: String, required: true },
  },
  { timestamps: true, collection: 'notes' },
);
noteSchema.index({ customerId: 1, createdAt: -1 });

export const createNoteModel = (db: Connection) => db.model('Note', noteSchema);
