import type { IncomingHttpHeaders } from 'node:http';

/** The redemption storm's data, in a database of its own so that reconcile can check every member in seconds. */
export interface StormContext {
  /** The Siyu instance that serves the storm's database. */
  siyuUrl: string;
  rewardId: string;
  stock: number;
  pointsCost: number;
  /** Spendable points each member holds before the storm. */
  credit: number;
  /** One consumer token per member; each member redeems once. */
  tokens: string[];
  /** The baseline's own reward and members, in collections of their own beside Siyu's. */
  baselineRewardId: string;
  baselineCustomerIds: string[];
}

export interface CaptureContext {
  /** One bot account per WebSocket client: a bot has one live connection, a second replaces the first. */
  botTokens: string[];
  /** Seeded customers' WeChat ids under the bot account `account`, with the nickname they were seeded with. */
  contacts: Array<{ id: string; name: string }>;
  account: string;
}

/** What a request factory may use: filled by the bench servers after seeding. */
export interface BenchContext {
  customerIds: string[];
  tags: string[];
  staffToken: string;
  /** Check-in: consumer tokens of members who have not checked in today, and other members for the baseline. */
  checkin?: { tokens: string[]; baselineCustomerIds: string[] };
  storm?: StormContext;
  capture?: CaptureContext;
}

export interface BenchRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  headers?: IncomingHttpHeaders & Record<string, string>;
  body?: string;
}

export type RequestFactory = (context: BenchContext) => BenchRequest;

/** Data the bench servers prepare only when a selected scenario needs it. */
export type Preparation = 'members' | 'storm' | 'capture';

interface ScenarioBase {
  name: string;
  prepares?: Preparation[];
}

/** Sustained load (autocannon) against Siyu and the baseline; passes at `targetRatio` of the baseline's req/s. */
export interface LoadScenario extends ScenarioBase {
  kind: 'load';
  targetRatio: number;
  siyu: RequestFactory;
  baseline: RequestFactory;
  /** Concurrent connections for this scenario, unless `--connections` sets one for all (default 10). */
  connections?: number;
  /** Answers that must not occur, with what they would mean; reported as a check (the pass needs no failures anyway). */
  forbidden?: { status: number; meaning: string };
}

/** One burst of concurrent requests, judged on what the database holds afterwards (run-storm.ts). */
export interface StormScenario extends ScenarioBase {
  kind: 'storm';
  /** Concurrent redemptions, each by a different member. */
  redemptions: number;
}

/** Bot events through /ws/bot, judged on throughput against raw inserts and on the server's memory (run-capture.ts). */
export interface CaptureScenario extends ScenarioBase {
  kind: 'capture';
  targetRatio: number;
}

export type Scenario = LoadScenario | StormScenario | CaptureScenario;

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)];
const asStaff = (context: BenchContext, path: string): BenchRequest => ({ path, headers: { authorization: `Bearer ${context.staffToken}` } });

/** Hands out a list's items in order: while they last, every request gets a different one. */
function inTurn(list: (context: BenchContext) => string[]): (context: BenchContext) => string {
  let next = 0;
  return (context) => {
    const items = list(context);
    return items[next++ % items.length];
  };
}

function required<Part>(part: Part | undefined, name: string): Part {
  if (!part) throw new Error(`the bench servers prepared no ${name} data`);
  return part;
}

const nextCheckinToken = inTurn((context) => required(context.checkin, 'check-in').tokens);
const nextBaselineMember = inTurn((context) => required(context.checkin, 'check-in').baselineCustomerIds);

/** Add a scenario here; run.ts measures every one against its baseline, in this order. */
export const SCENARIOS: Scenario[] = [
  {
    kind: 'load',
    name: 'profile',
    targetRatio: 0.5,
    siyu: (context) => asStaff(context, `/api/customers/${pick(context.customerIds)}`),
    baseline: (context) => ({ path: `/profile/${pick(context.customerIds)}` }),
  },
  {
    kind: 'load',
    name: 'list by tag',
    targetRatio: 0.5,
    siyu: (context) => asStaff(context, `/api/customers?tags=${encodeURIComponent(pick(context.tags))}&limit=20`),
    baseline: (context) => ({ path: `/by-tag?tag=${encodeURIComponent(pick(context.tags))}` }),
  },
  {
    kind: 'load',
    name: 'check-in',
    prepares: ['members'],
    targetRatio: 0.4,
    // A morning peak: many members open the mini-program at once. At 10 connections neither server is busy (both
    // processes under 90% of a core) and req/s counts round trips rather than capacity; at 50 both are saturated.
    connections: 50,
    // Each token belongs to a different member, used once: a 409 means the run outlasted the tokens and a member came back.
    siyu: (context) => ({
      method: 'POST',
      path: '/api/mp/checkins',
      headers: { authorization: `Bearer ${nextCheckinToken(context)}`, 'content-type': 'application/json' },
      body: '{}',
    }),
    baseline: (context) => ({ method: 'POST', path: `/checkin/${nextBaselineMember(context)}` }),
    forbidden: { status: 409, meaning: 'a member checked in twice' },
  },
  { kind: 'storm', name: 'redemption storm', prepares: ['storm'], redemptions: 1000 },
  { kind: 'capture', name: 'capture', prepares: ['members', 'capture'], targetRatio: 0.3 },
];
