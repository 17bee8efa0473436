import type { Types } from 'mongoose';
import type { MpReward } from '../../../../shared/src/rewards-api.ts';
import type { RewardDto } from './rewards.schemas.ts';

/** A reward as stored (lean). */
export interface RewardRecord {
  _id: Types.ObjectId;
  name: string;
  description: string;
  imageUrl?: string | null;
  pointsCost: number;
  stock: number;
  perMemberLimit?: number | null;
  validFrom?: Date | null;
  validTo?: Date | null;
  minTierCode?: string | null;
  couponValidDays: number;
  active: boolean;
  redeemedCount: number;
  holds: Types.ObjectId[];
  createdAt: Date;
  updatedAt: Date;
}

const iso = (date?: Date | null) => date?.toISOString() ?? null;

/** The staff view: everything but the ids in `holds`, which only count as redemptions in flight. */
export function toRewardDto(reward: RewardRecord): RewardDto {
  return {
    id: String(reward._id),
    name: reward.name,
    description: reward.description,
    imageUrl: reward.imageUrl ?? null,
    pointsCost: reward.pointsCost,
    stock: reward.stock,
    perMemberLimit: reward.perMemberLimit ?? null,
    validFrom: iso(reward.validFrom),
    validTo: iso(reward.validTo),
    minTierCode: reward.minTierCode ?? null,
    couponValidDays: reward.couponValidDays,
    active: reward.active,
    redeemedCount: reward.redeemedCount,
    inFlight: reward.holds.length,
    createdAt: reward.createdAt.toISOString(),
    updatedAt: reward.updatedAt.toISOString(),
  };
}

export interface MemberView {
  available: number;
  tierAllowed: boolean;
  /** Issued and in-flight redemptions counted against the per-member limit. */
  quotaUsed: number;
  /** Coupons the member holds for this reward. */
  redeemed: number;
}

/** The consumer view, with this member's flags. */
export function toMpReward(reward: RewardRecord, member: MemberView | null, minTier: { code: string; name: string } | null): MpReward {
  const limit = reward.perMemberLimit ?? null;
  return {
    id: String(reward._id),
    name: reward.name,
    description: reward.description,
    imageUrl: reward.imageUrl ?? null,
    pointsCost: reward.pointsCost,
    stock: reward.stock,
    perMemberLimit: limit,
    redeemedByMe: member?.redeemed ?? 0,
    validFrom: iso(reward.validFrom),
    validTo: iso(reward.validTo),
    minTier,
    couponValidDays: reward.couponValidDays,
    affordable: member !== null && member.available >= reward.pointsCost,
    eligible: member !== null && member.tierAllowed && (limit === null || member.quotaUsed < limit),
  };
}
