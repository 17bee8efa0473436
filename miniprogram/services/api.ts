/**
 * The mini-program API (`/api/mp/*`), typed with the schemas the server's routes use (shared/src). Every call
 * resolves with the reply or rejects with an ApiError whose message can be shown as is.
 */
import type {
  MpCalendarQuery,
  MpCalendarReply,
  MpCardReply,
  MpCheckInReply,
  MpConsentBody,
  MpJoinBody,
  MpJoinReply,
  MpMakeUpBody,
  MpMakeUpReply,
  MpMeReply,
  MpMemberCode,
  MpPointsPage,
  MpPointsQuery,
  MpSubscriptionsBody,
  MpSubscriptionsReply,
} from '../../shared/src/mp-api.ts';
import type {
  MpCoupon,
  MpCouponsPage,
  MpCouponsQuery,
  MpRedeemBody,
  MpRedeemReply,
  MpReferralReply,
  MpReward,
  MpRewardList,
} from '../../shared/src/rewards-api.ts';
import { request } from './request';

const id = (value: string) => encodeURIComponent(value);

export const api = {
  me: () => request<MpMeReply>({ method: 'GET', path: '/api/mp/me' }),
  setConsent: (body: MpConsentBody) => request<MpMeReply>({ method: 'PUT', path: '/api/mp/me/consent', body }),
  join: (body: MpJoinBody) => request<MpJoinReply>({ method: 'POST', path: '/api/mp/join', body }),

  card: () => request<MpCardReply>({ method: 'GET', path: '/api/mp/card' }),
  memberCode: () => request<MpMemberCode>({ method: 'GET', path: '/api/mp/card/code' }),

  checkIn: () => request<MpCheckInReply>({ method: 'POST', path: '/api/mp/checkins' }),
  makeUp: (body: MpMakeUpBody) => request<MpMakeUpReply>({ method: 'POST', path: '/api/mp/checkins/makeup', body }),
  calendar: (query: MpCalendarQuery) => request<MpCalendarReply>({ method: 'GET', path: '/api/mp/checkins', query }),
  points: (query: MpPointsQuery) => request<MpPointsPage>({ method: 'GET', path: '/api/mp/points', query }),

  rewards: () => request<MpRewardList>({ method: 'GET', path: '/api/mp/rewards' }),
  reward: (rewardId: string) => request<MpReward>({ method: 'GET', path: `/api/mp/rewards/${id(rewardId)}` }),
  redeem: (rewardId: string, body: MpRedeemBody) => request<MpRedeemReply>({ method: 'POST', path: `/api/mp/rewards/${id(rewardId)}/redeem`, body }),
  coupons: (query: MpCouponsQuery) => request<MpCouponsPage>({ method: 'GET', path: '/api/mp/coupons', query }),
  coupon: (couponId: string) => request<MpCoupon>({ method: 'GET', path: `/api/mp/coupons/${id(couponId)}` }),
  referral: () => request<MpReferralReply>({ method: 'GET', path: '/api/mp/referral' }),

  /** Template id → decision, as wx.requestSubscribeMessage answered without its errMsg. */
  recordSubscriptions: (results: MpSubscriptionsBody['results']) =>
    request<MpSubscriptionsReply>({ method: 'POST', path: '/api/mp/subscriptions', body: { results } satisfies MpSubscriptionsBody }),
};
