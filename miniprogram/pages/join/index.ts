import { SiyuPage } from '../../common/component';
import type { ViewStatus } from '../../common/view-status';
import { api } from '../../services/api';
import { errorMessage } from '../../services/api-error';
import { referralCodeFrom } from '../../utils/referral-code';

const CARD_TAB = '/pages/card/index';

/** Where an invitation lands (`pages/join/index?ref=CODE`, the path the referral API hands out). */
SiyuPage({
  data: {
    status: 'loading' as ViewStatus,
    errorMessage: '',
    isMember: false,
    referralCode: '',
  },
  methods: {
    onLoad(query: Record<string, string | undefined>): void {
      this.setData({ referralCode: referralCodeFrom(query.ref) });
      void this.load();
    },
    onRetry(): void {
      void this.load();
    },
    async load(): Promise<void> {
      this.setData({ status: 'loading' });
      try {
        const me = await api.me();
        this.setData({ status: 'ready', isMember: me.isMember });
      } catch (error) {
        this.setData({ status: 'error', errorMessage: errorMessage(error) });
      }
    },
    onJoined(): void {
      this.openCard();
    },
    openCard(): void {
      wx.switchTab({ url: CARD_TAB });
    },
  },
});
