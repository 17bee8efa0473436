import type { LoadResult } from './run-load.ts';

/** The q-quantile (0 < q ≤ 1) of ascending values, nearest rank. */
function quantile(sorted: number[], q: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] : 0;
}

/**
 * A LoadResult from individual latencies, for runs the harness drives itself (a burst, bot events): throughput
 * over the wall time from the first send to the last answer. `expected` answers (a storm's out-of-stock 409s)
 * are not counted as failures.
 */
export function summarize(options: { latenciesMs: number[]; elapsedMs: number; statusCodes: Record<string, number>; errors: number; expected?: string[] }): LoadResult {
  const sorted = [...options.latenciesMs].sort((a, b) => a - b);
  const good = new Set(['200', '201', 'ok', ...(options.expected ?? [])]);
  const non2xx = Object.entries(options.statusCodes).reduce((sum, [status, count]) => sum + (good.has(status) ? 0 : count), 0);
  return {
    requestsPerSecond: options.elapsedMs > 0 ? (sorted.length * 1000) / options.elapsedMs : 0,
    p50Ms: quantile(sorted, 0.5),
    p99Ms: quantile(sorted, 0.99),
    requests: sorted.length,
    non2xx,
    errors: options.errors,
    statusCodes: options.statusCodes,
  };
}
