import { Types } from 'mongoose';
import { strongerLayer, type Layer } from '../../../../shared/src/customer.ts';
import { DomainError } from '../../lib/errors.ts';
import type { CustomerService, IdentityInput, ProfileFields } from './customer.service.ts';
import type { InteractionService } from './interaction.service.ts';
import type { CustomerModels } from './models.ts';
import type { NotesService } from './notes.service.ts';

export type MergeHandler = (merge: { sourceId: Types.ObjectId; targetId: Types.ObjectId }) => Promise<void>;

const PROFILE_FIELDS = ['name', 'nickname', 'remark', 'avatarUrl', 'phone', 'birthday', 'unionId'] as const;

/**
 * Merges a duplicate (source) into the surviving record (target). No transactions on our database subset, so
 * each step is idempotent and the source is marked `mergingInto` first: `resumePendingMerges` finishes any merge
 * a crash interrupted.
 */
export function createMergeService(
  models: CustomerModels,
  deps: { customers: CustomerService; interactions: InteractionService; notes: NotesService },
) {
  const { Customer } = models;
  // Features that own per-customer data elsewhere (loyalty points…) move it here; each handler must be idempotent,
  // since a merge interrupted by a crash runs them again.
  const mergeHandlers: MergeHandler[] = [];

  async function merge(targetId: string, sourceId: string, actorId?: string) {
    if (targetId === sourceId) throw new DomainError('MERGE_SELF');
    const [target, source] = await Promise.all([
      Customer.findOne({ _id: targetId, mergedInto: null }).lean(),
      Customer.findOne({ _id: sourceId, mergedInto: null }).lean(),
    ]);
    if (!target || !source) return null;
    await Customer.updateOne(
      { _id: source._id },
      { $set: { mergingInto: target._id, mergedIdentityKeys: source.identityKeys ?? [], mergedUnionId: source.unionId } },
    );
    await finish(source._id, target._id, actorId);
    return { targetId, sourceId };
  }

  async function finish(sourceId: Types.ObjectId, targetId: Types.ObjectId, actorId?: string) {
    const source = await Customer.findById(sourceId).lean();
    const target = await Customer.findById(targetId).lean();
    if (!source || !target) return;
    await deps.interactions.reassign(sourceId, targetId);
    await deps.notes.reassign(sourceId, targetId);
    for (const handler of mergeHandlers) await handler({ sourceId, targetId });
    // Identity keys and unionid are unique: release them from the source before the target takes them.
    await Customer.updateOne({ _id: sourceId }, { $set: { identityKeys: [] }, $unset: { unionId: 1 } });
    const parked = { ...source, unionId: source.mergedUnionId, identityKeys: source.mergedIdentityKeys ?? [] };
    const fill: Record<string, unknown> = {};
    for (const field of PROFILE_FIELDS) if (!target[field] && parked[field]) fill[field] = parked[field];
    if (!target.region?.province && source.region?.province) fill.region = source.region;
    fill.layer = strongerLayer(target.layer as Layer, source.layer as Layer);
    await Customer.updateOne(
      { _id: targetId },
      {
        $set: fill,
        $addToSet: {
          tags: { $each: source.tags ?? [] },
          identityKeys: { $each: parked.identityKeys },
          identities: { $each: source.identities ?? [] },
        },
        ...(source.lastActiveAt ? { $max: { lastActiveAt: source.lastActiveAt } } : {}),
        ...(source.createdAt ? { $min: { createdAt: source.createdAt } } : {}),
      },
    );
    await Customer.updateOne({ _id: sourceId }, { $set: { mergedInto: targetId }, $unset: { mergingInto: 1 } });
    await deps.interactions.append({
      customerId: targetId,
      type: 'merged',
      summary: `merged ${String(sourceId)}`,
      actorId,
      data: { sourceId: String(sourceId) },
      sourceKey: `merge:${String(sourceId)}`,
    });
  }

  async function resumePendingMerges(): Promise<number> {
    let resumed = 0;
    for await (const pending of Customer.find({ mergingInto: { $ne: null } }, { _id: 1, mergingInto: 1 }).lean().cursor()) {
      await finish(pending._id, pending.mergingInto as Types.ObjectId);
      resumed++;
    }
    return resumed;
  }

  /**
   * The entry point for channels (bot, Official Account, mini-program): finds or creates the person behind an
   * identity and, when a unionid shows two records are one person, merges them into the one holding the unionid.
   */
  async function identify(input: { identity: IdentityInput; unionId?: string; profile?: ProfileFields }) {
    const customer = await deps.customers.upsertByIdentity(input);
    if (!input.unionId || customer.unionId === input.unionId) return customer;
    const holder = await Customer.findOne({ unionId: input.unionId, mergedInto: null }, { _id: 1 }).lean();
    if (!holder) {
      const claimed = await Customer.updateOne({ _id: customer._id, unionId: null }, { $set: { unionId: input.unionId } }).catch((error) => {
        if ((error as { code?: number }).code === 11000) return null;
        throw error;
      });
      if (claimed) return deps.customers.findOrFail(String(customer._id));
      return identify(input);
    }
    await merge(String(holder._id), String(customer._id));
    return deps.customers.findOrFail(String(holder._id));
  }

  function onMerge(handler: MergeHandler): void {
    mergeHandlers.push(handler);
  }

  return { merge, resumePendingMerges, identify, onMerge };
}

export type MergeService = ReturnType<typeof createMergeService>;
