import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunningServer } from './baseline-app.ts';

export interface RssSample {
  /** Milliseconds since sampling started. */
  ms: number;
  rss: number;
  heapUsed: number;
}

const SAMPLE_EVERY_MS = 1000;

/**
 * The bench servers' own endpoints for run.ts, on a port of their own so neither measured app carries them:
 * `POST /rss/start` and `POST /rss/stop` sample this process's memory every second in between (in-process, so a
 * busy runner never delays a sample), and `POST /<name>` runs a named check such as the storm's verification.
 */
export async function startControl(checks: Record<string, () => Promise<unknown>>): Promise<RunningServer> {
  let samples: RssSample[] = [];
  let timer: NodeJS.Timeout | undefined;
  let started = 0;
  const sample = () => {
    const { rss, heapUsed } = process.memoryUsage();
    samples.push({ ms: Date.now() - started, rss, heapUsed });
  };
  const actions: Record<string, () => Promise<unknown>> = {
    '/rss/start': async () => {
      clearInterval(timer);
      samples = [];
      started = Date.now();
      sample();
      timer = setInterval(sample, SAMPLE_EVERY_MS);
      return { started: true };
    },
    '/rss/stop': async () => {
      clearInterval(timer);
      sample();
      return samples;
    },
    ...Object.fromEntries(Object.entries(checks).map(([name, check]) => [`/${name}`, check])),
  };
  const server = createServer((request, response) => {
    const action = request.method === 'POST' ? actions[request.url ?? ''] : undefined;
    if (!action) {
      response.writeHead(404).end();
      return;
    }
    action().then(
      (result) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result)),
      (error: Error) => response.writeHead(500, { 'content-type': 'text/plain' }).end(error.stack ?? error.message),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      clearInterval(timer);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Runs a control action in the bench servers' process. */
export async function control<Result>(controlUrl: string, action: string): Promise<Result> {
  const response = await fetch(new URL(action, controlUrl), { method: 'POST' });
  if (!response.ok) throw new Error(`bench servers: ${action} answered ${response.status}: ${(await response.text()).slice(0, 500)}`);
  return (await response.json()) as Result;
}
