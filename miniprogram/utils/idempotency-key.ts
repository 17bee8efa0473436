const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const RANDOM_LENGTH = 24;

/**
 * A key for one intended operation (one tap of 确认兑换), sent again unchanged on every retry so the server
 * applies it once. Uniqueness, not secrecy, is what matters here, so Math.random is enough.
 */
export function idempotencyKey(random: () => number = Math.random, now: number = Date.now()): string {
  let key = `${now.toString(36)}-`;
  for (let index = 0; index < RANDOM_LENGTH; index += 1) key += ALPHABET[Math.floor(random() * ALPHABET.length)];
  return key;
}
