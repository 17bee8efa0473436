import type { IncomingHttpHeaders } from 'node:http';

/** What a request factory may use: filled by the bench servers after seeding. */
export interface BenchContext {
  customerIds: string[];
  tags: string[];
  staffToken: string;
}

export interface BenchRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  headers?: IncomingHttpHeaders & Record<string, string>;
  body?: string;
}

export type RequestFactory = (context: BenchContext) => BenchRequest;

export interface Scenario {
  name: string;
  /** Siyu passes when its req/s is at least this share of the baseline's. */
  targetRatio: number;
  siyu: RequestFactory;
  baseline: RequestFactory;
}

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)];
const asStaff = (context: BenchContext, path: string): BenchRequest => ({ path, headers: { authorization: `Bearer ${context.staffToken}` } });

/** Add a scenario here; run.ts measures every one against its baseline. */
export const SCENARIOS: Scenario[] = [
  {
    name: 'profile',
    targetRatio: 0.5,
    siyu: (context) => asStaff(context, `/api/customers/${pick(context.customerIds)}`),
    baseline: (context) => ({ path: `/profile/${pick(context.customerIds)}` }),
  },
  {
    name: 'list by tag',
    targetRatio: 0.5,
    siyu: (context) => asStaff(context, `/api/customers?tags=${encodeURIComponent(pick(context.tags))}&limit=20`),
    baseline: (context) => ({ path: `/by-tag?tag=${encodeURIComponent(pick(context.tags))}` }),
  },
];
