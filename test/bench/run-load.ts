import autocannon from 'autocannon';
import type { BenchRequest } from './scenarios.ts';

export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  non2xx: number;
  errors: number;
  /** Answers by HTTP status (or, for bot events, by ack outcome). */
  statusCodes: Record<string, number>;
}

export interface LoadOptions {
  url: string;
  next: () => BenchRequest;
  connections: number;
  durationSeconds: number;
}

/** One autocannon run; every request is made fresh by `next`, so each hits a different customer or tag. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.durationSeconds,
    requests: [
      {
        setupRequest: (request) => {
          const made = options.next();
          return { ...request, method: made.method ?? 'GET', path: made.path, headers: { ...request.headers, ...made.headers }, body: made.body };
        },
      },
    ],
  });
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([status, stats]) => [status, stats?.count ?? 0])),
  };
}
