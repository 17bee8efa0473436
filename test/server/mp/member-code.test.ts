import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createMemberCodes, MEMBER_CODE_WINDOW_MS } from '../../../server/src/modules/mp/member-code.service.ts';

const SECRET = 'member-code-secret-for-tests-0123456789';
const CUSTOMER = '65a1b2c3d4e5f60718293a4b';

describe('member codes', () => {
  const codes = createMemberCodes({ secret: SECRET });
  const at = new Date('2026-11-25T08:00:30.000Z');

  it('issues v1.<customerId>.<minute>.<hmac>, valid until the end of the minute', () => {
    const { code, expiresAt } = codes.issue(CUSTOMER, at);
    const window = Math.floor(at.getTime() / MEMBER_CODE_WINDOW_MS);
    expect(code).toMatch(new RegExp(`^v1\\.${CUSTOMER}\\.${window}\\.[A-Za-z0-9_-]{43}$`));
    expect(expiresAt.toISOString()).toBe('2026-11-25T08:01:00.000Z');
    expect(codes.issue(CUSTOMER, new Date(at.getTime() + 60_000)).code).not.toBe(code);
  });

  it.each([
    ['the same minute', 0, true],
    ['the next minute (clock skew, code shown at :59)', 60_000, true],
    ['two minutes later', 120_000, false],
    ['an hour later', 3_600_000, false],
    ['a minute earlier (a code from the future)', -60_000, false],
  ])('verifies a code scanned %s: %s', (_label, offset, ok) => {
    const { code } = codes.issue(CUSTOMER, at);
    const check = codes.verify(code, new Date(at.getTime() + offset));
    expect(check.ok).toBe(ok);
    if (ok) expect(check).toMatchObject({ customerId: CUSTOMER });
    else expect(check).toEqual({ ok: false, reason: 'expired' });
  });

  it('rejects a code signed with another key, or with its customer or minute changed, as forged', () => {
    const { code } = codes.issue(CUSTOMER, at);
    const [version, , window, mac] = code.split('.');
    const otherKey = createMemberCodes({ secret: 'another-secret-entirely-0123456789' }).issue(CUSTOMER, at).code;
    const otherCustomer = [version, '65a1b2c3d4e5f60718293a4c', window, mac].join('.');
    const otherWindow = [version, CUSTOMER, String(Number(window) + 1), mac].join('.');
    const recomputedWithoutKey = [version, CUSTOMER, window, createHmac('sha256', '').update(`v1.${CUSTOMER}.${window}`).digest('base64url')].join('.');
    for (const forged of [otherKey, otherCustomer, otherWindow, recomputedWithoutKey]) {
      expect(codes.verify(forged, at)).toEqual({ ok: false, reason: 'forged' });
    }
  });

  it.each([
    [''],
    ['v1'],
    ['v2.65a1b2c3d4e5f60718293a4b.29712000.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['v1.not-an-id.29712000.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['v1.65a1b2c3d4e5f60718293a4b.-1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['v1.65a1b2c3d4e5f60718293a4b.29712000.short'],
    ['v1.65a1b2c3d4e5f60718293a4b.29712000.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.extra'],
    ['https://evil.example/v1.65a1b2c3d4e5f60718293a4b'],
  ])('rejects %j as malformed', (code) => {
    expect(codes.verify(code, at)).toEqual({ ok: false, reason: 'malformed' });
  });
});
