import type { MpReward } from '../../../shared/src/rewards-api.ts';
import { SiyuPage } from '../../common/component';
import { goJoin } from '../../common/load-failure';
import type { ViewStatus } from '../../common/view-status';
import { api } from '../../services/api';
import { errorMessage } from '../../services/api-error';
import { rewardAvailability } from '../../utils/reward-availability';

/** Below this many left, the list says how many. */
const LOW_STOCK = 10;

interface RewardRow {
  id: string;
  name: string;
  imageUrl: string;
  pointsCost: number;
  stockText: string;
  label: string;
  canRedeem: boolean;
}

function rewardRow(reward: MpReward, isMember: boolean): RewardRow {
  const { canRedeem, label } = rewardAvailability(reward, isMember);
  return {
    id: reward.id,
    name: reward.name,
    imageUrl: reward.imageUrl ?? '',
    pointsCost: reward.pointsCost,
    stockText: reward.stock > 0 && reward.stock <= LOW_STOCK ? `仅剩 ${reward.stock} 件` : '',
    label,
    canRedeem,
  };
}

SiyuPage({
  data: {
    status: 'loading' as ViewStatus,
    errorMessage: '',
    isMember: false,
    available: 0,
    rows: [] as RewardRow[],
  },
  methods: {
    onLoad(): void {
      void this.load();
    },
    onShow(): void {
      // Back from a redemption: balances and stock have changed.
      if (this.data.status === 'ready') void this.load({ quiet: true });
    },
    async onPullDownRefresh(): Promise<void> {
      await this.load();
      wx.stopPullDownRefresh();
    },
    onRetry(): void {
      void this.load();
    },

    async load({ quiet = false }: { quiet?: boolean } = {}): Promise<void> {
      if (!quiet) this.setData({ status: 'loading' });
      try {
        const list = await api.rewards();
        const isMember = list.available !== null;
        this.setData({
          status: list.items.length ? 'ready' : 'empty',
          isMember,
          available: list.available ?? 0,
          rows: list.items.map((reward) => rewardRow(reward, isMember)),
        });
      } catch (error) {
        if (!quiet) this.setData({ status: 'error', errorMessage: errorMessage(error) });
      }
    },
    onTapReward(event: WechatMiniprogram.TouchEvent<{}, {}, { id: string }>): void {
      wx.navigateTo({ url: `/pages/reward-detail/index?id=${event.currentTarget.dataset.id}` });
    },
    onOpenCoupons(): void {
      wx.navigateTo({ url: '/pages/coupons/index' });
    },
    onJoin(): void {
      goJoin();
    },
  },
});
