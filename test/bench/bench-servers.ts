import { ObjectId } from 'mongodb';
import { once } from 'node:events';
import path from 'node:path';
import { buildApp } from '../../server/src/app.ts';
import { loadConfig } from '../../server/src/config.ts';
import { findDatabase } from '../../server/src/database/find-database.ts';
import { compileCustomerFilter } from '../../server/src/modules/customers/customer-filter.util.ts';
import { startBaseline } from './baseline-app.ts';
import { describePlan, type PlannedQuery } from './describe-plan.ts';
import type { BenchContext } from './scenarios.ts';
import { BENCH_TAGS, seedBenchData } from './seed-bench-data.ts';

/** What run.ts reads from the one `READY {json}` line this process prints on stdout. */
export interface ServersReady {
  siyuUrl: string;
  baselineUrl: string;
  context: BenchContext;
  database: { kind: string; description: string };
  seeded: { customers: number; interactions: number; seconds: number };
  plans: Array<{ name: string; plan: string }>;
}

const ADMIN = { email: 'bench-admin@siyu.local', name: '基准测试', password: 'bench password 1234' };

function progress(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

/**
 * Runs in its own process so the load generator never shares an event loop with the servers it measures.
 * Seeds a fresh database, starts Siyu and the baseline, and keeps them up until stdin closes.
 */
async function main(): Promise<void> {
  const count = Number(process.argv[2]);
  const dbName = `bench_${Date.now().toString(36)}`;
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent', JOBS_ENABLED: 'false', MONGODB_DB: dbName });
  const database = await findDatabase({ mongodbUri: config.mongodbUri, production: false, dataDir: path.resolve(config.dataDir), standInBackend: 'memory' });
  progress(database.description);
  const app = await buildApp({ ...config, mongodbUri: database.uri, printAdminLogin: false });
  const db = app.db.db!;
  let baseline: Awaited<ReturnType<typeof startBaseline>> | undefined;
  try {
    const admin = await app.staff.create({ ...ADMIN, role: 'admin' });
    const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: ADMIN.email, password: ADMIN.password } });
    if (login.statusCode !== 200) throw new Error(`admin login failed: ${login.body}`);

    const started = Date.now();
    const seeded = await seedBenchData(db, {
      count,
      staffId: admin.id,
      onBatch: (done) => done % 20_000 === 0 && progress(`seeded ${done}/${count} customers`),
    });
    const seconds = (Date.now() - started) / 1000;
    progress(`seeded ${seeded.customers} customers and ${seeded.interactions} interactions in ${seconds.toFixed(1)} s`);

    const siyuUrl = await app.listen({ host: '127.0.0.1', port: 0 });
    baseline = await startBaseline({ uri: database.uri, dbName });
    const { lifecycle } = await app.settings.getBrand();
    // The queries exactly as the services issue them for the two scenarios.
    const plans: PlannedQuery[] = [
      { name: 'list by tag', collection: 'customers', filter: compileCustomerFilter({ tags: [BENCH_TAGS[0]] }, new Date(), lifecycle), sort: { _id: -1 }, limit: 21 },
      { name: 'profile timeline', collection: 'interactions', filter: { customerId: new ObjectId(seeded.sampleIds[0]) }, sort: { at: -1, _id: -1 }, limit: 21 },
    ];
    const ready: ServersReady = {
      siyuUrl,
      baselineUrl: baseline.url,
      context: { customerIds: seeded.sampleIds, tags: BENCH_TAGS, staffToken: login.json<{ token: string }>().token },
      database: { kind: database.kind, description: database.description },
      seeded: { customers: seeded.customers, interactions: seeded.interactions, seconds },
      plans: await Promise.all(plans.map(async (query) => ({ name: query.name, plan: await describePlan(db, query) }))),
    };
    process.stdout.write(`READY ${JSON.stringify(ready)}\n`);
    process.stdin.resume();
    await once(process.stdin, 'end');
  } finally {
    await baseline?.close();
    await db.dropDatabase().catch(() => {});
    await app.close();
    await database.stop();
  }
}

main().catch((error: Error) => {
  process.stderr.write(`bench servers: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
