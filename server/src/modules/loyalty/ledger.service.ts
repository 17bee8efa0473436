import { Types } from 'mongoose';
import { coalescedInsert, coalescedUpdate } from '../../lib/coalesced-writes.ts';
import { decodeCursor, encodeCursor } from '../../lib/cursor.util.ts';
import { DomainError } from '../../lib/errors.ts';
import { isDuplicateKey } from './is-duplicate-key.util.ts';
import { toLedgerEntry, type EntryDraft, type EntryRecord, type LedgerEntry, type MemberSnapshot } from './ledger.types.ts';
import type { LoyaltyModels } from './models.ts';
import { createMemberApplier, type ApplyOptions } from './apply-to-members.ts';
import { ENTRY_KINDS, type EntryKind, type REJECTION_REASONS } from './points-ledger.model.ts';
import { toObjectId } from '../../lib/object-id.util.ts';

export interface PostEntryInput {
  customerId: string | Types.ObjectId;
  /** Integer: + earn, − spend. */
  amount: number;
  kind: EntryKind;
  reason: string;
  /** The same key always means the same operation: a retry returns the first outcome and moves no points. */
  idempotencyKey: string;
  /** Earned points not spendable until then (released by the `loyalty.release-frozen` job). */
  frozenUntil?: Date;
  meta?: Record<string, unknown>;
  at?: Date;
}

const MAX_POINTS = 1_000_000_000;
/** Kinds that count towards lifetime points (and so tiers); adjustments and refunds of spends do not. */
const EARNING_KINDS = new Set<EntryKind>(['earn', 'purchase', 'checkin', 'referral']);
const REJECTION_ERRORS: Record<(typeof REJECTION_REASONS)[number], () => DomainError> = {
  INSUFFICIENT_POINTS: () => new DomainError('INSUFFICIENT_POINTS'),
  NOT_A_MEMBER: () => new DomainError('NOT_A_MEMBER'),
  STALE: () => new DomainError('CONFLICT', 'the operation was interrupted for too long; retry with a new idempotency key'),
};

export type OnApplied = (entry: EntryRecord, member: MemberSnapshot) => Promise<void>;

/**
 * The points ledger: the one way points move. No transactions, so each posting is two single-document writes
 * made safe by ids: (1) insert the entry, unique on its idempotency key, as 'pending'; (2) apply it to the member
 * with one conditional atomic update that also pushes the entry's id into `appliedEntryIds` — the update only
 * matches while that id is absent, so nothing is applied twice; the updates of a tick go as one bulk write
 * (apply-to-members.ts) — then mark the entry 'applied'. A crash after
 * (1) leaves a pending entry that reconcile applies; a crash after (2) leaves an id on the member that reconcile
 * reads as "applied". Either way no point is created or lost.
 */
export function createLedgerService(models: LoyaltyModels, hooks: { onApplied: OnApplied }) {
  const { Member, PointsEntry } = models;
  // Concurrent postings (check-ins, redemptions) share bulk commands for their inserts, applies and marks.
  const insertEntry = coalescedInsert<EntryRecord>(PointsEntry, { typed: true });
  const markEntry = coalescedUpdate(PointsEntry, { typed: true });
  const applyToMember = createMemberApplier(models);

  async function reject(entry: EntryRecord, reason: (typeof REJECTION_REASONS)[number]): Promise<never> {
    await PointsEntry.updateOne({ _id: entry._id, status: 'pending' }, { $set: { status: 'rejected', rejectedReason: reason } });
    throw REJECTION_ERRORS[reason]();
  }

  /**
   * Applies a pending entry, or finds out why it cannot be. Safe to run any number of times, concurrently too.
   * `options.expected`: the member's counters as the caller just read them, which saves reading them back when
   * unchanged (see apply-to-members.ts).
   */
  async function settle(entry: EntryRecord, options?: ApplyOptions): Promise<EntryRecord> {
    const member = await applyToMember(entry, options);
    if (member) {
      const applied = { ...entry, status: 'applied' as const, balanceAfter: member.balance, appliedAt: new Date() };
      // The member document is the truth: even an entry a concurrent retry marked rejected becomes applied here.
      await Promise.all([
        markEntry(
          { _id: entry._id, status: { $ne: 'applied' } },
          { $set: { status: 'applied', balanceAfter: member.balance, appliedAt: applied.appliedAt }, $unset: { rejectedReason: 1 } },
        ),
        hooks.onApplied(applied, member),
      ]);
      return applied;
    }
    const current = await Member.findOne({ customerId: entry.customerId }, { appliedThrough: 1 }).lean();
    if (!current) return reject(entry, 'NOT_A_MEMBER');
    if (await Member.exists({ _id: current._id, appliedEntryIds: entry._id })) {
      const fresh = await PointsEntry.findById(entry._id).lean<EntryRecord>();
      return { ...(fresh ?? entry), status: 'applied' };
    }
    if (entry._id.toHexString() <= current.appliedThrough.toHexString()) {
      return reject(entry, 'STALE');
    }
    return reject(entry, 'INSUFFICIENT_POINTS');
  }

  /** The outcome of an entry that already exists: its result, or (still pending) an attempt to finish it. */
  async function settleExisting(entry: EntryRecord): Promise<EntryRecord> {
    if (entry.status === 'applied') return entry;
    if (entry.status === 'rejected') throw REJECTION_ERRORS[entry.rejectedReason ?? 'INSUFFICIENT_POINTS']();
    return settle(entry);
  }

  /** The first write alone: the entry, pending. Throws the duplicate key error when the key exists. */
  async function insertPending(draft: EntryDraft): Promise<EntryRecord> {
    return insertEntry({ ...draft, status: 'pending' });
  }

  /** Posts an entry with every delta explicit (internal: releases, refunds, and the public `postEntry`). */
  async function post(draft: EntryDraft): Promise<{ entry: EntryRecord; created: boolean }> {
    let record: EntryRecord;
    try {
      record = await insertPending(draft);
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      const existing = await PointsEntry.findOne({ idempotencyKey: draft.idempotencyKey }).lean<EntryRecord>();
      if (!existing) throw error;
      if (!existing.customerId.equals(draft.customerId) || existing.kind !== draft.kind) throw new DomainError('IDEMPOTENCY_KEY_REUSED');
      return { entry: await settleExisting(existing), created: false };
    }
    return { entry: await settle(record), created: true };
  }

  function validated(input: PostEntryInput): EntryDraft {
    const customerId = toObjectId(input.customerId);
    if (!customerId) throw new DomainError('NOT_A_MEMBER');
    const problems: Array<[string, boolean]> = [
      ['/amount', !Number.isSafeInteger(input.amount) || input.amount === 0 || Math.abs(input.amount) > MAX_POINTS],
      ['/kind', !(ENTRY_KINDS as readonly string[]).includes(input.kind)],
      ['/reason', typeof input.reason !== 'string' || input.reason.length === 0 || input.reason.length > 200],
      ['/idempotencyKey', typeof input.idempotencyKey !== 'string' || input.idempotencyKey.length === 0 || input.idempotencyKey.length > 200],
      ['/frozenUntil', input.frozenUntil !== undefined && (input.amount <= 0 || Number.isNaN(input.frozenUntil.getTime()))],
    ];
    const errors = problems.filter(([, bad]) => bad).map(([path]) => ({ path, message: 'not valid' }));
    if (errors.length) throw new DomainError('VALIDATION_FAILED', 'ledger entry is not valid', errors);
    const frozen = input.frozenUntil !== undefined;
    return {
      customerId,
      kind: input.kind,
      amount: input.amount,
      frozenDelta: frozen ? input.amount : 0,
      lifetimeDelta: input.amount > 0 && EARNING_KINDS.has(input.kind) ? input.amount : 0,
      reason: input.reason,
      idempotencyKey: input.idempotencyKey,
      at: input.at ?? new Date(),
      meta: input.meta,
      ...(frozen ? { frozenUntil: input.frozenUntil, frozenState: 'frozen' as const } : {}),
    };
  }

  /** The one way points move. Throws INSUFFICIENT_POINTS (spend not covered), NOT_A_MEMBER, IDEMPOTENCY_KEY_REUSED. */
  async function postEntry(input: PostEntryInput): Promise<LedgerEntry> {
    const { entry } = await post(validated(input));
    return toLedgerEntry(entry);
  }

  async function findByKey(idempotencyKey: string): Promise<EntryRecord | null> {
    return PointsEntry.findOne({ idempotencyKey }).lean<EntryRecord>();
  }

  /** Applied entries, newest first. */
  async function ledger(query: { customerId: string; cursor?: string; limit: number }): Promise<{ items: LedgerEntry[]; nextCursor: string | null }> {
    const customerId = toObjectId(query.customerId);
    if (!customerId) return { items: [], nextCursor: null };
    const filter: Record<string, unknown> = { customerId, status: 'applied' };
    if (query.cursor) filter._id = { $lt: new Types.ObjectId(decodeCursor(query.cursor).id) };
    const rows = await PointsEntry.find(filter).sort({ _id: -1 }).limit(query.limit + 1).lean<EntryRecord[]>();
    const items = rows.slice(0, query.limit);
    const last = items.at(-1);
    return { items: items.map(toLedgerEntry), nextCursor: rows.length > query.limit && last ? encodeCursor({ id: String(last._id) }) : null };
  }

  return { post, postEntry, insertPending, settle, settleExisting, findByKey, ledger };
}

export type LedgerService = ReturnType<typeof createLedgerService>;
