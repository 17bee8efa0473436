import { Types } from 'mongoose';
import { coalescedFindTop, coalescedInsert } from '../../lib/coalesced-writes.ts';
import { decodeCursor, encodeCursor } from '../../lib/cursor.util.ts';
import type { InteractionType } from './interaction.model.ts';
import type { CustomerModels } from './models.ts';

export interface NewInteraction {
  customerId: string | Types.ObjectId;
  type: InteractionType;
  at?: Date;
  channel?: string;
  summary?: string;
  data?: Record<string, unknown>;
  actorId?: string;
  sourceKey?: string;
}

type InteractionRow = { _id: Types.ObjectId; type: InteractionType; at: Date; channel?: string | null; summary?: string | null; data?: unknown };

export function createInteractionService({ Interaction }: CustomerModels) {
  const insert = coalescedInsert(Interaction, { typed: true });
  // First pages (the profile's) opened together are read together; later pages have their own cursor.
  const newest = coalescedFindTop<InteractionRow>(Interaction, 'customerId', { at: -1, _id: -1 });

  function toDocument(entry: NewInteraction) {
    return {
      customerId: new Types.ObjectId(String(entry.customerId)),
      type: entry.type,
      at: entry.at ?? new Date(),
      channel: entry.channel,
      summary: entry.summary,
      data: entry.data,
      actorId: entry.actorId ? new Types.ObjectId(entry.actorId) : undefined,
      sourceKey: entry.sourceKey,
    };
  }

  /** Appends one entry; returns false when an entry with the same sourceKey already exists (a replay). */
  async function append(entry: NewInteraction): Promise<boolean> {
    try {
      await insert(toDocument(entry));
      return true;
    } catch (error) {
      if ((error as { code?: number }).code === 11000 && entry.sourceKey) return false;
      throw error;
    }
  }

  async function appendMany(entries: NewInteraction[]): Promise<void> {
    if (entries.length) await Interaction.insertMany(entries.map(toDocument), { ordered: false });
  }

  async function page(customerId: string, query: { cursor?: string; limit: number; type?: string }) {
    const filter: Record<string, unknown> = { customerId: new Types.ObjectId(customerId) };
    if (query.type) filter.type = query.type;
    if (query.cursor) {
      const after = decodeCursor(query.cursor);
      const at = new Date(Number(after.value));
      const id = new Types.ObjectId(after.id);
      filter.$or = [{ at: { $lt: at } }, { at, _id: { $lt: id } }];
    }
    const rows =
      query.cursor || query.type
        ? await Interaction.find(filter).sort({ at: -1, _id: -1 }).limit(query.limit + 1).lean<InteractionRow[]>()
        : await newest(String(filter.customerId), query.limit + 1);
    const items = rows.slice(0, query.limit);
    const last = items.at(-1);
    return {
      items: items.map((row) => ({
        id: String(row._id),
        type: row.type,
        at: row.at.toISOString(),
        channel: row.channel ?? null,
        summary: row.summary ?? null,
        data: row.data ?? null,
      })),
      nextCursor: rows.length > query.limit && last ? encodeCursor({ id: String(last._id), value: last.at.getTime() }) : null,
    };
  }

  async function reassign(fromCustomerId: Types.ObjectId, toCustomerId: Types.ObjectId): Promise<number> {
    const result = await Interaction.updateMany({ customerId: fromCustomerId }, { $set: { customerId: toCustomerId } });
    return result.modifiedCount;
  }

  return { append, appendMany, page, reassign };
}

export type InteractionService = ReturnType<typeof createInteractionService>;
