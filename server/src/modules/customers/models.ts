import type { Connection } from 'mongoose';
import { createCustomerModel } from './customer.model.ts';
import { createInteractionModel } from './interaction.model.ts';
import { createNoteModel } from './note.model.ts';
import { createReminderModel } from './reminder.model.ts';
import { createTagModel } from './tag.model.ts';

/** The collections this feature owns, created once per connection and shared by its services only. */
export function createCustomerModels(db: Connection) {
  return {
    Customer: createCustomerModel(db),
    Interaction: createInteractionModel(db),
    Note: createNoteModel(db),
    Reminder: createReminderModel(db),
    Tag: createTagModel(db),
  };
}

export type CustomerModels = ReturnType<typeof createCustomerModels>;
