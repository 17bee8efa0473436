/**
 * Code 128 symbol patterns, value 0…106: widths of bar, space, bar, space, bar, space (the stop symbol has a
 * final bar). Each symbol spans 11 modules; the stop spans 13.
 */
export const CODE128_PATTERNS = [
  '212222', '222122', '222221', '121223', '121322', '131222', '122213', '122312', '132212', '221213',
  '221312', '231212', '112232', '122132', '122231', '113222', '123122', '123221', '223211', '221132',
  '221231', '213212', '223112', '312131', '311222', '321122', '321221', '312212', '322112', '322211',
  '212123', '212321', '232121', '111323', '131123', '131321', '112313', '132113', '132311', '211313',
  '231113', '231311', '112133', '112331', '132131', '113123', '113321', '133121', '313121', '211331',
  '231131', '213113', '213311', '213131', '311123', '311321', '331121', '312113', '312311', '332111',
  '314111', '221411', '431111', '111224', '111422', '121124', '121421', '141122', '141221', '112214',
  '112412', '122114', '122411', '142112', '142211', '241211', '221114', '413111', '241112', '134111',
  '111242', '121142', '121241', '114212', '124112', '124211', '411212', '421112', '421211', '212141',
  '214121', '412121', '111143', '111341', '131141', '114113', '114311', '411113', '411311', '113141',
  '114131', '311141', '411131', '211412', '211214', '211232', '2331112',
] as const;

const START_B = 104;
const START_C = 105;
const CODE_C = 99;
const STOP = 106;
const CHECKSUM_MODULUS = 103;

function symbolsSetB(text: string): number[] {
  return [...text].map((char) => {
    const code = char.charCodeAt(0);
    if (code < 32 || code > 126) throw new RangeError(`Code 128 set B cannot encode ${JSON.stringify(char)}`);
    return code - 32;
  });
}

function symbolsSetC(digits: string): number[] {
  const pairs: number[] = [];
  for (let index = 0; index < digits.length; index += 2) pairs.push(Number(digits.slice(index, index + 2)));
  return pairs;
}

/** Digits pack two to a symbol in set C; an odd leading digit goes in set B first. Anything else is set B. */
function dataSymbols(text: string): number[] {
  if (!/^\d{2,}$/.test(text)) return [START_B, ...symbolsSetB(text)];
  if (text.length % 2 === 0) return [START_C, ...symbolsSetC(text)];
  return [START_B, ...symbolsSetB(text[0]), CODE_C, ...symbolsSetC(text.slice(1))];
}

/**
 * Encodes printable ASCII as Code 128 and returns the module widths of its bars and spaces, starting with a
 * bar: start symbol, data, check symbol, stop. Quiet zones are left to whoever draws it.
 */
export function encodeCode128(text: string): number[] {
  if (!text) throw new RangeError('Code 128 needs at least one character');
  const symbols = dataSymbols(text);
  const checksum = symbols.reduce((sum, value, index) => sum + value * Math.max(index, 1), 0) % CHECKSUM_MODULUS;
  return [...symbols, checksum, STOP].flatMap((value) => [...CODE128_PATTERNS[value]].map(Number));
}
