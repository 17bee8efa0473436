import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { injectAs, type Session } from '../../helpers/app.ts';
import { buildMpTestApp, injectWithToken, loginConsumer, openid, type ConsumerSession, type MpTestApp } from './mp-app.ts';

const TOKEN_SECRET = 'consumer-token-secret-for-tests-0123456789';

describe('consumer tokens', () => {
  let kit: MpTestApp;
  let consumer: ConsumerSession;
  let staff: Session;

  beforeAll(async () => {
    kit = await buildMpTestApp({ consumerTokenSecret: TOKEN_SECRET });
    consumer = await loginConsumer(kit, { openid: openid('auth') });
    staff = await injectAs(kit.app, 'admin');
  });
  afterAll(() => kit.close());

  /** A token with our secret and the given claims; null leaves a claim out. */
  const forge = (claims: { sub?: string; iss?: string | null; aud?: string | null; exp?: number }, secret = TOKEN_SECRET) => {
    const jwt = new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(claims.sub ?? consumer.customerId);
    if (claims.iss !== null) jwt.setIssuer(claims.iss ?? 'siyu');
    if (claims.aud !== null) jwt.setAudience(claims.aud ?? 'mp');
    return jwt
      .setIssuedAt()
      .setExpirationTime(claims.exp ?? Math.floor(Date.now() / 1000) + 600)
      .sign(new TextEncoder().encode(secret));
  };

  it('reads my own profile with my token', async () => {
    const response = await consumer.inject({ method: 'GET', url: '/api/mp/me' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      id: consumer.customerId,
      nickname: null,
      avatarUrl: null,
      phone: null,
      isMember: false,
      consent: { marketing: false, wordingVersion: null, at: null },
    });
  });

  it.each([
    ['GET', '/api/customers'],
    ['GET', '/api/auth/me'],
    ['GET', '/api/settings'],
    ['GET', '/api/audit'],
  ])('a consumer token on the staff route %s %s is 401', async (method, url) => {
    const response = await consumer.inject({ method: method as 'GET', url });
    expect(response.statusCode).toBe(401);
  });

  it('a consumer token cannot open another customer through the staff API', async () => {
    const response = await consumer.inject({ method: 'GET', url: `/api/customers/${consumer.customerId}` });
    expect(response.statusCode).toBe(401);
  });

  it('a staff session, as bearer or cookie, is not accepted on /api/mp', async () => {
    expect((await staff.inject({ method: 'GET', url: '/api/mp/me' })).statusCode).toBe(401);
    const withCookie = await kit.app.inject({ method: 'GET', url: '/api/mp/me', cookies: { siyu_session: staff.token } });
    expect(withCookie.statusCode).toBe(401);
  });

  it('without a token every consumer route is 401', async () => {
    for (const [method, url] of [['GET', '/api/mp/me'], ['PUT', '/api/mp/me/consent'], ['GET', '/api/mp/card/code'], ['GET', '/api/mp/subscriptions']] as const) {
      expect((await kit.app.inject({ method, url })).statusCode, `${method} ${url}`).toBe(401);
    }
  });

  it('rejects expired, forged and misdirected tokens with 401', async () => {
    const expired = await kit.app.mp.tokens.issue(consumer.customerId, new Date(Date.now() - 3 * 3_600_000));
    const candidates = [
      expired.token,
      await forge({}, 'another-secret-entirely-0123456789abcdef'),
      await forge({ aud: 'console' }),
      await forge({ iss: 'someone-else' }),
      await forge({ iss: null }),
      await forge({ aud: null }),
      await forge({ sub: '../../etc' }),
      await forge({ exp: Math.floor(Date.now() / 1000) - 5 }),
      `${consumer.token.split('.').slice(0, 2).join('.')}.`,
      `eyJhbGciOiJub25lIn0.${consumer.token.split('.')[1]}.`,
      'not-a-token',
    ];
    for (const token of candidates) {
      const response = await injectWithToken(kit.app, token)({ method: 'GET', url: '/api/mp/me' });
      expect(response.statusCode, token).toBe(401);
      expect(response.json().code).toBe('UNAUTHENTICATED');
    }
  });

  it("a token signed for another customer reads that customer's record only, never someone else's", async () => {
    const other = await loginConsumer(kit, { openid: openid('other') });
    const mine = (await consumer.inject({ method: 'GET', url: '/api/mp/me' })).json();
    const theirs = (await other.inject({ method: 'GET', url: '/api/mp/me' })).json();
    expect(mine.id).toBe(consumer.customerId);
    expect(theirs.id).toBe(other.customerId);
    expect(mine.id).not.toBe(theirs.id);
  });
});

describe('PUT /api/mp/me/consent', () => {
  let kit: MpTestApp;
  beforeAll(async () => {
    kit = await buildMpTestApp();
  });
  afterAll(() => kit.close());

  it('grants and withdraws marketing consent for the mp channel, with the time and wording version', async () => {
    const consumer = await loginConsumer(kit, { openid: openid('consent') });
    const granted = await consumer.inject({ method: 'PUT', url: '/api/mp/me/consent', payload: { marketing: true, wordingVersion: 'mkt-2026-01' } });
    expect(granted.statusCode).toBe(200);
    expect(granted.json().consent).toEqual({ marketing: true, wordingVersion: 'mkt-2026-01', at: expect.any(String) });

    const withdrawn = await consumer.inject({ method: 'PUT', url: '/api/mp/me/consent', payload: { marketing: false, wordingVersion: 'mkt-2026-02' } });
    expect(withdrawn.json().consent).toMatchObject({ marketing: false, wordingVersion: 'mkt-2026-02' });
    const stored = await kit.app.customers.get(consumer.customerId);
    expect(stored?.consents).toEqual([expect.objectContaining({ channel: 'mp', status: 'withdrawn', method: 'mp-settings', wordingVersion: 'mkt-2026-02' })]);
  });

  it.each([[{ marketing: 'yes', wordingVersion: 'v1' }], [{ marketing: true }], [{ marketing: true, wordingVersion: 'v1', channel: 'sms' }], [{ marketing: true, wordingVersion: { $ne: 1 } }]])(
    'rejects %o with 400',
    async (payload) => {
      const consumer = await loginConsumer(kit, { openid: openid('bad') });
      const response = await consumer.inject({ method: 'PUT', url: '/api/mp/me/consent', payload });
      expect(response.statusCode).toBe(400);
      expect((await kit.app.customers.get(consumer.customerId))?.consents).toEqual([]);
    },
  );
});
