import type { LoadResult } from './run-load.ts';

/** Something a scenario asserts beyond throughput: exactly 100 sold, no negative balance, flat memory. */
export interface Check {
  label: string;
  value: string;
  ok: boolean;
}

export interface ScenarioResult {
  name: string;
  /** Concurrent connections of a load scenario. */
  connections?: number;
  /** Null when the scenario is judged on its checks alone (the redemption storm). */
  targetRatio: number | null;
  siyu: LoadResult;
  baseline: LoadResult;
  ratio: number;
  checks: Check[];
  pass: boolean;
  /** Scenario-specific figures kept in the JSON results (memory samples, final stock). */
  details?: Record<string, unknown>;
}

const row = (cells: Array<string | number>) => cells.map((cell, index) => (index === 0 ? String(cell).padEnd(10) : String(cell).padStart(10))).join('');
const line = (label: string, result: LoadResult) =>
  row([label, result.requestsPerSecond.toFixed(1), result.p50Ms.toFixed(1), result.p99Ms.toFixed(1), result.requests, result.non2xx + result.errors]);

/** Passes when every check holds, nothing failed, and the ratio (when there is a target) is reached. */
export function verdict(result: Omit<ScenarioResult, 'pass'>): boolean {
  const failures = result.siyu.non2xx + result.siyu.errors;
  return failures === 0 && result.checks.every((check) => check.ok) && (result.targetRatio === null || result.ratio >= result.targetRatio);
}

/**
 * One aligned block per scenario: both targets, any checks, the ratio and the verdict; failed counts non-2xx
 * answers (beyond a scenario's expected refusals) and socket errors or timeouts.
 */
export function formatScenario(result: ScenarioResult): string {
  const failures = result.siyu.non2xx + result.siyu.errors;
  const target = result.targetRatio === null ? 'no ratio target: judged on the checks' : `target ≥ ${result.targetRatio.toFixed(2)}`;
  return [
    `scenario: ${result.name}${result.connections ? ` (${result.connections} connections)` : ''}`,
    row(['', 'req/s', 'p50 ms', 'p99 ms', 'requests', 'failed']),
    line('Siyu', result.siyu),
    line('baseline', result.baseline),
    ...result.checks.map((check) => `check: ${check.label}: ${check.value} ${check.ok ? 'ok' : 'NOT OK'}`),
    `ratio ${result.ratio.toFixed(3)} (${target}) → ${result.pass ? 'PASS' : 'FAIL'}${failures ? ` (${failures} failed Siyu requests)` : ''}`,
  ].join('\n');
}
