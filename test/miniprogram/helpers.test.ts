import { describe, expect, it } from 'vitest';
import type { MpReward } from '../../shared/src/rewards-api.ts';
import { barRects } from '../../miniprogram/utils/bar-rects.ts';
import { CODE128_PATTERNS, encodeCode128 } from '../../miniprogram/utils/code128.ts';
import { formatCardNumber } from '../../miniprogram/utils/format-card-number.ts';
import { idempotencyKey } from '../../miniprogram/utils/idempotency-key.ts';
import { monthWeeks } from '../../miniprogram/utils/month-weeks.ts';
import { referralCodeFrom } from '../../miniprogram/utils/referral-code.ts';
import { rewardAvailability } from '../../miniprogram/utils/reward-availability.ts';
import { tierProgress } from '../../miniprogram/utils/tier-progress.ts';

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

/** Splits module widths back into the symbol values they encode. */
function decodeSymbols(widths: number[]): number[] {
  const symbols: number[] = [];
  for (let index = 0; index < widths.length - 7; index += 6) symbols.push(CODE128_PATTERNS.indexOf(widths.slice(index, index + 6).join('') as (typeof CODE128_PATTERNS)[number]));
  symbols.push(CODE128_PATTERNS.indexOf(widths.slice(-7).join('') as (typeof CODE128_PATTERNS)[number]));
  return symbols;
}

describe('encodeCode128', () => {
  it('has 107 distinct symbols of 11 modules whose bars are even and spaces odd, as the standard requires', () => {
    expect(new Set(CODE128_PATTERNS).size).toBe(107);
    for (const pattern of CODE128_PATTERNS.slice(0, 106)) {
      const widths = [...pattern].map(Number);
      expect(sum(widths)).toBe(11);
      expect(sum(widths.filter((_, index) => index % 2 === 0)) % 2).toBe(0);
    }
    expect(CODE128_PATTERNS[106]).toBe('2331112');
  });

  it.each([
    // start C, 88 00 12 34 55, check (105 + 88 + 0·2 + 12·3 + 34·4 + 55·5) mod 103 = 22, stop
    ['8800123455', [105, 88, 0, 12, 34, 55, 22, 106]],
    // start C, 01 23 45, check (105 + 1 + 23·2 + 45·3) mod 103 = 81
    ['012345', [105, 1, 23, 45, 81, 106]],
    // odd length: "1" in set B (17), CODE C (99), 23 45; check (104 + 17 + 99·2 + 23·3 + 45·4) mod 103 = 53
    ['12345', [104, 17, 99, 23, 45, 53, 106]],
    // letters use set B: "A" is 33, "b" is 66; check (104 + 33 + 66·2) mod 103 = 63
    ['Ab', [104, 33, 66, 63, 106]],
  ])('encodes %s as symbols %j', (text, symbols) => {
    const widths = encodeCode128(text);
    expect(decodeSymbols(widths)).toEqual(symbols);
    expect(sum(widths)).toBe(11 * (symbols.length - 1) + 13);
  });

  it('refuses what Code 128 set B cannot carry', () => {
    expect(() => encodeCode128('')).toThrow(RangeError);
    expect(() => encodeCode128('会员')).toThrow(RangeError);
  });
});

describe('barRects', () => {
  it('places the bars inside quiet zones and covers the width proportionally', () => {
    const rects = barRects({ widths: [2, 1, 1, 3, 1], width: 28, quietModules: 10 });
    // 8 modules + 20 quiet = 28 modules, one pixel each
    expect(rects).toEqual([
      { x: 10, width: 2 },
      { x: 13, width: 1 },
      { x: 17, width: 1 },
    ]);
  });

  it('never draws a bar thinner than a pixel', () => {
    const rects = barRects({ widths: encodeCode128('880012345'), width: 50 });
    expect(rects.every((rect) => rect.width >= 1)).toBe(true);
  });
});

describe('monthWeeks', () => {
  it('lays out November 2026 from Monday: the 1st is a Sunday', () => {
    const weeks = monthWeeks('2026-11');
    expect(weeks).toHaveLength(6);
    expect(weeks[0]).toEqual([null, null, null, null, null, null, '2026-11-01']);
    expect(weeks[5]).toEqual(['2026-11-30', null, null, null, null, null, null]);
    expect(weeks.flat().filter(Boolean)).toHaveLength(30);
  });

  it('starts weeks on Sunday when asked', () => {
    expect(monthWeeks('2026-11', 0)[0][0]).toBe('2026-11-01');
  });

  it.each([
    ['2024-02', 29],
    ['2026-02', 28],
    ['2026-12', 31],
  ])('gives %s its %i days, in rows of seven', (month, days) => {
    const weeks = monthWeeks(month);
    expect(weeks.flat().filter(Boolean)).toHaveLength(days);
    expect(weeks.every((week) => week.length === 7)).toBe(true);
  });

  it('refuses what is not a month', () => {
    expect(() => monthWeeks('2026-1')).toThrow(RangeError);
  });
});

describe('formatCardNumber', () => {
  it.each([
    ['880012345', '8800 1234 5'],
    ['88001234', '8800 1234'],
    ['8800 1234 5', '8800 1234 5'],
    ['123', '123'],
  ])('%s → %s', (input, expected) => {
    expect(formatCardNumber(input)).toBe(expected);
  });
});

describe('tierProgress', () => {
  it.each([
    [0, 1000, 0],
    [250, 750, 25],
    [999, 1, 99],
    [20000, null, 100],
  ])('%i lifetime points with %s still needed → %i%%', (lifetimePoints, pointsNeeded, percent) => {
    expect(tierProgress({ lifetimePoints, pointsNeeded })).toBe(percent);
  });
});

describe('idempotencyKey', () => {
  it('matches the redeem schema and differs between calls', () => {
    const first = idempotencyKey();
    expect(first).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    expect(idempotencyKey()).not.toBe(first);
  });
});

describe('referralCodeFrom', () => {
  it.each([
    ['K7QM2P', 'K7QM2P'],
    [undefined, ''],
    ['ab', ''],
    ['K7QM2P&x=1', ''],
  ])('%s → %j', (ref, code) => {
    expect(referralCodeFrom(ref)).toBe(code);
  });
});

describe('rewardAvailability', () => {
  const reward = (fields: Partial<MpReward>): MpReward => ({
    id: '0123456789abcdef01234567',
    name: '帆布袋',
    description: '',
    imageUrl: null,
    pointsCost: 100,
    stock: 5,
    perMemberLimit: null,
    redeemedByMe: 0,
    validFrom: null,
    validTo: null,
    minTier: null,
    couponValidDays: 30,
    affordable: true,
    eligible: true,
    ...fields,
  });

  it.each([
    ['on offer', reward({}), true, { canRedeem: true, label: '立即兑换' }],
    ['sold out before anything else', reward({ stock: 0, affordable: false }), true, { canRedeem: false, label: '已兑完' }],
    ['not a member', reward({ affordable: false, eligible: false }), false, { canRedeem: false, label: '入会后可兑' }],
    ['limit reached', reward({ eligible: false, perMemberLimit: 1, redeemedByMe: 1 }), true, { canRedeem: false, label: '已达兑换上限' }],
    ['tier too low', reward({ eligible: false, minTier: { code: 'gold', name: '金卡' } }), true, { canRedeem: false, label: '金卡及以上可兑' }],
    ['too few points', reward({ affordable: false }), true, { canRedeem: false, label: '积分不足' }],
  ])('%s', (_case, input, isMember, expected) => {
    expect(rewardAvailability(input, isMember)).toEqual(expected);
  });
});
