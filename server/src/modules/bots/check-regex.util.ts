export const MAX_REGEX_LENGTH = 200;
const MAX_OPTIONALS = 5;

const LOOKAROUND = /^\(\?<?[=!]/;
const NAMED_OR_PLAIN_GROUP = /^\(\?(?:<[A-Za-z_$][\w$]*>|:)/;
const BRACES = /^\{(\d+)(,(\d*))?\}/;

interface Quantifier {
  length: number;
  /** Can match the atom more than once, a variable number of times (*, +, {n,}, {m,n}). */
  repeats: boolean;
  optional: boolean;
}

function readQuantifier(pattern: string, at: number): Quantifier | null {
  const char = pattern[at];
  let length = 1;
  let repeats = char === '*' || char === '+';
  let optional = char === '?';
  if (char === '{') {
    const braces = BRACES.exec(pattern.slice(at));
    if (!braces) return null;
    length = braces[0].length;
    const min = Number(braces[1]);
    const max = braces[2] ? (braces[3] ? Number(braces[3]) : Infinity) : min;
    repeats = max > 1 && max > min;
    optional = max === 1 && min === 0;
  } else if (!repeats && !optional) return null;
  if (pattern[at + length] === '?') length++;
  return { length, repeats, optional };
}

/**
 * Why a pattern operators typed is unsafe to run on every inbound message, or null when it is safe. V8 backtracks:
 * a repeated group that itself repeats or alternates is exponential (`(a+)+`), and two repetitions in one pattern
 * are cubic (`.*a.*b` took 2.4 s on a 2,000-character message), so a pattern may repeat once. Backreferences and
 * lookarounds are refused as well. Rules run on the message's first 2,000 characters, which bounds the one
 * repetition to quadratic work.
 */
export function unsafeRegexReason(pattern: string): string | null {
  if (!pattern.length) return 'is empty';
  if (pattern.length > MAX_REGEX_LENGTH) return `is longer than ${MAX_REGEX_LENGTH} characters`;
  try {
    new RegExp(pattern, 'iu');
  } catch (error) {
    return `is not a valid regular expression (${(error as Error).message})`;
  }
  const groups: Array<{ ambiguous: boolean }> = [{ ambiguous: false }];
  let lastGroupAmbiguous = false;
  let repetitions = 0;
  let optionals = 0;
  for (let at = 0; at < pattern.length; at++) {
    const char = pattern[at];
    const quantifier = readQuantifier(pattern, at);
    if (quantifier) {
      if (quantifier.repeats && lastGroupAmbiguous) return 'repeats a group that itself repeats or has alternatives (catastrophic backtracking)';
      if (quantifier.repeats) repetitions++;
      if (quantifier.optional) optionals++;
      if (quantifier.repeats || quantifier.optional) groups[groups.length - 1].ambiguous = true;
      at += quantifier.length - 1;
      lastGroupAmbiguous = false;
      continue;
    }
    lastGroupAmbiguous = false;
    if (char === '\\') {
      const next = pattern[at + 1];
      if (/[1-9k]/.test(next)) return 'uses a backreference';
      at += /[pPu]/.test(next) && pattern[at + 2] === '{' ? pattern.indexOf('}', at) - at : 1;
    } else if (char === '[') {
      for (at++; at < pattern.length && pattern[at] !== ']'; at++) if (pattern[at] === '\\') at++;
    } else if (char === '(') {
      if (LOOKAROUND.test(pattern.slice(at))) return 'uses a lookaround';
      groups.push({ ambiguous: false });
      at += (NAMED_OR_PLAIN_GROUP.exec(pattern.slice(at))?.[0].length ?? 1) - 1;
    } else if (char === ')') {
      const closed = groups.pop()!;
      lastGroupAmbiguous = closed.ambiguous;
      if (closed.ambiguous) groups[groups.length - 1].ambiguous = true;
    } else if (char === '|') {
      groups[groups.length - 1].ambiguous = true;
    }
  }
  if (repetitions > 1) return 'repeats more than once (e.g. two .* make long messages slow); keep one *, + or {m,n}';
  if (optionals > MAX_OPTIONALS) return `has more than ${MAX_OPTIONALS} optional parts`;
  return null;
}
