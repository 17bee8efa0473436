import { Types } from 'mongoose';
import type { MpReward, MpRewardList } from '../../../../shared/src/rewards-api.ts';
import { decodeCursor, encodeCursor } from '../../lib/cursor.util.ts';
import { DomainError, type FieldError } from '../../lib/errors.ts';
import type { LoyaltyService } from '../loyalty/loyalty.service.ts';
import { availableFilter } from './availability.util.ts';
import type { RewardsModels } from './models.ts';
import { toMpReward, toRewardDto, type RewardRecord } from './reward-dto.util.ts';
import type { RewardDto } from './rewards.schemas.ts';
import { tierAllows } from './tier-allows.util.ts';

export interface RewardInput {
  name: string;
  description?: string;
  imageUrl?: string | null;
  pointsCost: number;
  stock: number;
  perMemberLimit?: number | null;
  validFrom?: Date | null;
  validTo?: Date | null;
  minTierCode?: string | null;
  couponValidDays?: number;
  active?: boolean;
}

export type RewardChange = Partial<Omit<RewardInput, 'stock'>> & { addStock?: number };

const DEFAULT_COUPON_VALID_DAYS = 30;
/** The consumer catalog is a page of a shop, not a report: it is capped rather than paged. */
const MP_CATALOG_LIMIT = 200;

export function createCatalogService({ Reward, MemberQuota, Coupon }: RewardsModels, deps: { loyalty: LoyaltyService }) {
  async function ruleErrors(reward: Pick<RewardInput, 'validFrom' | 'validTo' | 'minTierCode'>): Promise<FieldError[]> {
    const errors: FieldError[] = [];
    if (reward.validFrom && reward.validTo && reward.validTo.getTime() <= reward.validFrom.getTime()) {
      errors.push({ path: '/body/validTo', message: 'must be after validFrom' });
    }
    if (reward.minTierCode) {
      const { tiers } = await deps.loyalty.getSettings();
      if (!tiers.some((tier) => tier.code === reward.minTierCode)) errors.push({ path: '/body/minTierCode', message: 'no such tier in the loyalty settings' });
    }
    return errors;
  }

  async function assertRules(reward: Pick<RewardInput, 'validFrom' | 'validTo' | 'minTierCode'>): Promise<void> {
    const errors = await ruleErrors(reward);
    if (errors.length) throw new DomainError('VALIDATION_FAILED', 'the reward is not consistent', errors);
  }

  async function create(input: RewardInput): Promise<RewardDto> {
    await assertRules(input);
    const created = await Reward.create({ ...input, couponValidDays: input.couponValidDays ?? DEFAULT_COUPON_VALID_DAYS });
    return toRewardDto(created.toObject<RewardRecord>());
  }

  /** Returns before and after for the audit log, or null when there is no such reward. */
  async function update(id: string, change: RewardChange): Promise<{ before: RewardDto; after: RewardDto } | null> {
    const before = await Reward.findById(id).lean<RewardRecord>();
    if (!before) return null;
    const { addStock, ...fields } = change;
    await assertRules({ validFrom: before.validFrom, validTo: before.validTo, minTierCode: before.minTierCode, ...fields });
    const filter: Record<string, unknown> = { _id: before._id };
    if (addStock !== undefined && addStock < 0) filter.stock = { $gte: -addStock };
    const after = await Reward.findOneAndUpdate(filter, { $set: fields, ...(addStock ? { $inc: { stock: addStock } } : {}) }, { returnDocument: 'after' }).lean<RewardRecord>();
    if (!after) throw new DomainError('CONFLICT', 'not that much stock left to withdraw');
    return { before: toRewardDto(before), after: toRewardDto(after) };
  }

  async function get(id: string): Promise<RewardDto | null> {
    const reward = await Reward.findById(id).lean<RewardRecord>();
    return reward && toRewardDto(reward);
  }

  async function list(query: { active?: boolean; cursor?: string; limit: number }): Promise<{ items: RewardDto[]; nextCursor: string | null }> {
    const filter: Record<string, unknown> = {};
    if (query.active !== undefined) filter.active = query.active;
    if (query.cursor) filter._id = { $lt: new Types.ObjectId(decodeCursor(query.cursor).id) };
    const rows = await Reward.find(filter).sort({ _id: -1 }).limit(query.limit + 1).lean<RewardRecord[]>();
    const items = rows.slice(0, query.limit);
    const last = items.at(-1);
    return { items: items.map(toRewardDto), nextCursor: rows.length > query.limit && last ? encodeCursor({ id: String(last._id) }) : null };
  }

  /** Rewards a consumer can see (active, inside the window) with flags for this member; null customer for a non-member. */
  async function forMember(customerId: string, now: Date, rewardId?: string): Promise<MpRewardList> {
    const filter: Record<string, unknown> = { ...availableFilter(now), ...(rewardId ? { _id: new Types.ObjectId(rewardId) } : {}) };
    const [rewards, member, settings] = await Promise.all([
      Reward.find(filter).sort({ pointsCost: 1, _id: 1 }).limit(MP_CATALOG_LIMIT).lean<RewardRecord[]>(),
      deps.loyalty.getMember(customerId),
      deps.loyalty.getSettings(),
    ]);
    const mine = { customerId: new Types.ObjectId(customerId), rewardId: { $in: rewards.map((reward) => reward._id) } };
    const [quotas, coupons] = member
      ? await Promise.all([MemberQuota.find(mine, { rewardId: 1, count: 1 }).lean(), Coupon.find(mine, { rewardId: 1 }).lean()])
      : [[], []];
    // The quota counts in-flight redemptions too, so it decides eligibility; coupons are what the member sees.
    const quotaByReward = new Map(quotas.map((quota) => [String(quota.rewardId), quota.count]));
    const couponsByReward = new Map<string, number>();
    for (const coupon of coupons) couponsByReward.set(String(coupon.rewardId), (couponsByReward.get(String(coupon.rewardId)) ?? 0) + 1);
    const tierNames = new Map(settings.tiers.map((tier) => [tier.code, tier.name]));
    const items: MpReward[] = rewards.map((reward) => {
      const minTier = reward.minTierCode ? { code: reward.minTierCode, name: tierNames.get(reward.minTierCode) ?? reward.minTierCode } : null;
      const view = member && {
        available: member.available,
        tierAllowed: tierAllows({ tiers: settings.tiers, memberTier: member.tier.code, minTier: reward.minTierCode }),
        quotaUsed: quotaByReward.get(String(reward._id)) ?? 0,
        redeemed: couponsByReward.get(String(reward._id)) ?? 0,
      };
      return toMpReward(reward, view, minTier);
    });
    return { items, available: member?.available ?? null };
  }

  async function getForMember(customerId: string, rewardId: string, now: Date): Promise<MpReward | null> {
    return (await forMember(customerId, now, rewardId)).items[0] ?? null;
  }

  return { create, update, get, list, forMember, getForMember };
}

export type CatalogService = ReturnType<typeof createCatalogService>;
