import WebSocket from 'ws';
import { BOT_PROTOCOL_VERSION, type BotEvent, type BotStatusFrame, type ServerToBot } from '../../shared/src/bot-protocol.ts';
import type { ServersReady } from './bench-servers.ts';
import { control, type RssSample } from './control-server.ts';
import { verdict, type Check, type ScenarioResult } from './format-report.ts';
import type { LoadResult } from './run-load.ts';
import type { CaptureContext, CaptureScenario } from './scenarios.ts';
import { summarize } from './summarize.ts';

export interface CaptureSettings {
  events: number;
  clients: number;
  /** Events each client keeps sent and unacknowledged, as the bot does (its own window is 200). */
  window: number;
}

/** A run makes no progress for this long: the server stopped acking, so the run ends with the rest counted failed. */
const STALL_MS = 60_000;
const SETTLE_MS = 2000;
const MB = 2 ** 20;
/** "Flat": the run may add at most this much, and its second half must add clearly less than its first. */
const RSS_BOUND = 150 * MB;
const RSS_NOISE = 25 * MB;
const TEXTS = ['你好，想问一下会员活动', '这款有货吗？', '好的，谢谢', '什么时候发货？', '可以开发票吗', '收到了，很喜欢'];

interface Target {
  url: string;
  /** Bot tokens, one per client; none for the baseline. */
  tokens?: string[];
  prefix: string;
}

interface ClientRun {
  latenciesMs: number[];
  acks: Record<string, number>;
  unanswered: number;
  commands: number;
}

const toWs = (base: string, path: string) => new URL(path, base.replace(/^http/, 'ws')).toString();

function messageEvent(id: string, contact: CaptureContext['contacts'][number], text: string): BotEvent {
  return {
    v: BOT_PROTOCOL_VERSION,
    kind: 'event',
    id,
    type: 'message',
    at: new Date().toISOString(),
    payload: { messageId: id, contact: { ...contact, kind: 'individual', friend: true }, mentionSelf: false, fromSelf: false, messageType: 'text', text },
  };
}

/** Connects; with a token, waits for the welcome and reports itself logged in as the seeded account, as the bot does. */
async function connect(url: string, token: string | undefined, account: string): Promise<WebSocket> {
  const socket = new WebSocket(url, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    if (!token) return socket.once('open', () => resolve());
    socket.on('message', function welcome(data) {
      if ((JSON.parse(String(data)) as ServerToBot).kind !== 'welcome') return;
      socket.off('message', welcome);
      const status: BotStatusFrame = { v: BOT_PROTOCOL_VERSION, kind: 'status', status: 'logged_in', account: { id: account, name: '基准账号' } };
      socket.send(JSON.stringify(status), (error) => (error ? reject(error) : resolve()));
    });
  });
  return socket;
}

/** Sends `quota` events over one socket, at most `window` unacknowledged, each to the next of its contacts in turn. */
function pump(socket: WebSocket, options: { prefix: string; quota: number; window: number; contacts: CaptureContext['contacts']; onAck: () => void }): Promise<ClientRun> {
  const run: ClientRun = { latenciesMs: [], acks: {}, unanswered: 0, commands: 0 };
  const sentAt = new Map<string, number>();
  let sent = 0;
  let lastProgress = Date.now();
  let done = false;
  return new Promise((resolve) => {
    const finish = () => {
      if (done) return;
      done = true;
      clearInterval(watchdog);
      run.unanswered = options.quota - run.latenciesMs.length;
      resolve(run);
    };
    const fill = () => {
      while (sent < options.quota && sentAt.size < options.window) {
        const id = `${options.prefix}-${sent}`;
        const event = messageEvent(id, options.contacts[sent % options.contacts.length], TEXTS[sent % TEXTS.length]);
        sentAt.set(id, performance.now());
        sent++;
        socket.send(JSON.stringify(event));
      }
    };
    const watchdog = setInterval(() => {
      if (Date.now() - lastProgress < STALL_MS) return;
      socket.terminate();
      finish();
    }, 1000);
    socket.on('message', (data) => {
      const frame = JSON.parse(String(data)) as ServerToBot;
      if (frame.kind === 'command') {
        // A real bot executes and acks every command; the bench only acks (none are expected without chat rules).
        run.commands++;
        socket.send(JSON.stringify({ v: BOT_PROTOCOL_VERSION, kind: 'ack', id: frame.id, ok: true }));
        return;
      }
      if (frame.kind !== 'ack') return;
      const started = sentAt.get(frame.id);
      if (started === undefined) return;
      sentAt.delete(frame.id);
      run.latenciesMs.push(performance.now() - started);
      const outcome = frame.ok ? 'ok' : `nack:${frame.reason ?? 'error'}`;
      run.acks[outcome] = (run.acks[outcome] ?? 0) + 1;
      lastProgress = Date.now();
      options.onAck();
      if (run.latenciesMs.length === options.quota) return finish();
      fill();
    });
    socket.on('close', finish);
    fill();
  });
}

/** All clients connect first; the clock runs from the first event to the last ack. */
async function drive(target: Target, capture: CaptureContext, settings: CaptureSettings): Promise<LoadResult & { commands: number }> {
  const sockets = await Promise.all(Array.from({ length: settings.clients }, (_, client) => connect(target.url, target.tokens?.[client], capture.account)));
  let acked = 0;
  const started = performance.now();
  try {
    const runs = await Promise.all(
      sockets.map((socket, client) =>
        pump(socket, {
          prefix: `${target.prefix}-${client}`,
          quota: Math.floor(settings.events / settings.clients) + (client < settings.events % settings.clients ? 1 : 0),
          window: settings.window,
          // Each contact talks to one bot account, as a WeChat friend of that account would.
          contacts: capture.contacts.filter((_, index) => index % settings.clients === client),
          onAck: () => ++acked % 10_000 === 0 && process.stderr.write(`bench: capture (${target.prefix}) ${acked}/${settings.events} events acked\n`),
        }),
      ),
    );
    const acks: Record<string, number> = {};
    for (const run of runs) for (const [outcome, count] of Object.entries(run.acks)) acks[outcome] = (acks[outcome] ?? 0) + count;
    const result = summarize({
      latenciesMs: runs.flatMap((run) => run.latenciesMs),
      elapsedMs: performance.now() - started,
      statusCodes: acks,
      errors: runs.reduce((sum, run) => sum + run.unanswered, 0),
    });
    return { ...result, commands: runs.reduce((sum, run) => sum + run.commands, 0) };
  } finally {
    for (const socket of sockets) socket.close();
  }
}

/** Start, peak and end of the samples; "flat" when bounded and the second half of the run grows clearly less than the first. */
export function rssCheck(samples: RssSample[]): Check & { figures: Record<string, number> } {
  const mb = (bytes: number) => +(bytes / MB).toFixed(1);
  const signed = (bytes: number) => `${bytes < 0 ? '−' : '+'}${Math.abs(mb(bytes))}`;
  const start = samples[0].rss;
  const end = samples.at(-1)!.rss;
  const middle = samples[Math.floor((samples.length - 1) / 2)].rss;
  const peak = Math.max(...samples.map((sample) => sample.rss));
  const growth = end - start;
  const firstHalf = middle - start;
  const secondHalf = end - middle;
  const levelling = secondHalf <= Math.max(RSS_NOISE, 0.6 * firstHalf);
  return {
    label: 'server RSS (start / peak / end)',
    value: `${mb(start)} / ${mb(peak)} / ${mb(end)} MB; ${signed(growth)} MB over the run (first half ${signed(firstHalf)}, second half ${signed(secondHalf)}); ${samples.length} samples`,
    ok: growth < RSS_BOUND && levelling,
    figures: { startMB: mb(start), peakMB: mb(peak), endMB: mb(end), growthMB: mb(growth), firstHalfMB: mb(firstHalf), secondHalfMB: mb(secondHalf) },
  };
}

/**
 * Message events through /ws/bot (one bot account per client, the protocol's acks, a bounded window), beside the
 * baseline's raw insert of the same interaction per event over the same sockets and window. The server's memory is
 * sampled every second, in its own process, across the Siyu run.
 */
export async function runCapture(scenario: CaptureScenario, ready: ServersReady, settings: CaptureSettings): Promise<ScenarioResult> {
  const capture = ready.context.capture;
  if (!capture) throw new Error('the bench servers prepared no capture data');
  const baseline = await drive({ url: toWs(ready.baselineUrl, '/ws/raw'), prefix: 'base' }, capture, settings);
  await control(ready.controlUrl, 'rss/start');
  const siyu = await drive({ url: toWs(ready.siyuUrl, '/ws/bot'), tokens: capture.botTokens, prefix: 'siyu' }, capture, settings);
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  const samples = await control<RssSample[]>(ready.controlUrl, 'rss/stop');
  const rss = rssCheck(samples);
  const checks: Check[] = [
    { label: 'events acked ok', value: `${siyu.statusCodes.ok ?? 0} of ${settings.events} (${settings.clients} bots × window ${settings.window}, ${capture.contacts.length} contacts)`, ok: (siyu.statusCodes.ok ?? 0) === settings.events },
    { label: rss.label, value: rss.value, ok: rss.ok },
  ];
  const result = {
    name: scenario.name,
    targetRatio: scenario.targetRatio,
    siyu,
    baseline,
    ratio: siyu.requestsPerSecond / baseline.requestsPerSecond,
    checks,
    details: { events: settings.events, clients: settings.clients, window: settings.window, contacts: capture.contacts.length, commands: siyu.commands, rss: rss.figures, samples },
  };
  return { ...result, pass: verdict(result) };
}
