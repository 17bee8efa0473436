import { Schema, type Connection } from 'mongoose';

export const reminderSchema = new Schema(
  {
    customerId: { type: Schema.Types.ObjectId, required: true },
    title: { type: String, required: true },
    dueAt: { type: Date, required: true },
    assigneeId: { type: Schema.Types.ObjectId, required: true },
    createdById: { type: Schema.Types.ObjectId, required: true },
    done: { type: Boolean, default: false },
    doneAt: { type: Date },
  },
  { timestamps: true, collection: 'reminders' },
);
reminderSchema.index({ customerId: 1, dueAt: 1 });
reminderSchema.index({ assigneeId: 1, done: 1, dueAt: 1 });

export const createReminderModel = (db: Connection) => db.model('Reminder', reminderSchema);
