import type { MpCoupon, MpReward } from '../../../shared/src/rewards-api.ts';
import { SiyuPage } from '../../common/component';
import { confirm, toast } from '../../common/feedback';
import { askToSubscribe } from '../../common/subscribe';
import type { ViewStatus } from '../../common/view-status';
import { COUPON_EXPIRY_TEMPLATE_ID } from '../../config';
import { api } from '../../services/api';
import { ApiError, errorMessage } from '../../services/api-error';
import { formatDateTime } from '../../utils/format-date-time';
import { idempotencyKey } from '../../utils/idempotency-key';
import { rewardAvailability } from '../../utils/reward-availability';

const UNCERTAIN_REDEEM = '网络异常，兑换结果未知。请点击重试，不会重复扣积分';

/** No answer, or a server failure: the redemption may have gone through, so retry with the same key. */
const isUncertain = (error: unknown) => !(error instanceof ApiError) || error.isNetwork || error.status >= 500;

function validityText(reward: MpReward): string {
  if (!reward.validTo) return '长期有效';
  return `兑换截止 ${formatDateTime(reward.validTo, { dateOnly: true })}`;
}

function rewardView(reward: MpReward, isMember: boolean) {
  return {
    ...reward,
    ...rewardAvailability(reward, isMember),
    validity: validityText(reward),
    limitText: reward.perMemberLimit ? `每人限兑 ${reward.perMemberLimit} 件，已兑 ${reward.redeemedByMe} 件` : '',
    tierText: reward.minTier ? `${reward.minTier.name}及以上会员可兑` : '',
  };
}

const couponView = (coupon: MpCoupon) => ({ name: coupon.rewardName, code: coupon.codeDisplay, expires: formatDateTime(coupon.expiresAt, { dateOnly: true }) });

SiyuPage({
  data: {
    status: 'loading' as ViewStatus,
    errorMessage: '',
    rewardId: '',
    reward: null as ReturnType<typeof rewardView> | null,
    redeeming: false,
    redeemError: '',
    coupon: null as ReturnType<typeof couponView> | null,
  },
  fields: {
    /** Made when the consumer confirms, kept until the server has answered for sure. */
    redeemKey: '',
  },
  methods: {
    onLoad(query: Record<string, string | undefined>): void {
      this.setData({ rewardId: query.id ?? '' });
      void this.load();
    },
    onRetry(): void {
      void this.load();
    },
    async load({ quiet = false }: { quiet?: boolean } = {}): Promise<void> {
      if (!quiet) this.setData({ status: 'loading' });
      try {
        // The member flag comes with the list's `available`; one reward alone does not say.
        const [reward, list] = await Promise.all([api.reward(this.data.rewardId), api.rewards()]);
        this.setData({ status: 'ready', reward: rewardView(reward, list.available !== null) });
      } catch (error) {
        if (!quiet) this.setData({ status: 'error', errorMessage: errorMessage(error) });
      }
    },

    async onTapRedeem(): Promise<void> {
      const reward = this.data.reward;
      if (!reward || this.data.redeeming) return;
      if (!reward.canRedeem) return toast(reward.label);
      const content = `使用 ${reward.pointsCost} 积分兑换「${reward.name}」？兑换成功后积分不退还。`;
      // Asked from the confirm tap itself, as WeChat requires; it runs beside the redemption and never holds it up.
      const onConfirm = () => void askToSubscribe([COUPON_EXPIRY_TEMPLATE_ID]);
      if (!(await confirm({ title: '确认兑换', content, confirmText: '确认兑换', onConfirm }))) return;
      this.redeemKey = idempotencyKey();
      await this.submitRedeem();
    },
    onRetryRedeem(): void {
      if (this.redeemKey) void this.submitRedeem();
    },
    async submitRedeem(): Promise<void> {
      this.setData({ redeeming: true, redeemError: '' });
      try {
        const reply = await api.redeem(this.data.rewardId, { idempotencyKey: this.redeemKey });
        this.redeemKey = '';
        this.setData({ redeeming: false, coupon: couponView(reply.coupon) });
        toast('兑换成功', 'success');
      } catch (error) {
        const uncertain = isUncertain(error);
        if (!uncertain) this.redeemKey = '';
        this.setData({ redeeming: false, redeemError: uncertain ? UNCERTAIN_REDEEM : '' });
        if (!uncertain) toast(errorMessage(error));
      }
      await this.load({ quiet: true });
    },
    onOpenCoupons(): void {
      wx.navigateTo({ url: '/pages/coupons/index?status=issued' });
    },
  },
});
