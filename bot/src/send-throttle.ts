import type { FailureReason, SendPurpose, WelcomeFrame } from '../../shared/src/bot-protocol.ts';

export type ThrottleSettings = WelcomeFrame['throttle'];
export type ThrottleRefusal = Extract<FailureReason, 'rate_limited' | 'daily_cap' | 'contact_cap'>;

export interface ThrottleConfig {
  /** Used until the server's welcome frame brings the brand's own settings. */
  settings: ThrottleSettings;
  /** A command that could not go out within this long after it arrived is refused, so the server can retry. */
  maxWaitMs: Record<SendPurpose, number>;
  /** Days for the caps are calendar days here. */
  timeZone: string;
}

/** Conservative defaults from public reports of WeChat restricting personal accounts that send in bursts. */
export const DEFAULT_CONFIG: ThrottleConfig = {
  settings: { replyMinGapMs: 3_000, proactiveMinGapMs: 15_000, proactiveMaxGapMs: 35_000, dailyCap: 100, unansweredPerContactPerDay: 3 },
  maxWaitMs: { reply: 2 * 60_000, proactive: 30 * 60_000 },
  timeZone: 'Asia/Shanghai',
};

export interface ThrottleState {
  day: string;
  lastSentAt: number | null;
  lastProactiveAt: number | null;
  /** Drawn at random after each proactive send: the gap the next one keeps. */
  proactiveGapMs: number;
  /** Only proactive sends count: replies answer someone who just wrote, and capping them would cut a live chat. */
  proactiveSent: number;
  /** Proactive sends per contact or room since it last wrote, today. */
  unanswered: Record<string, number>;
}

export const EMPTY_STATE: ThrottleState = { day: '', lastSentAt: null, lastProactiveAt: null, proactiveGapMs: 0, proactiveSent: 0, unanswered: {} };

export interface SendRequest {
  purpose: SendPurpose;
  /** The contact or room id. */
  target: string;
  queuedAt: number;
}

export type ThrottleDecision = { action: 'send' } | { action: 'wait'; untilMs: number } | { action: 'refuse'; reason: ThrottleRefusal };

/** Whether a send may go out now, must wait, or is refused. Pure: the caller owns the clock and the state. */
export function decideSend(input: {
  state: ThrottleState;
  request: SendRequest;
  now: number;
  settings?: ThrottleSettings;
  config?: ThrottleConfig;
}): ThrottleDecision {
  const { request, now, config = DEFAULT_CONFIG, settings = config.settings } = input;
  const state = rollDay(input.state, localDay(now, config.timeZone));
  if (request.purpose === 'proactive') {
    if (state.proactiveSent >= settings.dailyCap) return { action: 'refuse', reason: 'daily_cap' };
    if ((state.unanswered[request.target] ?? 0) >= settings.unansweredPerContactPerDay) return { action: 'refuse', reason: 'contact_cap' };
  }
  const eligibleAt = Math.max(now, earliestSend(state, request.purpose, settings));
  if (eligibleAt - request.queuedAt > config.maxWaitMs[request.purpose]) return { action: 'refuse', reason: 'rate_limited' };
  if (eligibleAt > now) return { action: 'wait', untilMs: eligibleAt };
  return { action: 'send' };
}

/** The state after a send went out; `random` in [0, 1) draws the next proactive gap. */
export function recordSend(input: {
  state: ThrottleState;
  purpose: SendPurpose;
  target: string;
  now: number;
  random: number;
  settings?: ThrottleSettings;
  config?: ThrottleConfig;
}): ThrottleState {
  const { purpose, target, now, random, config = DEFAULT_CONFIG, settings = config.settings } = input;
  const state = rollDay(input.state, localDay(now, config.timeZone));
  if (purpose === 'reply') return { ...state, lastSentAt: now };
  const gapRange = Math.max(0, settings.proactiveMaxGapMs - settings.proactiveMinGapMs);
  return {
    ...state,
    lastSentAt: now,
    lastProactiveAt: now,
    proactiveGapMs: Math.round(settings.proactiveMinGapMs + random * gapRange),
    proactiveSent: state.proactiveSent + 1,
    unanswered: { ...state.unanswered, [target]: (state.unanswered[target] ?? 0) + 1 },
  };
}

/** The state after the contact (or someone in the room) wrote: its unanswered count starts again. */
export function recordInbound(state: ThrottleState, target: string): ThrottleState {
  if (!(target in state.unanswered)) return state;
  const { [target]: _answered, ...unanswered } = state.unanswered;
  return { ...state, unanswered };
}

function earliestSend(state: ThrottleState, purpose: SendPurpose, settings: ThrottleSettings): number {
  const afterAnySend = state.lastSentAt === null ? 0 : state.lastSentAt + settings.replyMinGapMs;
  if (purpose === 'reply' || state.lastProactiveAt === null) return afterAnySend;
  const gap = clamp(state.proactiveGapMs, settings.proactiveMinGapMs, Math.max(settings.proactiveMinGapMs, settings.proactiveMaxGapMs));
  return Math.max(afterAnySend, state.lastProactiveAt + gap);
}

function rollDay(state: ThrottleState, day: string): ThrottleState {
  if (state.day === day) return state;
  return { ...state, day, proactiveSent: 0, unanswered: {} };
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();

export function localDay(now: number, timeZone: string): string {
  let format = dayFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(timeZone, format);
  }
  return format.format(now);
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
