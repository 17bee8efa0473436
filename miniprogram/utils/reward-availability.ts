import type { MpReward } from '../../shared/src/rewards-api.ts';

export interface RewardAvailability {
  canRedeem: boolean;
  /** The button's text: what to do, or why not. */
  label: string;
}

/** Whether I can redeem a reward now and, if not, the first reason why (sold out before unaffordable). */
export function rewardAvailability(reward: MpReward, isMember: boolean): RewardAvailability {
  if (reward.stock <= 0) return { canRedeem: false, label: '已兑完' };
  if (!isMember) return { canRedeem: false, label: '入会后可兑' };
  if (!reward.eligible) {
    const limitReached = reward.perMemberLimit !== null && reward.redeemedByMe >= reward.perMemberLimit;
    if (limitReached) return { canRedeem: false, label: '已达兑换上限' };
    return { canRedeem: false, label: reward.minTier ? `${reward.minTier.name}及以上可兑` : '暂不可兑' };
  }
  if (!reward.affordable) return { canRedeem: false, label: '积分不足' };
  return { canRedeem: true, label: '立即兑换' };
}
