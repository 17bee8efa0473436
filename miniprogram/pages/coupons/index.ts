import type { MpCoupon, MpCouponStatus } from '../../../shared/src/rewards-api.ts';
import { SiyuPage } from '../../common/component';
import { failureState, goJoin } from '../../common/load-failure';
import type { ViewStatus } from '../../common/view-status';
import { api } from '../../services/api';
import { errorMessage } from '../../services/api-error';
import { formatDateTime } from '../../utils/format-date-time';

const PAGE_SIZE = 20;
const TABS: Array<{ status: MpCouponStatus; label: string; emptyText: string }> = [
  { status: 'issued', label: '未使用', emptyText: '暂无未使用的券，去积分兑换看看吧' },
  { status: 'used', label: '已使用', emptyText: '还没有使用过的券' },
  { status: 'expired', label: '已过期', emptyText: '没有过期的券' },
];
const NOT_MEMBER_TEXT = '加入会员后即可用积分兑换好礼';

const isCouponStatus = (value: string | undefined): value is MpCouponStatus => TABS.some((tab) => tab.status === value);

interface CouponRow {
  id: string;
  name: string;
  code: string;
  note: string;
}

function couponNote(coupon: MpCoupon): string {
  if (coupon.status === 'used') return coupon.usedAt ? `已于 ${formatDateTime(coupon.usedAt)} 使用` : '已使用';
  const expires = formatDateTime(coupon.expiresAt, { dateOnly: true });
  return coupon.status === 'expired' ? `已于 ${expires} 过期` : `有效期至 ${expires}`;
}

const couponRow = (coupon: MpCoupon): CouponRow => ({ id: coupon.id, name: coupon.rewardName, code: coupon.codeDisplay, note: couponNote(coupon) });

SiyuPage({
  data: {
    tabs: TABS,
    active: 'issued' as MpCouponStatus,
    status: 'loading' as ViewStatus,
    errorMessage: '',
    emptyText: TABS[0].emptyText,
    actionText: '',
    rows: [] as CouponRow[],
    nextCursor: null as string | null,
    loadingMore: false,
    moreError: '',
  },
  methods: {
    onLoad(query: Record<string, string | undefined>): void {
      if (isCouponStatus(query.status)) this.setData({ active: query.status });
      void this.load();
    },
    async onPullDownRefresh(): Promise<void> {
      await this.load();
      wx.stopPullDownRefresh();
    },
    onReachBottom(): void {
      void this.loadMore();
    },
    onRetry(): void {
      void this.load();
    },
    onAction(): void {
      goJoin();
    },
    onTapTab(event: WechatMiniprogram.TouchEvent<{}, {}, { status: MpCouponStatus }>): void {
      const active = event.currentTarget.dataset.status;
      if (active === this.data.active) return;
      this.setData({ active, rows: [], nextCursor: null });
      void this.load();
    },

    async load(): Promise<void> {
      const tab = TABS.find((candidate) => candidate.status === this.data.active) ?? TABS[0];
      this.setData({ status: 'loading', emptyText: tab.emptyText, actionText: '', moreError: '' });
      try {
        const page = await api.coupons({ status: tab.status, limit: PAGE_SIZE });
        // A slow reply for a tab the consumer already left must not overwrite the current one.
        if (tab.status !== this.data.active) return;
        this.setData({ status: page.items.length ? 'ready' : 'empty', rows: page.items.map(couponRow), nextCursor: page.nextCursor });
      } catch (error) {
        if (tab.status === this.data.active) this.setData(failureState(error, NOT_MEMBER_TEXT));
      }
    },
    async loadMore(): Promise<void> {
      const { nextCursor: cursor, active } = this.data;
      if (!cursor || this.data.loadingMore || this.data.status !== 'ready') return;
      this.setData({ loadingMore: true, moreError: '' });
      try {
        const page = await api.coupons({ status: active, cursor, limit: PAGE_SIZE });
        if (active === this.data.active) this.setData({ rows: [...this.data.rows, ...page.items.map(couponRow)], nextCursor: page.nextCursor });
      } catch (error) {
        this.setData({ moreError: errorMessage(error) });
      } finally {
        this.setData({ loadingMore: false });
      }
    },
  },
});
