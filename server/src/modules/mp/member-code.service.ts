import { createHmac, timingSafeEqual } from 'node:crypto';
import QRCode from 'qrcode';
import type { MpMemberCode } from '../../../../shared/src/mp-api.ts';

export const MEMBER_CODE_WINDOW_MS = 60_000;
const VERSION = 'v1';
const CODE_PATTERN = /^v1\.([a-f0-9]{24})\.(\d{1,15})\.([A-Za-z0-9_-]{43})$/;

export type MemberCodeCheck =
  | { ok: true; customerId: string; window: number }
  | { ok: false; reason: 'malformed' | 'forged' | 'expired' };

/**
 * Dynamic member codes `v1.<customerId>.<window>.<hmac>`: the window is the minute, so a screenshot stops
 * working. The previous window is still accepted, for a scanner whose clock lags or a code shown at :59.
 */
export function createMemberCodes(options: { secret: string }) {
  const sign = (customerId: string, window: number) =>
    createHmac('sha256', options.secret).update(`${VERSION}.${customerId}.${window}`).digest('base64url');

  function issue(customerId: string, now: Date = new Date()): { code: string; expiresAt: Date } {
    const window = Math.floor(now.getTime() / MEMBER_CODE_WINDOW_MS);
    return { code: `${VERSION}.${customerId}.${window}.${sign(customerId, window)}`, expiresAt: new Date((window + 1) * MEMBER_CODE_WINDOW_MS) };
  }

  function verify(code: string, now: Date = new Date()): MemberCodeCheck {
    const match = CODE_PATTERN.exec(code);
    if (!match) return { ok: false, reason: 'malformed' };
    const [, customerId, windowText, mac] = match;
    const window = Number(windowText);
    const expected = Buffer.from(sign(customerId, window));
    if (!timingSafeEqual(expected, Buffer.from(mac))) return { ok: false, reason: 'forged' };
    const current = Math.floor(now.getTime() / MEMBER_CODE_WINDOW_MS);
    // A window from the future is as suspicious as an old one: both are refused.
    if (window !== current && window !== current - 1) return { ok: false, reason: 'expired' };
    return { ok: true, customerId, window };
  }

  /** A fresh code with its QR image, as the card shows it. */
  async function display(customerId: string, now: Date = new Date()): Promise<MpMemberCode> {
    const { code, expiresAt } = issue(customerId, now);
    const qrDataUrl = await QRCode.toDataURL(code, { errorCorrectionLevel: 'M', margin: 1, scale: 6 });
    return { code, expiresAt: expiresAt.toISOString(), qrDataUrl };
  }

  return { issue, verify, display };
}

export type MemberCodes = ReturnType<typeof createMemberCodes>;
