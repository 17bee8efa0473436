import type { Types } from 'mongoose';
import { lifecycleStage, type LifecycleThresholds } from './lifecycle.util.ts';
import type { Customer } from './customer.model.ts';
import { maskPhone } from './phone.util.ts';

export type CustomerRecord = Customer & { _id: Types.ObjectId; createdAt: Date; updatedAt: Date };

export interface DtoContext {
  now: Date;
  thresholds: LifecycleThresholds;
  /** Roles without customers:phone see a masked number. */
  revealPhone: boolean;
}

const iso = (date?: Date | null) => (date ? date.toISOString() : null);

/** A lean read gives the `needs` Map as a plain object, a document gives a Map: both become a plain record. */
function needCounts(needs: unknown): Record<string, number> {
  if (!needs) return {};
  return Object.fromEntries(needs instanceof Map ? needs : Object.entries(needs as Record<string, number>));
}

export function toCustomerSummary(doc: CustomerRecord, context: DtoContext) {
  return {
    id: String(doc._id),
    name: doc.name ?? null,
    nickname: doc.nickname ?? null,
    avatarUrl: doc.avatarUrl ?? null,
    gender: doc.gender ?? 'unknown',
    region: { ...(doc.region ?? {}) } as { country?: string; province?: string; city?: string },
    phone: doc.phone ? (context.revealPhone ? doc.phone : maskPhone(doc.phone)) : null,
    layer: doc.layer,
    lifecycle: lifecycleStage({ createdAt: doc.createdAt, lastActiveAt: doc.lastActiveAt, now: context.now, thresholds: context.thresholds }),
    tags: doc.tags ?? [],
    lastActiveAt: iso(doc.lastActiveAt),
    createdAt: doc.createdAt.toISOString(),
  };
}

export function toCustomerProfile(doc: CustomerRecord, context: DtoContext) {
  return {
    ...toCustomerSummary(doc, context),
    remark: doc.remark ?? null,
    birthday: doc.birthday ?? null,
    unionId: doc.unionId ?? null,
    source: {
      ...(doc.source?.channel ? { channel: doc.source.channel } : {}),
      ...(doc.source?.qrScene ? { qrScene: doc.source.qrScene } : {}),
      ...(doc.source?.referrerId ? { referrerId: String(doc.source.referrerId) } : {}),
    },
    identities: (doc.identities ?? []).map(({ type, accountId, externalId }) => ({ type, accountId, externalId })),
    consents: (doc.consents ?? []).map((consent) => ({ ...consent, at: consent.at.toISOString() })),
    needs: needCounts(doc.needs),
    lost: doc.lost?.at ? { at: doc.lost.at.toISOString(), botAccountId: doc.lost.botAccountId ?? '' } : null,
    updatedAt: doc.updatedAt.toISOString(),
  };
}
