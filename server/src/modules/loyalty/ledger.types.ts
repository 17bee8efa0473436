import type { Types } from 'mongoose';
import type { EntryStatus, FrozenState, LedgerKind, REJECTION_REASONS } from './points-ledger.model.ts';

/** A ledger entry as stored. */
export interface EntryRecord {
  _id: Types.ObjectId;
  customerId: Types.ObjectId;
  kind: LedgerKind;
  amount: number;
  frozenDelta: number;
  lifetimeDelta: number;
  reason: string;
  idempotencyKey: string;
  status: EntryStatus;
  rejectedReason?: (typeof REJECTION_REASONS)[number];
  balanceAfter?: number;
  at: Date;
  appliedAt?: Date;
  meta?: Record<string, unknown>;
  frozenUntil?: Date;
  frozenState?: FrozenState;
  voidedFrom?: FrozenState;
  relatedEntryId?: Types.ObjectId;
  createdAt: Date;
}

/** A ledger entry as the service returns it. */
export interface LedgerEntry {
  id: string;
  customerId: string;
  kind: LedgerKind;
  amount: number;
  frozenDelta: number;
  reason: string;
  idempotencyKey: string;
  status: EntryStatus;
  balanceAfter: number | null;
  at: Date;
  frozenUntil: Date | null;
  frozenState: FrozenState | null;
  meta: Record<string, unknown> | null;
}

/** What the internal poster accepts: every delta explicit. */
export interface EntryDraft {
  customerId: Types.ObjectId;
  kind: LedgerKind;
  amount: number;
  frozenDelta: number;
  lifetimeDelta: number;
  reason: string;
  idempotencyKey: string;
  at: Date;
  meta?: Record<string, unknown>;
  frozenUntil?: Date;
  frozenState?: FrozenState;
  relatedEntryId?: Types.ObjectId;
}

/** A member's latest check-in: see member.model.ts. */
export interface LastCheckin {
  day: string;
  streak: number;
}

/** The member's counters right after an entry was applied. */
export interface MemberSnapshot {
  customerId: Types.ObjectId;
  balance: number;
  frozen: number;
  lifetimePoints: number;
  tierCode: string;
}

export function toLedgerEntry(record: EntryRecord): LedgerEntry {
  return {
    id: String(record._id),
    customerId: String(record.customerId),
    kind: record.kind,
    amount: record.amount,
    frozenDelta: record.frozenDelta ?? 0,
    reason: record.reason,
    idempotencyKey: record.idempotencyKey,
    status: record.status,
    balanceAfter: record.balanceAfter ?? null,
    at: record.at,
    frozenUntil: record.frozenUntil ?? null,
    frozenState: record.frozenState ?? null,
    meta: record.meta ?? null,
  };
}
