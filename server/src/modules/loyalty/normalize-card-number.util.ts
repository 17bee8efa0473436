import { luhnCheckDigit } from './luhn-check-digit.util.ts';

export const CARD_NUMBER_LENGTH = 9;

/** Strips the spaces and dashes people type or read aloud; null unless 9 digits with a valid Luhn check digit. */
export function normalizeCardNumber(raw: string): string | null {
  const digits = raw.replace(/[\s-]/g, '');
  if (!/^\d+$/.test(digits) || digits.length !== CARD_NUMBER_LENGTH) return null;
  return luhnCheckDigit(digits.slice(0, -1)) === Number(digits.at(-1)) ? digits : null;
}
