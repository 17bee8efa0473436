import { webcrypto } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';

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
 */
export function createConsumerTokens(options: ConsumerTokenOptions) {
  // Imported once as a CryptoKey: given bytes or a KeyObject, jose would import it again for every token.
  const key = webcrypto.subtle.importKey('raw', new TextEncoder().encode(options.secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
  key.catch(() => undefined); // a bad secret fails each issue/verify call, not the process

  async function issue(customerId: string, now: Date = new Date()): Promise<{ token: string; expiresAt: Date }> {
    const issuedAt = Math.floor(now.getTime() / 1000);
    const expiresAt = new Date((issuedAt + options.ttlMinutes * 60) * 1000);
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(CONSUMER_TOKEN_ISSUER)
      .setAudience(CONSUMER_TOKEN_AUDIENCE)
      .setSubject(customerId)
      .setIssuedAt(issuedAt)
      .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
      .sign(await key);
    return { token, expiresAt };
  }

  /** The customer the token is bound to, or null for anything forged, expired or meant for someone else. */
  async function verify(token: string): Promise<{ customerId: string } | null> {
    try {
      const { payload } = await jwtVerify(token, await key, {
        issuer: CONSUMER_TOKEN_ISSUER,
        audience: CONSUMER_TOKEN_AUDIENCE,
        algorithms: ['HS256'],
        requiredClaims: ['sub', 'exp'],
      });
      return payload.sub && CUSTOMER_ID.test(payload.sub) ? { customerId: payload.sub } : null;
    } catch {
      return null;
    }
  }

  return { issue, verify };
}

export type ConsumerTokens = ReturnType<typeof createConsumerTokens>;
