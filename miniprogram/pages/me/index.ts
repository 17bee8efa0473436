import type { MpMeReply } from '../../../shared/src/mp-api.ts';
import type { MpReferralReply } from '../../../shared/src/rewards-api.ts';
import { SiyuPage } from '../../common/component';
import { toast } from '../../common/feedback';
import { goJoin } from '../../common/load-failure';
import type { ViewStatus } from '../../common/view-status';
import { CONSENT_WORDING_VERSION } from '../../config';
import { api } from '../../services/api';
import { errorMessage, isApiError } from '../../services/api-error';
import { formatDateTime } from '../../utils/format-date-time';

const SHARE_TITLE = '送你一张会员卡，入会就领积分';
const DEFAULT_NICKNAME = '微信用户';

/** Shared without an invitation (the referral could not be loaded): the card page, which offers joining. */
const FALLBACK_SHARE_PATH = '/pages/card/index';

function profileView(me: MpMeReply) {
  return {
    nickname: me.nickname || DEFAULT_NICKNAME,
    avatarUrl: me.avatarUrl ?? '',
    phone: me.phone ?? '未绑定',
    isMember: me.isMember,
  };
}

const consentNote = (me: MpMeReply) => (me.consent.at ? `${me.consent.marketing ? '开启' : '关闭'}于 ${formatDateTime(me.consent.at)}` : '');

SiyuPage({
  data: {
    status: 'loading' as ViewStatus,
    errorMessage: '',
    profile: null as ReturnType<typeof profileView> | null,
    marketing: false,
    consentNote: '',
    savingConsent: false,
    referral: null as MpReferralReply | null,
  },
  methods: {
    onLoad(): void {
      void this.load();
    },
    async onPullDownRefresh(): Promise<void> {
      await this.load();
      wx.stopPullDownRefresh();
    },
    onRetry(): void {
      void this.load();
    },

    async load(): Promise<void> {
      this.setData({ status: 'loading' });
      try {
        const me = await api.me();
        const referral = me.isMember ? await this.loadReferral() : null;
        this.setData({ status: 'ready', profile: profileView(me), marketing: me.consent.marketing, consentNote: consentNote(me), referral });
      } catch (error) {
        this.setData({ status: 'error', errorMessage: errorMessage(error) });
      }
    },
    /** The invitation block is optional: the page still works when it cannot be loaded. */
    async loadReferral(): Promise<MpReferralReply | null> {
      try {
        return await api.referral();
      } catch (error) {
        if (!isApiError(error, 'NOT_A_MEMBER')) toast(`邀请信息加载失败：${errorMessage(error)}`);
        return null;
      }
    },

    async onConsentChange(event: WechatMiniprogram.SwitchChange): Promise<void> {
      const marketing = event.detail.value;
      this.setData({ marketing, savingConsent: true });
      try {
        const me = await api.setConsent({ marketing, wordingVersion: CONSENT_WORDING_VERSION });
        this.setData({ marketing: me.consent.marketing, consentNote: consentNote(me) });
        toast(marketing ? '已开启活动消息' : '已关闭活动消息');
      } catch (error) {
        this.setData({ marketing: !marketing });
        toast(errorMessage(error));
      } finally {
        this.setData({ savingConsent: false });
      }
    },

    onCopyCode(): void {
      const code = this.data.referral?.code;
      if (code) wx.setClipboardData({ data: code });
    },
    onJoin(): void {
      goJoin();
    },
    onOpenCoupons(): void {
      wx.navigateTo({ url: '/pages/coupons/index' });
    },
    onOpenPoints(): void {
      wx.switchTab({ url: '/pages/points/index' });
    },
    onShareAppMessage(): WechatMiniprogram.Page.ICustomShareContent {
      // The server's path (pages/join/index?ref=…) is relative to the mini-program root.
      const path = this.data.referral ? `/${this.data.referral.path.replace(/^\//, '')}` : FALLBACK_SHARE_PATH;
      return { title: SHARE_TITLE, path };
    },
  },
});
