import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { ServerPlan, ServersReady } from './bench-servers.ts';
import { formatScenario, verdict, type Check, type ScenarioResult } from './format-report.ts';
import { runCapture, type CaptureSettings } from './run-capture.ts';
import { runLoad, type LoadResult } from './run-load.ts';
import { runStorm } from './run-storm.ts';
import { SCENARIOS, type BenchRequest, type LoadScenario, type Scenario } from './scenarios.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const WARMUP_SECONDS = 2;
const DEFAULT_CONNECTIONS = 10;
const SETUP_LIMIT_MS = 15 * 60_000;
const CAPTURE = { clients: 4, window: 50, contacts: 3000 };
/** For the watchdog: the slowest capture rate worth waiting for (events per second, Siyu and baseline together). */
const CAPTURE_FLOOR_PER_SECOND = 25;
const STAND_IN_NOTE =
  'the stand-in uses its indexes (scripts/devdb) but has no explain and costs far more per operation than mongod, so requests with more round trips than the baseline pay more here; judge the targets against MongoDB too (MONGODB_URI)';

function options() {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '10' },
      connections: { type: 'string' },
      customers: { type: 'string', default: '100000' },
      events: { type: 'string', default: '100000' },
      scenario: { type: 'string', multiple: true },
    },
  });
  const number = (name: string, raw: string) => {
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive whole number, got ${raw}`);
    return value;
  };
  const scenarios = values.scenario ? SCENARIOS.filter((scenario) => values.scenario!.includes(scenario.name)) : SCENARIOS;
  if (!scenarios.length) throw new Error(`no such scenario; known: ${SCENARIOS.map((scenario) => scenario.name).join(', ')}`);
  return {
    duration: number('duration', values.duration),
    /** Set: every load scenario uses it; unset: each its own, else DEFAULT_CONNECTIONS. */
    connections: values.connections === undefined ? undefined : number('connections', values.connections),
    customers: number('customers', values.customers),
    events: number('events', values.events),
    scenarios,
  };
}

async function waitForReady(child: ChildProcess): Promise<ServersReady> {
  const lines = createInterface({ input: child.stdout! });
  return new Promise((resolve, reject) => {
    lines.on('line', (text) => text.startsWith('READY ') && resolve(JSON.parse(text.slice('READY '.length)) as ServersReady));
    child.once('exit', (code) => reject(new Error(`bench servers exited with code ${code} before they were ready`)));
  });
}

/** One request first, so a broken route fails loudly instead of being measured as fast 4xx/5xx answers. */
async function probe(url: string, request: BenchRequest): Promise<void> {
  const response = await fetch(new URL(request.path, url), { method: request.method ?? 'GET', headers: request.headers, body: request.body });
  if (!response.ok) throw new Error(`${request.method ?? 'GET'} ${request.path} answered ${response.status}: ${(await response.text()).slice(0, 200)}`);
}

async function measure(url: string, next: () => BenchRequest, settings: { connections: number; duration: number }): Promise<LoadResult> {
  await probe(url, next());
  await runLoad({ url, next, connections: settings.connections, durationSeconds: WARMUP_SECONDS });
  return runLoad({ url, next, connections: settings.connections, durationSeconds: settings.duration });
}

async function runLoadScenario(scenario: LoadScenario, ready: ServersReady, settings: { connections?: number; duration: number }): Promise<ScenarioResult> {
  const connections = settings.connections ?? scenario.connections ?? DEFAULT_CONNECTIONS;
  const baseline = await measure(ready.baselineUrl, () => scenario.baseline(ready.context), { connections, duration: settings.duration });
  const siyu = await measure(ready.siyuUrl, () => scenario.siyu(ready.context), { connections, duration: settings.duration });
  const checks: Check[] = [];
  if (scenario.forbidden) {
    const seen = siyu.statusCodes[scenario.forbidden.status] ?? 0;
    checks.push({ label: `${scenario.forbidden.status} answers (${scenario.forbidden.meaning})`, value: `${seen} of ${siyu.requests} (answers: ${JSON.stringify(siyu.statusCodes)})`, ok: seen === 0 });
  }
  const result = { name: scenario.name, connections, targetRatio: scenario.targetRatio, siyu, baseline, ratio: siyu.requestsPerSecond / baseline.requestsPerSecond, checks };
  return { ...result, pass: verdict(result) };
}

function runScenario(scenario: Scenario, ready: ServersReady, settings: { connections?: number; duration: number; capture: CaptureSettings }): Promise<ScenarioResult> {
  if (scenario.kind === 'storm') return runStorm(scenario, ready);
  if (scenario.kind === 'capture') return runCapture(scenario, ready, settings.capture);
  return runLoadScenario(scenario, ready, settings);
}

/** How long the selected scenarios may take once the servers are ready, for the watchdog. */
function runTimeMs(scenarios: Scenario[], settings: { duration: number; events: number }): number {
  const seconds = scenarios.map((scenario) => {
    if (scenario.kind === 'storm') return 5 * 60;
    if (scenario.kind === 'capture') return (2 * settings.events) / CAPTURE_FLOOR_PER_SECOND + 60;
    return 2 * (settings.duration + WARMUP_SECONDS + 10);
  });
  return seconds.reduce((sum, value) => sum + value, 0) * 1000;
}

async function main(): Promise<void> {
  const settings = options();
  const plan: ServerPlan = {
    customers: settings.customers,
    prepare: [...new Set(settings.scenarios.flatMap((scenario) => scenario.prepares ?? []))],
    captureClients: CAPTURE.clients,
    captureContacts: CAPTURE.contacts,
  };
  const child = spawn(process.execPath, [...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.BENCH_CPU_PROF] : []), '--import', 'tsx', path.join(here, 'bench-servers.ts'), JSON.stringify(plan)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const limitMs = SETUP_LIMIT_MS + runTimeMs(settings.scenarios, settings);
  const watchdog = setTimeout(() => {
    process.stderr.write(`bench: stopped after ${Math.round(limitMs / 60_000)} minutes\n`);
    child.kill('SIGKILL');
    process.exit(2);
  }, limitMs).unref();
  try {
    const ready = await waitForReady(child);
    const machine = { cpus: os.availableParallelism(), cpuModel: os.cpus()[0]?.model ?? 'unknown', memoryGiB: +(os.totalmem() / 2 ** 30).toFixed(1), node: process.version, database: ready.database.kind };
    process.stdout.write(`\nmachine: ${machine.cpus} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB, Node ${machine.node}; ${ready.database.description}\n`);
    const concurrency = settings.connections ? `${settings.connections} connections` : `${DEFAULT_CONNECTIONS} connections unless a scenario sets its own`;
    const members = ready.seeded.members ? ` (all ${ready.seeded.members} loyalty members)` : '';
    process.stdout.write(
      `data: ${ready.seeded.customers} customers${members}, ${ready.seeded.interactions} interactions (seeded in ${ready.seeded.seconds.toFixed(1)} s); ${concurrency}, ${settings.duration} s per run\n`,
    );
    for (const { name, plan } of ready.plans) process.stdout.write(`plan (${name}): ${plan}\n`);
    if (ready.database.kind === 'stand-in') process.stdout.write(`note: ${STAND_IN_NOTE}\n`);
    const results: ScenarioResult[] = [];
    const capture: CaptureSettings = { events: settings.events, clients: CAPTURE.clients, window: CAPTURE.window };
    for (const scenario of settings.scenarios) {
      const result = await runScenario(scenario, ready, { ...settings, capture });
      results.push(result);
      process.stdout.write(`\n${formatScenario(result)}\n`);
    }
    const file = path.resolve('.data/bench-results.json');
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify({ at: new Date().toISOString(), machine, settings: { ...settings, scenarios: settings.scenarios.map((scenario) => scenario.name) }, seeded: ready.seeded, plans: ready.plans, ...(ready.database.kind === 'stand-in' ? { note: STAND_IN_NOTE } : {}), results }, null, 2)}\n`);
    process.stdout.write(`\nresults written to ${path.relative(process.cwd(), file)}\n`);
  } finally {
    child.stdin!.end();
    const exited = once(child, 'exit');
    const kill = setTimeout(() => child.kill('SIGKILL'), 20_000);
    if (child.exitCode === null) await exited;
    clearTimeout(kill);
    clearTimeout(watchdog);
  }
}

main().catch((error: Error) => {
  process.stderr.write(`bench: ${error.message}\n`);
  process.exit(1);
});
