import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CONFIG,
  EMPTY_STATE,
  decideSend,
  localDay,
  recordInbound,
  recordSend,
  type ThrottleConfig,
  type ThrottleDecision,
  type ThrottleState,
} from '../../bot/src/send-throttle.ts';

const config: ThrottleConfig = {
  settings: { replyMinGapMs: 3_000, proactiveMinGapMs: 15_000, proactiveMaxGapMs: 35_000, dailyCap: 5, unansweredPerContactPerDay: 2 },
  maxWaitMs: { reply: 60_000, proactive: 600_000 },
  timeZone: 'Asia/Shanghai',
};
const T0 = Date.parse('2026-11-25T04:00:00Z'); // noon in Shanghai
const day = localDay(T0, config.timeZone);

type Step = { purpose: 'reply' | 'proactive'; target: string; at: number; random?: number } | { inbound: string };

/** Replays sends and inbound messages through the pure functions. */
function stateAfter(steps: Step[]): ThrottleState {
  return steps.reduce<ThrottleState>((state, step) => {
    if ('inbound' in step) return recordInbound(state, step.inbound);
    return recordSend({ state, purpose: step.purpose, target: step.target, now: T0 + step.at, random: step.random ?? 0, config });
  }, EMPTY_STATE);
}

const reply = (target: string, at: number): Step => ({ purpose: 'reply', target, at });
const proactive = (target: string, at: number, random = 0): Step => ({ purpose: 'proactive', target, at, random });

describe('decideSend', () => {
  it.each<[string, Step[], { purpose: 'reply' | 'proactive'; target: string; at: number; queuedAt?: number }, ThrottleDecision]>([
    ['a first reply goes out at once', [], { purpose: 'reply', target: 'a', at: 0 }, { action: 'send' }],
    ['a first proactive send goes out at once', [], { purpose: 'proactive', target: 'a', at: 0 }, { action: 'send' }],
    ['a reply waits the reply gap after the last send', [reply('a', 0)], { purpose: 'reply', target: 'b', at: 1_000 }, { action: 'wait', untilMs: T0 + 3_000 }],
    ['a reply after the gap goes out', [reply('a', 0)], { purpose: 'reply', target: 'b', at: 3_000 }, { action: 'send' }],
    ['a proactive send keeps the random gap drawn at the last one', [proactive('a', 0, 0.5)], { purpose: 'proactive', target: 'b', at: 5_000 }, { action: 'wait', untilMs: T0 + 25_000 }],
    ['the drawn gap is never below the minimum', [proactive('a', 0, 0)], { purpose: 'proactive', target: 'b', at: 14_999 }, { action: 'wait', untilMs: T0 + 15_000 }],
    ['the drawn gap is never above the maximum', [proactive('a', 0, 0.999_999)], { purpose: 'proactive', target: 'b', at: 35_000 }, { action: 'send' }],
    ['a reply is not held back by the proactive gap', [proactive('a', 0)], { purpose: 'reply', target: 'b', at: 3_000 }, { action: 'send' }],
    ['a proactive send also keeps the reply gap after a reply', [proactive('a', 0), reply('b', 20_000)], { purpose: 'proactive', target: 'c', at: 21_000 }, { action: 'wait', untilMs: T0 + 23_000 }],
    ['replies do not push proactive sends back beyond the reply gap', [proactive('a', 0), reply('b', 10_000), reply('c', 13_000)], { purpose: 'proactive', target: 'd', at: 16_000 }, { action: 'send' }],
    ['the daily cap refuses proactive sends', [1, 2, 3, 4, 5].map((n) => proactive(`c${n}`, n * 40_000)), { purpose: 'proactive', target: 'x', at: 300_000 }, { action: 'refuse', reason: 'daily_cap' }],
    ['the daily cap leaves replies alone', [1, 2, 3, 4, 5].map((n) => proactive(`c${n}`, n * 40_000)), { purpose: 'reply', target: 'x', at: 300_000 }, { action: 'send' }],
    ['the daily cap starts again the next day', [1, 2, 3, 4, 5].map((n) => proactive(`c${n}`, n * 40_000)), { purpose: 'proactive', target: 'x', at: 24 * 3_600_000 }, { action: 'send' }],
    ['unanswered proactive sends to one contact are capped', [proactive('a', 0), proactive('a', 40_000)], { purpose: 'proactive', target: 'a', at: 80_000 }, { action: 'refuse', reason: 'contact_cap' }],
    ['the contact cap is per contact', [proactive('a', 0), proactive('a', 40_000)], { purpose: 'proactive', target: 'b', at: 80_000 }, { action: 'send' }],
    ['the contact cap resets when the contact writes back', [proactive('a', 0), proactive('a', 40_000), { inbound: 'a' }], { purpose: 'proactive', target: 'a', at: 80_000 }, { action: 'send' }],
    ['replies to a capped contact still go out', [proactive('a', 0), proactive('a', 40_000)], { purpose: 'reply', target: 'a', at: 80_000 }, { action: 'send' }],
    ['the caps are checked before the gap', [proactive('a', 0), proactive('a', 15_000)], { purpose: 'proactive', target: 'a', at: 16_000 }, { action: 'refuse', reason: 'contact_cap' }],
    ['a reply that waited too long is refused as rate limited', [reply('a', 0)], { purpose: 'reply', target: 'b', at: 1_000, queuedAt: -60_000 }, { action: 'refuse', reason: 'rate_limited' }],
  ])('%s', (_name, steps, request, expected) => {
    const decision = decideSend({
      state: stateAfter(steps),
      request: { purpose: request.purpose, target: request.target, queuedAt: T0 + (request.queuedAt ?? request.at) },
      now: T0 + request.at,
      config,
    });
    expect(decision).toEqual(expected);
  });

  it('uses the settings from the welcome frame over the defaults', () => {
    const state = stateAfter([reply('a', 0)]);
    const settings = { ...config.settings, replyMinGapMs: 10_000 };
    expect(decideSend({ state, request: { purpose: 'reply', target: 'b', queuedAt: T0 }, now: T0 + 5_000, settings, config })).toEqual({ action: 'wait', untilMs: T0 + 10_000 });
  });

  it('counts days in the configured time zone', () => {
    const state = stateAfter([1, 2, 3, 4, 5].map((n) => proactive(`c${n}`, n * 40_000)));
    expect(state.day).toBe(day);
    const beforeMidnight = Date.parse('2026-11-25T15:59:00Z');
    const afterMidnight = Date.parse('2026-11-25T16:00:00Z');
    const at = (now: number) => decideSend({ state, request: { purpose: 'proactive', target: 'x', queuedAt: now }, now, config });
    expect(at(beforeMidnight)).toEqual({ action: 'refuse', reason: 'daily_cap' });
    expect(at(afterMidnight)).toEqual({ action: 'send' });
  });

  it('ships conservative defaults', () => {
    expect(DEFAULT_CONFIG.settings.proactiveMinGapMs).toBeGreaterThanOrEqual(15_000);
    expect(DEFAULT_CONFIG.settings.proactiveMaxGapMs).toBeGreaterThanOrEqual(DEFAULT_CONFIG.settings.proactiveMinGapMs);
  });
});
