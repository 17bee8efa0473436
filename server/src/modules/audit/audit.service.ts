import type { Connection } from 'mongoose';
import { Types } from 'mongoose';
import { decodeCursor, encodeCursor } from '../../lib/cursor.util.ts';
import { createAuditModel } from './audit.model.ts';

export interface AuditActor {
  id: string;
  email: string;
  role: string;
}

export interface AuditRecord {
  actor?: AuditActor;
  action: string;
  outcome: 'ok' | 'denied' | 'failed';
  targetType?: string;
  targetId?: string;
  before?: unknown;
  after?: unknown;
  detail?: string;
  ip?: string;
  requestId?: string;
}

export function createAuditService(db: Connection) {
  const AuditEntry = createAuditModel(db);

  async function record(entry: AuditRecord): Promise<void> {
    await AuditEntry.create({
      actorId: entry.actor ? new Types.ObjectId(entry.actor.id) : undefined,
      actorEmail: entry.actor?.email,
      actorRole: entry.actor?.role,
      action: entry.action,
      outcome: entry.outcome,
      targetType: entry.targetType,
      targetId: entry.targetId,
      before: entry.before,
      after: entry.after,
      detail: entry.detail,
      ip: entry.ip,
      requestId: entry.requestId,
    });
  }

  async function list(query: { cursor?: string; limit: number; actorId?: string; outcome?: string }) {
    const filter: Record<string, unknown> = {};
    if (query.actorId) filter.actorId = new Types.ObjectId(query.actorId);
    if (query.outcome) filter.outcome = query.outcome;
    const after = query.cursor ? decodeCursor(query.cursor) : null;
    if (after) filter._id = { $lt: new Types.ObjectId(after.id) };
    const rows = await AuditEntry.find(filter).sort({ _id: -1 }).limit(query.limit + 1).lean();
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return {
      items: page.map((row) => ({
        id: String(row._id),
        at: row.at.toISOString(),
        actorEmail: row.actorEmail ?? null,
        actorRole: row.actorRole ?? null,
        action: row.action,
        outcome: row.outcome,
        targetType: row.targetType ?? null,
        targetId: row.targetId ?? null,
        before: row.before ?? null,
        after: row.after ?? null,
        detail: row.detail ?? null,
        ip: row.ip ?? null,
      })),
      nextCursor: rows.length > query.limit && last ? encodeCursor({ id: String(last._id) }) : null,
    };
  }

  return { record, list };
}

export type AuditService = ReturnType<typeof createAuditService>;
