import type { LoadResult } from './run-load.ts';

export interface ScenarioResult {
  name: string;
  targetRatio: number;
  siyu: LoadResult;
  baseline: LoadResult;
  ratio: number;
  pass: boolean;
}

const row = (cells: Array<string | number>) => cells.map((cell, index) => (index === 0 ? String(cell).padEnd(10) : String(cell).padStart(10))).join('');
const line = (label: string, result: LoadResult) =>
  row([label, result.requestsPerSecond.toFixed(1), result.p50Ms.toFixed(1), result.p99Ms.toFixed(1), result.requests, result.non2xx + result.errors]);

/** One aligned block per scenario: both targets, the ratio and the verdict; failed counts non-2xx answers and socket errors or timeouts. */
export function formatScenario(result: ScenarioResult): string {
  const verdict = result.pass ? 'PASS' : 'FAIL';
  const failures = result.siyu.non2xx + result.siyu.errors;
  return [
    `scenario: ${result.name}`,
    row(['', 'req/s', 'p50 ms', 'p99 ms', 'requests', 'failed']),
    line('Siyu', result.siyu),
    line('baseline', result.baseline),
    `ratio ${result.ratio.toFixed(3)} (target ≥ ${result.targetRatio.toFixed(2)}) → ${verdict}${failures ? ` (${failures} failed Siyu requests)` : ''}`,
  ].join('\n');
}
