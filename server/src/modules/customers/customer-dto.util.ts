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
    updatedAt: doc.updatedAt.toISOString(),
  };
}
