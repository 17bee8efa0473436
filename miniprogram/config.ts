/** The API server. Add it to the mini-program's request domain list in the WeChat admin console. */
export const API_BASE_URL = 'https://api.siyu.example.com';

/** Versions of the wording the consumer is shown; the server stores them with each acceptance. */
export const TERMS_VERSION = 'terms-2026-01';
export const CONSENT_WORDING_VERSION = 'marketing-2026-01';
