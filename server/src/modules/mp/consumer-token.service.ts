import { createSigner, createVerifier } from 'fast-jwt';

export const CONSUMER_TOKEN_ISSUER = 'siyu';
export const CONSUMER_TOKEN_AUDIENCE = 'mp';
const CUSTOMER_ID = /^[a-f0-9]{24}$/;

export interface ConsumerTokenOptions {
  secret: string;
  ttlMinutes: number;
}

/**
 * Short-lived, stateless consumer tokens: HS256 JWTs bound to one customer. They share nothing with staff
 * sessions (opaque tokens looked up in the database), so neither kind is ever accepted in place of the other.
 * fast-jwt signs and checks with node:crypto synchronously: every mini-program request verifies one, and the
 * Web Crypto round trip jose needs cost more CPU than a check-in's own logic.
 */
export function createConsumerTokens(options: ConsumerTokenOptions) {
  const sign = createSigner({
    key: options.secret,
    algorithm: 'HS256',
    iss: CONSUMER_TOKEN_ISSUER,
    aud: CONSUMER_TOKEN_AUDIENCE,
    expiresIn: options.ttlMinutes * 60_000,
  });
  const check = createVerifier({
    key: options.secret,
    algorithms: ['HS256'],
    allowedIss: CONSUMER_TOKEN_ISSUER,
    allowedAud: CONSUMER_TOKEN_AUDIENCE,
    // fast-jwt checks iss and aud only when present: requiring them refuses tokens minted without them.
    requiredClaims: ['sub', 'exp', 'iss', 'aud'],
  });

  async function issue(customerId: string, now: Date = new Date()): Promise<{ token: string; expiresAt: Date }> {
    const issuedAt = Math.floor(now.getTime() / 1000);
    const token = sign({ sub: customerId, iat: issuedAt });
    return { token, expiresAt: new Date((issuedAt + options.ttlMinutes * 60) * 1000) };
  }

  /** The customer the token is bound to, or null for anything forged, expired or meant for someone else. */
  async function verify(token: string): Promise<{ customerId: string } | null> {
    try {
      const { sub } = check(token) as { sub?: unknown };
      return typeof sub === 'string' && CUSTOMER_ID.test(sub) ? { customerId: sub } : null;
    } catch {
      return null;
    }
  }

  return { issue, verify };
}

export type ConsumerTokens = ReturnType<typeof createConsumerTokens>;
