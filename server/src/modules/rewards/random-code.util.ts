import { randomInt } from 'node:crypto';

/** No 0/O, 1/I/L: codes are read aloud and typed at a till. */
export const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

export function randomCode(length: number): string {
  let code = '';
  for (let index = 0; index < length; index++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}
