import { Types } from 'mongoose';
import { LAYERS, layerRank, type IdentityType, type Layer } from '../../../../shared/src/customer.ts';
import { coalescedFindBy, coalescedUpdate } from '../../lib/coalesced-writes.ts';
import { decodeCursor, encodeCursor } from '../../lib/cursor.util.ts';
import { DomainError } from '../../lib/errors.ts';
import { toObjectId } from '../../lib/object-id.util.ts';
import type { SettingsService } from '../settings/settings.service.ts';
import { compileCustomerFilter, type CustomerFilter } from './customer-filter.util.ts';
import type { Customer } from './customer.model.ts';
import type { CustomerRecord } from './customer-dto.util.ts';
import type { InteractionService } from './interaction.service.ts';
import { normalizePhone } from './phone.util.ts';
import type { CustomerModels } from './models.ts';

export type ListSort = 'newest' | 'oldest' | 'lastActive';

export interface IdentityInput {
  type: IdentityType;
  accountId: string;
  externalId: string;
}

export interface ProfileFields {
  name?: string;
  nickname?: string;
  remark?: string;
  avatarUrl?: string;
  gender?: string;
  region?: { country?: string; province?: string; city?: string };
  phone?: string;
  birthday?: string;
  source?: { channel?: string; qrScene?: string };
}

export const identityKey = (identity: IdentityInput) => `${identity.type}:${identity.accountId}:${identity.externalId}`;

const BULK_BATCH = 500;

export function createCustomerService(models: CustomerModels, deps: { settings: SettingsService; interactions: InteractionService }) {
  const { Customer, Tag } = models;
  // Capture's hot path: identity lookups and activity marks of concurrent events share bulk commands.
  const findByIdentityKey = coalescedFindBy<CustomerRecord & Record<string, unknown>>(Customer, 'identityKeys');
  const updateCoalesced = coalescedUpdate(Customer);
  const findById = coalescedFindBy<CustomerRecord & Record<string, unknown>>(Customer, '_id');

  async function compile(filter: CustomerFilter) {
    const { lifecycle } = await deps.settings.getBrand();
    return compileCustomerFilter(filter, new Date(), lifecycle);
  }

  async function list(query: CustomerFilter & { sort: ListSort; cursor?: string; limit: number }) {
    const base = await compile(query);
    const after = query.cursor ? decodeCursor(query.cursor) : null;
    const sort: Record<string, 1 | -1> =
      query.sort === 'oldest' ? { _id: 1 } : query.sort === 'lastActive' ? { lastActiveAt: -1, _id: -1 } : { _id: -1 };
    let filter = base;
    if (after) {
      const id = new Types.ObjectId(after.id);
      let page: Record<string, unknown>;
      if (query.sort === 'oldest') page = { _id: { $gt: id } };
      else if (query.sort === 'newest') page = { _id: { $lt: id } };
      else if (after.value === null || after.value === undefined) page = { lastActiveAt: null, _id: { $lt: id } };
      else {
        const at = new Date(Number(after.value));
        page = { $or: [{ lastActiveAt: { $lt: at } }, { lastActiveAt: at, _id: { $lt: id } }, { lastActiveAt: null }] };
      }
      filter = { $and: [base, page] };
    }
    const rows = (await Customer.find(filter).sort(sort).limit(query.limit + 1).lean()) as CustomerRecord[];
    const items = rows.slice(0, query.limit);
    const last = items.at(-1);
    const nextCursor =
      rows.length > query.limit && last
        ? encodeCursor({ id: String(last._id), value: query.sort === 'lastActive' ? (last.lastActiveAt?.getTime() ?? null) : undefined })
        : null;
    return { items, nextCursor };
  }

  async function get(id: string): Promise<CustomerRecord | null> {
    // By _id alone, then the merged check in code: an extra condition makes some servers (the stand-in) scan.
    const objectId = toObjectId(id);
    if (!objectId) return null;
    const doc = await findById(String(objectId));
    return doc && !doc.mergedInto ? doc : null;
  }

  async function streamMatching(filter: CustomerFilter) {
    return Customer.find(await compile(filter)).sort({ _id: 1 }).lean().cursor({ batchSize: 1000 });
  }

  async function update(id: string, fields: ProfileFields, actorId?: string): Promise<CustomerRecord | null> {
    const set: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(fields)) {
      if (value === undefined) continue;
      if (key === 'phone') {
        const phone = normalizePhone(String(value));
        if (!phone) throw new DomainError('VALIDATION_FAILED', 'not a phone number', [{ path: '/body/phone', message: 'not a phone number' }]);
        set.phone = phone;
      } else if (key === 'region' || key === 'source') {
        for (const [part, partValue] of Object.entries(value as object)) set[`${key}.${part}`] = partValue;
      } else set[key] = value;
    }
    const updated = (await Customer.findOneAndUpdate({ _id: id, mergedInto: null }, { $set: set }, { returnDocument: 'after' }).lean()) as CustomerRecord | null;
    if (updated) {
      await deps.interactions.append({ customerId: id, type: 'profile_updated', actorId, summary: Object.keys(fields).join(', '), data: { fields: Object.keys(fields) } });
    }
    return updated;
  }

  async function ensureTags(tags: string[], group?: string): Promise<void> {
    tagGroupCache = null;
    await Tag.bulkWrite(
      tags.map((name) => ({
        updateOne: { filter: { name }, update: { $setOnInsert: { name, group: group ?? '未分组' } }, upsert: true },
      })),
      { ordered: false },
    );
  }

  /** Atomic on the customer document: concurrent edits never lose a tag. Returns the tags actually added. */
  async function addTags(id: string, tags: string[], options: { group?: string; actorId?: string } = {}) {
    await ensureTags(tags, options.group);
    const before = await Customer.findOneAndUpdate({ _id: id, mergedInto: null }, { $addToSet: { tags: { $each: tags } } }).lean();
    if (!before) return null;
    const added = tags.filter((tag) => !before.tags.includes(tag));
    await deps.interactions.appendMany(
      added.map((tag) => ({ customerId: id, type: 'tag_added' as const, summary: tag, actorId: options.actorId, data: { tag } })),
    );
    return { added };
  }

  async function removeTags(id: string, tags: string[], options: { actorId?: string } = {}) {
    const before = await Customer.findOneAndUpdate({ _id: id, mergedInto: null }, { $pull: { tags: { $in: tags } } }).lean();
    if (!before) return null;
    const removed = tags.filter((tag) => before.tags.includes(tag));
    await deps.interactions.appendMany(
      removed.map((tag) => ({ customerId: id, type: 'tag_removed' as const, summary: tag, actorId: options.actorId, data: { tag } })),
    );
    return { removed };
  }

  /** Tags every customer matching a filter, in batches, so memory stays flat however large the audience. */
  async function bulkTags(filter: CustomerFilter, change: { add?: string[]; remove?: string[] }, actorId?: string) {
    if (change.add?.length) await ensureTags(change.add);
    const query = await compile(filter);
    let matched = 0;
    let batch: Types.ObjectId[] = [];
    const flush = async () => {
      if (!batch.length) return;
      const update: Record<string, unknown> = {};
      if (change.add?.length) update.$addToSet = { tags: { $each: change.add } };
      if (change.remove?.length) update.$pull = { tags: { $in: change.remove } };
      await Customer.updateMany({ _id: { $in: batch } }, update);
      await deps.interactions.appendMany(
        batch.flatMap((customerId) => [
          ...(change.add ?? []).map((tag) => ({ customerId, type: 'tag_added' as const, summary: tag, actorId, data: { tag, bulk: true } })),
          ...(change.remove ?? []).map((tag) => ({ customerId, type: 'tag_removed' as const, summary: tag, actorId, data: { tag, bulk: true } })),
        ]),
      );
      matched += batch.length;
      batch = [];
    };
    for await (const row of Customer.find(query, { _id: 1 }).sort({ _id: 1 }).lean().cursor({ batchSize: BULK_BATCH })) {
      batch.push(row._id);
      if (batch.length >= BULK_BATCH) await flush();
    }
    await flush();
    return { matched };
  }

  // Every profile view shows tag groups; the catalogue changes rarely, so it is cached briefly per instance.
  let tagGroupCache: { value: Record<string, string>; until: number } | null = null;
  async function tagGroups(): Promise<Record<string, string>> {
    if (tagGroupCache && tagGroupCache.until > Date.now()) return tagGroupCache.value;
    const rows = await Tag.find({}, { name: 1, group: 1 }).lean();
    tagGroupCache = { value: Object.fromEntries(rows.map((row) => [row.name, row.group])), until: Date.now() + 5000 };
    return tagGroupCache.value;
  }

  async function tagCatalogue() {
    const [tags, counts] = await Promise.all([
      Tag.find({}, { name: 1, group: 1 }).sort({ group: 1, name: 1 }).lean(),
      Customer.aggregate<{ _id: string; count: number }>([{ $match: { mergedInto: null } }, { $unwind: '$tags' }, { $group: { _id: '$tags', count: { $sum: 1 } } }]),
    ]);
    const byName = new Map(counts.map((row) => [row._id, row.count]));
    return tags.map((tag) => ({ name: tag.name, group: tag.group, customers: byName.get(tag.name) ?? 0 }));
  }

  async function setTagGroup(name: string, group: string) {
    tagGroupCache = null;
    await Tag.updateOne({ name }, { $set: { group } }, { upsert: true });
    return { name, group };
  }

  async function setConsent(id: string, consent: { channel: string; status: string; method: string; wordingVersion: string }) {
    const entry = { ...consent, at: new Date() };
    // A crash between these two writes leaves no consent for the channel, which reads as "not granted": the safe side.
    const pulled = await Customer.findOneAndUpdate({ _id: id, mergedInto: null }, { $pull: { consents: { channel: consent.channel } } }).lean();
    if (!pulled) return null;
    await Customer.updateOne({ _id: id }, { $push: { consents: entry } });
    await deps.interactions.append({ customerId: id, type: 'profile_updated', summary: `consent ${consent.channel} ${consent.status}`, data: entry });
    return get(id);
  }

  /** Raises the relationship layer, never lowers it; the change is recorded as an interaction. */
  async function raiseLayer(id: string | Types.ObjectId, layer: Layer, reason?: string): Promise<boolean> {
    const weaker = LAYERS.slice(0, layerRank(layer));
    const before = await Customer.findOneAndUpdate({ _id: id, layer: { $in: weaker } }, { $set: { layer } }).lean();
    if (!before) return false;
    await deps.interactions.append({ customerId: id, type: 'layer_changed', summary: `${before.layer} → ${layer}`, data: { from: before.layer, to: layer, reason } });
    return true;
  }

  async function touch(id: string | Types.ObjectId, at = new Date()): Promise<void> {
    await Customer.updateOne({ _id: id }, { $max: { lastActiveAt: at } });
  }

  /** Channel data refreshed in one write, without a timeline entry: channels call it on every event. */
  async function refreshProfile(id: string | Types.ObjectId, fields: ProfileFields, activeAt?: Date): Promise<void> {
    const set: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(fields)) {
      if (value === undefined) continue;
      if (key === 'region') for (const [part, partValue] of Object.entries(value as object)) set[`region.${part}`] = partValue;
      else set[key] = value;
    }
    if (!Object.keys(set).length && !activeAt) return;
    await updateCoalesced({ _id: id }, { ...(Object.keys(set).length ? { $set: set } : {}), ...(activeAt ? { $max: { lastActiveAt: activeAt } } : {}) });
  }

  /**
   * Adds one to each need keyword, once per source: the guard and the count are one atomic write, so a replayed
   * event never counts twice. Keywords are field names, so the caller keeps '.' and '$' out of them.
   */
  async function countNeeds(id: string | Types.ObjectId, keywords: string[], sourceKey: string): Promise<boolean> {
    if (!keywords.length) return false;
    const inc = Object.fromEntries(keywords.map((keyword) => [`needs.${keyword}`, 1]));
    const result = await Customer.updateOne(
      { _id: id, needSourceKeys: { $ne: sourceKey } },
      { $inc: inc, $push: { needSourceKeys: { $each: [sourceKey], $slice: -20 } } },
    );
    return result.modifiedCount === 1;
  }

  /** 流失 when the person deletes the brand account; cleared (null) when they add it again. */
  async function setLost(id: string | Types.ObjectId, lost: { at: Date; botAccountId: string } | null): Promise<void> {
    await Customer.updateOne({ _id: id }, lost ? { $set: { lost } } : { $unset: { lost: 1 } });
  }

  /** Finds or creates the person behind a channel identity; a known unionid joins it to the same person. */
  async function upsertByIdentity(input: { identity: IdentityInput; unionId?: string; profile?: ProfileFields; layer?: Layer }) {
    const key = identityKey(input.identity);
    const existing = await Customer.findOne({ identityKeys: key }).lean();
    if (existing?.mergedInto) return findOrFail(String(existing.mergedInto));
    if (existing) return existing as CustomerRecord;
    const byUnion = input.unionId ? await Customer.findOne({ unionId: input.unionId, mergedInto: null }).lean() : null;
    const identity = { ...input.identity, at: new Date() };
    if (byUnion) {
      await Customer.updateOne({ _id: byUnion._id }, { $addToSet: { identityKeys: key, identities: identity } });
      return findOrFail(String(byUnion._id));
    }
    try {
      const created = await Customer.create({
        ...(input.profile ?? {}),
        identities: [identity],
        identityKeys: [key],
        unionId: input.unionId,
        layer: input.layer ?? 'visitor',
      } as Partial<Customer>);
      return created.toObject() as CustomerRecord;
    } catch (error) {
      // Two first events from one new person raced; the loser reads the winner's record.
      if ((error as { code?: number }).code === 11000) return findOrFail((await Customer.findOne({ $or: [{ identityKeys: key }, ...(input.unionId ? [{ unionId: input.unionId }] : [])] }).lean())!._id.toString());
      throw error;
    }
  }

  /** The hot path of capture: a known, unmerged customer (lookups of concurrent events share one query), else null. */
  async function findLiveByIdentity(identity: IdentityInput): Promise<CustomerRecord | null> {
    const customer = await findByIdentityKey(identityKey(identity));
    return customer && !customer.mergedInto ? customer : null;
  }

  async function findOrFail(id: string): Promise<CustomerRecord> {
    const doc = await get(id);
    if (!doc) throw new DomainError('NOT_FOUND', `customer ${id} not found`);
    return doc;
  }

  return {
    findOrFail,
    findLiveByIdentity,
    list,
    get,
    streamMatching,
    update,
    addTags,
    removeTags,
    bulkTags,
    tagGroups,
    tagCatalogue,
    setTagGroup,
    ensureTags,
    setConsent,
    raiseLayer,
    touch,
    refreshProfile,
    countNeeds,
    setLost,
    upsertByIdentity,
  };
}

export type CustomerService = ReturnType<typeof createCustomerService>;
