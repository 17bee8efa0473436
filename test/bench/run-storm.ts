import { randomBytes } from 'node:crypto';
import { Agent, request as httpRequest } from 'node:http';
import type { ServersReady } from './bench-servers.ts';
import { control } from './control-server.ts';
import { verdict, type Check, type ScenarioResult } from './format-report.ts';
import type { LoadResult } from './run-load.ts';
import type { BenchRequest, StormContext, StormScenario } from './scenarios.ts';
import type { StormState } from './storm-setup.ts';
import { summarize } from './summarize.ts';

interface Answer {
  status: number | 'error';
  ms: number;
}

function send(agent: Agent, base: string, request: BenchRequest): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve) => {
    const outgoing = httpRequest(new URL(request.path, base), { agent, method: request.method ?? 'GET', headers: request.headers }, (response) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode ?? 0, ms: performance.now() - started }));
    });
    outgoing.on('error', () => resolve({ status: 'error', ms: performance.now() - started }));
    outgoing.end(request.body);
  });
}

/**
 * Opens `requests.length` keep-alive connections first (so the burst measures redemptions, not TCP handshakes
 * queueing in the listen backlog), then sends every request at once, one per connection.
 */
async function burst(base: string, requests: BenchRequest[]): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: requests.length, maxFreeSockets: requests.length });
  try {
    await Promise.all(requests.map(() => send(agent, base, { path: '/healthz' })));
    const started = performance.now();
    const answers = await Promise.all(requests.map((request) => send(agent, base, request)));
    const elapsedMs = performance.now() - started;
    const statusCodes: Record<string, number> = {};
    for (const { status } of answers) if (status !== 'error') statusCodes[status] = (statusCodes[status] ?? 0) + 1;
    return summarize({
      latenciesMs: answers.map((answer) => answer.ms),
      elapsedMs,
      statusCodes,
      errors: answers.filter((answer) => answer.status === 'error').length,
      // Out of stock: what every member after the hundredth must hear.
      expected: ['409'],
    });
  } finally {
    agent.destroy();
  }
}

function stormChecks(storm: StormContext, siyu: LoadResult, baseline: LoadResult, state: StormState): Check[] {
  const sold = siyu.statusCodes['200'] ?? 0;
  const unfinished = (state.siyu.redemptions.reserving ?? 0) + (state.siyu.redemptions.charging ?? 0);
  const { reconcile } = state.siyu;
  return [
    { label: 'successes', value: `${sold} (want exactly ${storm.stock})`, ok: sold === storm.stock },
    { label: 'refused out of stock (409)', value: String(siyu.statusCodes['409'] ?? 0), ok: true },
    { label: 'stock at the end', value: `${state.siyu.stock} (want 0; sold count ${state.siyu.redeemedCount}, holds left ${state.siyu.holds})`, ok: state.siyu.stock === 0 && state.siyu.redeemedCount === storm.stock && state.siyu.holds === 0 },
    {
      label: 'redemptions issued / coupons / spends',
      value: `${state.siyu.redemptions.issued ?? 0} / ${state.siyu.coupons} / ${state.siyu.spends.entries} entries, ${state.siyu.spends.points} points (unfinished ${unfinished})`,
      ok: state.siyu.redemptions.issued === storm.stock && state.siyu.coupons === storm.stock && state.siyu.spends.entries === storm.stock && state.siyu.spends.points === storm.stock * storm.pointsCost && unfinished === 0,
    },
    { label: 'negative balances', value: String(state.siyu.negativeBalances), ok: state.siyu.negativeBalances === 0 },
    {
      label: 'reconcile({ fix: false })',
      value: `${reconcile.checked} members checked, ${reconcile.drifted} drifted, ${reconcile.pending} pending`,
      ok: reconcile.drifted === 0 && reconcile.pending === 0,
    },
    {
      label: 'baseline',
      value: `${baseline.statusCodes['200'] ?? 0} sold, stock ${state.baseline.stock}, ${state.baseline.charged} charged, ${state.baseline.negativeBalances} negative`,
      ok: (baseline.statusCodes['200'] ?? 0) === storm.stock && state.baseline.stock === 0 && state.baseline.negativeBalances === 0,
    },
  ];
}

/** 1,000 members redeem one reward with stock 100 at the same moment; then the database must show exactly 100 sold. */
export async function runStorm(scenario: StormScenario, ready: ServersReady): Promise<ScenarioResult> {
  const storm = ready.context.storm;
  if (!storm) throw new Error('the bench servers prepared no storm data');
  const count = Math.min(scenario.redemptions, storm.tokens.length, storm.baselineCustomerIds.length);
  const baseline = await burst(
    ready.baselineUrl,
    storm.baselineCustomerIds.slice(0, count).map((customerId) => ({ method: 'POST', path: `/redeem/${storm.baselineRewardId}/${customerId}` })),
  );
  const siyu = await burst(
    storm.siyuUrl,
    storm.tokens.slice(0, count).map((token) => ({
      method: 'POST',
      path: `/api/mp/rewards/${storm.rewardId}/redeem`,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ idempotencyKey: `storm-${randomBytes(8).toString('hex')}` }),
    })),
  );
  const state = await control<StormState>(ready.controlUrl, 'storm/verify');
  const result = { name: scenario.name, targetRatio: null, siyu, baseline, ratio: siyu.requestsPerSecond / baseline.requestsPerSecond, checks: stormChecks(storm, siyu, baseline, state), details: { redemptions: count, state } };
  return { ...result, pass: verdict(result) };
}
