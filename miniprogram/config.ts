/** The API server. Add it to the mini-program's request domain list in the WeChat admin console. */
export const API_BASE_URL = 'https://api.siyu.example.com';

/** Versions of the wording the consumer is shown; the server stores them with each acceptance. */
export const TERMS_VERSION = 'terms-2026-01';
export const CONSENT_WORDING_VERSION = 'marketing-2026-01';

/**
 * Subscribe-message templates (wx.requestSubscribeMessage), one-time. The ids come from the WeChat admin console
 * (mp.weixin.qq.com → 功能 → 订阅消息) once the templates are chosen there; replace these placeholders with them.
 */
export const CHECKIN_REMINDER_TEMPLATE_ID = 'REPLACE_WITH_CHECKIN_REMINDER_TEMPLATE_ID';
export const COUPON_EXPIRY_TEMPLATE_ID = 'REPLACE_WITH_COUPON_EXPIRY_TEMPLATE_ID';
