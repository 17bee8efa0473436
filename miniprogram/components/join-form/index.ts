import type { MpJoinReply } from '../../../shared/src/mp-api.ts';
import { SiyuComponent } from '../../common/component';
import { toast } from '../../common/feedback';
import { CONSENT_WORDING_VERSION, TERMS_VERSION } from '../../config';
import { api } from '../../services/api';
import { errorMessage } from '../../services/api-error';

const TERMS_SUMMARY = `会员条款（版本 ${TERMS_VERSION}）：入会即同意我们使用您的手机号识别会员身份、记录积分与消费；积分规则以活动页面为准；营销消息可随时在“我的”中关闭。`;

export type JoinedDetail = Pick<MpJoinReply, 'referral' | 'created'>;

/**
 * Joining the loyalty program: the member terms (required), marketing messages (separate and optional) and the
 * phone number through getPhoneNumber. Fires `joined` with the referral outcome.
 */
SiyuComponent({
  props: {
    referralCode: { type: String, value: '' },
  },
  data: {
    acceptTerms: false,
    marketingConsent: false,
    joining: false,
  },
  methods: {
    onTermsChange(event: WechatMiniprogram.CheckboxGroupChange): void {
      this.setData({ acceptTerms: event.detail.value.includes('terms') });
    },
    onMarketingChange(event: WechatMiniprogram.CheckboxGroupChange): void {
      this.setData({ marketingConsent: event.detail.value.includes('marketing') });
    },
    onTapTerms(): void {
      wx.showModal({ title: '会员条款', content: TERMS_SUMMARY, showCancel: false, confirmText: '知道了' });
    },
    async onGetPhoneNumber(event: WechatMiniprogram.ButtonGetPhoneNumber): Promise<void> {
      const phoneCode = event.detail.code;
      if (!this.data.acceptTerms) return toast('请先阅读并同意会员条款');
      if (!phoneCode) return toast('需要授权手机号才能入会');
      this.setData({ joining: true });
      try {
        const joined = await api.join({
          phoneCode,
          acceptTerms: true,
          termsVersion: TERMS_VERSION,
          // Sent either way: a "no" is recorded against the wording shown, like a "yes".
          marketingConsent: this.data.marketingConsent,
          consentWordingVersion: CONSENT_WORDING_VERSION,
          ...(this.data.referralCode ? { referralCode: this.data.referralCode } : {}),
        });
        if (joined.referral === 'applied') toast('入会成功，邀请奖励已到账');
        else toast('入会成功', 'success');
        this.triggerEvent('joined', { referral: joined.referral, created: joined.created } satisfies JoinedDetail);
      } catch (error) {
        toast(errorMessage(error));
      } finally {
        this.setData({ joining: false });
      }
    },
  },
});
