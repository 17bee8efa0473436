import type { MpCardReply, MpMemberCode } from '../../../shared/src/mp-api.ts';
import { SiyuPage } from '../../common/component';
import type { ViewStatus } from '../../common/view-status';
import { api } from '../../services/api';
import { errorMessage, isApiError } from '../../services/api-error';
import { formatCardNumber } from '../../utils/format-card-number';
import { referralCodeFrom } from '../../utils/referral-code';
import { tierProgress } from '../../utils/tier-progress';

/** The member code changes every minute on the server; fetch a new one as often. */
const CODE_REFRESH_SECONDS = 60;
/** After a failed refresh, try again sooner than a full minute. */
const CODE_RETRY_SECONDS = 10;

function cardView(card: MpCardReply) {
  return {
    cardNumber: card.cardNumber,
    cardNumberDisplay: formatCardNumber(card.cardNumber),
    tierName: card.tier.name,
    multiplierText: card.tier.multiplier > 1 ? `积分 ${card.tier.multiplier} 倍` : '',
    available: card.available,
    frozen: card.frozen,
    progress: tierProgress({ lifetimePoints: card.lifetimePoints, pointsNeeded: card.nextTier?.pointsNeeded ?? null }),
    nextTierText: card.nextTier ? `再得 ${card.nextTier.pointsNeeded} 积分升级为${card.nextTier.name}` : '已是最高等级',
  };
}

SiyuPage({
  data: {
    status: 'loading' as ViewStatus,
    errorMessage: '',
    isMember: false,
    referralCode: '',
    card: null as ReturnType<typeof cardView> | null,
    qrDataUrl: '',
    countdown: CODE_REFRESH_SECONDS,
    codeError: '',
  },
  fields: {
    timer: null as number | null,
    hidden: false,
  },
  methods: {
    onLoad(query: Record<string, string | undefined>): void {
      this.setData({ referralCode: referralCodeFrom(query.ref) });
      void this.load();
    },
    onShow(): void {
      this.hidden = false;
      if (this.data.card) {
        void this.refreshCode();
        this.startTimer();
      }
    },
    onHide(): void {
      this.hidden = true;
      this.stopTimer();
    },
    onUnload(): void {
      this.stopTimer();
    },
    async onPullDownRefresh(): Promise<void> {
      await this.load();
      wx.stopPullDownRefresh();
    },

    async load(): Promise<void> {
      this.setData({ status: 'loading' });
      try {
        this.showCard(await api.card());
      } catch (error) {
        if (isApiError(error, 'NOT_A_MEMBER')) this.setData({ status: 'ready', isMember: false, card: null });
        else this.setData({ status: 'error', errorMessage: errorMessage(error) });
      }
    },
    showCard(card: MpCardReply): void {
      this.setData({ status: 'ready', isMember: true, card: cardView(card) });
      this.showCode(card.memberCode);
      if (!this.hidden) this.startTimer();
    },
    showCode(code: MpMemberCode): void {
      this.setData({ qrDataUrl: code.qrDataUrl, countdown: CODE_REFRESH_SECONDS, codeError: '' });
    },
    async refreshCode(): Promise<void> {
      try {
        this.showCode(await api.memberCode());
      } catch (error) {
        this.setData({ codeError: `二维码刷新失败：${errorMessage(error)}`, countdown: CODE_RETRY_SECONDS });
      }
    },

    startTimer(): void {
      this.stopTimer();
      this.timer = setInterval(() => this.tick(), 1000);
    },
    stopTimer(): void {
      if (this.timer !== null) clearInterval(this.timer);
      this.timer = null;
    },
    tick(): void {
      // At zero a refresh is on its way; waiting for it keeps a slow network from getting one a second.
      if (this.data.countdown <= 0) return;
      const countdown = this.data.countdown - 1;
      this.setData({ countdown });
      if (countdown === 0) void this.refreshCode();
    },
    onTapCode(): void {
      void this.refreshCode();
    },
    onRetry(): void {
      void this.load();
    },

    onJoined(): void {
      void this.load();
    },
  },
});
