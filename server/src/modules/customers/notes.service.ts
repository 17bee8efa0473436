import { Types } from 'mongoose';
import { coalescedFindTop } from '../../lib/coalesced-writes.ts';
import { toObjectId } from '../../lib/object-id.util.ts';
import type { InteractionService } from './interaction.service.ts';
import type { CustomerModels } from './models.ts';

const iso = (date?: Date | null) => (date ? date.toISOString() : null);

type NoteRow = { _id: unknown; body: string; authorName: string; createdAt: Date };
type ReminderRow = { _id: unknown; title: string; dueAt: Date; assigneeId: unknown; done?: boolean | null; doneAt?: Date | null };

/** Operator notes and follow-up reminders on a customer. */
export function createNotesService({ Note, Reminder }: CustomerModels, deps: { interactions: InteractionService }) {
  // Profile pages opened together read their notes and reminders together.
  const newestNotes = coalescedFindTop<NoteRow>(Note, 'customerId', { createdAt: -1, _id: -1 });
  const remindersInOrder = coalescedFindTop<ReminderRow>(Reminder, 'customerId', { done: 1, dueAt: 1, _id: 1 });

  async function addNote(customerId: string, body: string, author: { id: string; name: string }) {
    const note = await Note.create({ customerId, body, authorId: author.id, authorName: author.name });
    await deps.interactions.append({ customerId, type: 'note', summary: body.slice(0, 140), actorId: author.id, data: { noteId: String(note._id) } });
    return { id: String(note._id), body: note.body, authorName: note.authorName, createdAt: note.createdAt.toISOString() };
  }

  async function listNotes(customerId: string, limit = 50) {
    const id = toObjectId(customerId);
    const rows = id ? await newestNotes(String(id), limit) : [];
    return rows.map((row) => ({ id: String(row._id), body: row.body, authorName: row.authorName, createdAt: row.createdAt.toISOString() }));
  }

  function toReminder(row: ReminderRow) {
    return { id: String(row._id), title: row.title, dueAt: row.dueAt.toISOString(), assigneeId: String(row.assigneeId), done: row.done ?? false, doneAt: iso(row.doneAt) };
  }

  async function addReminder(customerId: string, input: { title: string; dueAt: string; assigneeId?: string }, creatorId: string) {
    const reminder = await Reminder.create({ customerId, title: input.title, dueAt: new Date(input.dueAt), assigneeId: input.assigneeId ?? creatorId, createdById: creatorId });
    return toReminder(reminder);
  }

  async function listReminders(customerId: string) {
    const id = toObjectId(customerId);
    const rows = id ? await remindersInOrder(String(id), 100) : [];
    return rows.map(toReminder);
  }

  async function completeReminder(customerId: string, reminderId: string) {
    const row = await Reminder.findOneAndUpdate(
      { _id: reminderId, customerId },
      { $set: { done: true, doneAt: new Date() } },
      { returnDocument: 'after' },
    ).lean();
    return row ? toReminder(row) : null;
  }

  async function reassign(from: Types.ObjectId, to: Types.ObjectId) {
    await Note.updateMany({ customerId: from }, { $set: { customerId: to } });
    await Reminder.updateMany({ customerId: from }, { $set: { customerId: to } });
  }

  return { addNote, listNotes, addReminder, listReminders, completeReminder, reassign };
}

export type NotesService = ReturnType<typeof createNotesService>;
