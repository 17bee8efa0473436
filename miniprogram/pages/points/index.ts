import type { MpPointsEntry } from '../../../shared/src/mp-api.ts';
import { SiyuPage } from '../../common/component';
import { failureState, goJoin } from '../../common/load-failure';
import type { ViewStatus } from '../../common/view-status';
import { api } from '../../services/api';
import { errorMessage } from '../../services/api-error';
import { formatDateTime } from '../../utils/format-date-time';

const PAGE_SIZE = 20;
const NOT_MEMBER_TEXT = '加入会员后即可查看积分明细';

const KIND_LABELS: Record<MpPointsEntry['kind'], string> = {
  earn: '获得',
  spend: '消费',
  expire: '过期',
  adjust: '调整',
  purchase: '购物',
  refund: '退款',
  checkin: '签到',
  referral: '邀请',
  release: '解冻',
};

interface LedgerRow {
  id: string;
  title: string;
  time: string;
  amountText: string;
  amountClass: string;
  note: string;
}

function ledgerRow(entry: MpPointsEntry): LedgerRow {
  const sign = entry.amount > 0 ? '+' : '';
  return {
    id: entry.id,
    title: entry.reason || KIND_LABELS[entry.kind],
    time: formatDateTime(entry.at),
    amountText: entry.kind === 'release' ? '可用' : `${sign}${entry.amount}`,
    amountClass: entry.amount > 0 ? 'amount-plus' : 'amount-minus',
    note: entry.frozenUntil
      ? `${formatDateTime(entry.frozenUntil, { dateOnly: true })} 后可用`
      : entry.balanceAfter === null
        ? KIND_LABELS[entry.kind]
        : `余额 ${entry.balanceAfter}`,
  };
}

SiyuPage({
  data: {
    status: 'loading' as ViewStatus,
    errorMessage: '',
    emptyText: '还没有积分记录，签到或消费即可获得积分',
    actionText: '',
    rows: [] as LedgerRow[],
    nextCursor: null as string | null,
    loadingMore: false,
    moreError: '',
  },
  methods: {
    onLoad(): void {
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

    async load(): Promise<void> {
      this.setData({ status: 'loading', moreError: '' });
      try {
        const page = await api.points({ limit: PAGE_SIZE });
        this.setData({ status: page.items.length ? 'ready' : 'empty', rows: page.items.map(ledgerRow), nextCursor: page.nextCursor });
      } catch (error) {
        this.setData(failureState(error, NOT_MEMBER_TEXT));
      }
    },
    async loadMore(): Promise<void> {
      const cursor = this.data.nextCursor;
      if (!cursor || this.data.loadingMore || this.data.status !== 'ready') return;
      this.setData({ loadingMore: true, moreError: '' });
      try {
        const page = await api.points({ cursor, limit: PAGE_SIZE });
        this.setData({ rows: [...this.data.rows, ...page.items.map(ledgerRow)], nextCursor: page.nextCursor });
      } catch (error) {
        this.setData({ moreError: errorMessage(error) });
      } finally {
        this.setData({ loadingMore: false });
      }
    },
  },
});
