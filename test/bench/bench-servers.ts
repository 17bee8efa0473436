import type { FastifyInstance } from 'fastify';
import { ObjectId } from 'mongodb';
import { once } from 'node:events';
import path from 'node:path';
import { buildApp } from '../../server/src/app.ts';
import { loadConfig } from '../../server/src/config.ts';
import { findDatabase } from '../../server/src/database/find-database.ts';
import { compileCustomerFilter } from '../../server/src/modules/customers/customer-filter.util.ts';
import { startBaseline, type RunningServer } from './baseline-app.ts';
import { startControl } from './control-server.ts';
import { describePlan, type PlannedQuery } from './describe-plan.ts';
import type { BenchContext, CaptureContext, Preparation } from './scenarios.ts';
import { BENCH_BOT_ACCOUNT, BENCH_TAGS, benchContactId, seedBenchData, type BenchData } from './seed-bench-data.ts';
import { setupStorm, type StormSetup } from './storm-setup.ts';

/** What run.ts asks for, as JSON in argv[2]. */
export interface ServerPlan {
  customers: number;
  prepare: Preparation[];
  /** Capture: WebSocket clients (one bot account each) and distinct contacts talking to them. */
  captureClients: number;
  captureContacts: number;
}

/** What run.ts reads from the one `READY {json}` line this process prints on stdout. */
export interface ServersReady {
  siyuUrl: string;
  baselineUrl: string;
  /** The bench servers' own endpoints (control-server.ts). */
  controlUrl: string;
  /** This process, whose memory the capture scenario samples. */
  pid: number;
  context: BenchContext;
  database: { kind: string; description: string };
  seeded: { customers: number; members: number; interactions: number; seconds: number };
  plans: Array<{ name: string; plan: string }>;
}

const ADMIN = { email: 'bench-admin@siyu.local', name: '基准测试', password: 'bench password 1234' };
const STORM_MEMBERS = 1000;
/** Committed at start, so every run meets a database in steady state rather than one still growing its heap. */
const STAND_IN_HEAP = '2g';

function progress(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

/**
 * Three in four seeded members get a token (each checks in once: 75,000 outlast warm-up and a 10 s run at 6,000
 * req/s), the rest go to the baseline's updates, which may repeat: neither touches the other's members.
 */
async function checkinContext(app: FastifyInstance, seeded: BenchData): Promise<NonNullable<BenchContext['checkin']>> {
  const tokens = await Promise.all(seeded.customerIds.filter((_, n) => n % 4 !== 0).map(async (customerId) => (await app.mp.tokens.issue(customerId)).token));
  return { tokens, baselineCustomerIds: seeded.customerIds.filter((_, n) => n % 4 === 0) };
}

/** Bot accounts created the way an admin does (POST /api/bots), and contacts spread over the seeded customers. */
async function captureContext(app: FastifyInstance, staffToken: string, seeded: BenchData, plan: ServerPlan): Promise<CaptureContext & { customerIdOf: Map<string, string> }> {
  const botTokens: string[] = [];
  for (let index = 0; index < plan.captureClients; index++) {
    const created = await app.inject({ method: 'POST', url: '/api/bots', headers: { authorization: `Bearer ${staffToken}` }, payload: { name: `基准机器人 ${index + 1}` } });
    if (created.statusCode !== 201) throw new Error(`creating a bot failed: ${created.body}`);
    botTokens.push(created.json<{ token: string }>().token);
  }
  const contacts = Math.min(plan.captureContacts, seeded.customers);
  const numbers = Array.from({ length: contacts }, (_, index) => Math.floor((index * seeded.customers) / contacts));
  return {
    botTokens,
    account: BENCH_BOT_ACCOUNT,
    contacts: numbers.map((n) => ({ id: benchContactId(n), name: `客户${n}` })),
    customerIdOf: new Map(numbers.map((n) => [benchContactId(n), seeded.customerIds[n]])),
  };
}

/**
 * Runs in its own process so the load generator never shares an event loop with the servers it measures.
 * Seeds a fresh database, starts Siyu and the baseline, and keeps them up until stdin closes.
 */
async function main(): Promise<void> {
  const plan = JSON.parse(process.argv[2]) as ServerPlan;
  const count = plan.customers;
  const prepares = (part: Preparation) => plan.prepare.includes(part);
  const dbName = `bench_${Date.now().toString(36)}`;
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent', JOBS_ENABLED: 'false', MONGODB_DB: dbName });
  const database = await findDatabase({ mongodbUri: config.mongodbUri, production: false, dataDir: path.resolve(config.dataDir), standInBackend: 'memory', standInHeap: STAND_IN_HEAP });
  progress(database.description);
  const app = await buildApp({ ...config, mongodbUri: database.uri, printAdminLogin: false });
  const db = app.db.db!;
  let baseline: RunningServer | undefined;
  let controlServer: RunningServer | undefined;
  let storm: StormSetup | undefined;
  try {
    const admin = await app.staff.create({ ...ADMIN, role: 'admin' });
    const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: ADMIN.email, password: ADMIN.password } });
    if (login.statusCode !== 200) throw new Error(`admin login failed: ${login.body}`);

    const started = Date.now();
    const seeded = await seedBenchData(db, {
      count,
      staffId: admin.id,
      members: prepares('members') ? { tierCode: (await app.loyalty.getSettings()).tiers[0].code } : undefined,
      onBatch: (done) => done % 20_000 === 0 && progress(`seeded ${done}/${count} customers`),
    });
    const seconds = (Date.now() - started) / 1000;
    progress(`seeded ${seeded.customers} customers (${seeded.members} members) and ${seeded.interactions} interactions in ${seconds.toFixed(1)} s`);
    const staffToken = login.json<{ token: string }>().token;
    const context: BenchContext = { customerIds: seeded.sampleIds, tags: BENCH_TAGS, staffToken };
    if (prepares('members')) context.checkin = await checkinContext(app, seeded);
    const capture = prepares('capture') ? await captureContext(app, staffToken, seeded, plan) : undefined;
    if (capture) context.capture = { botTokens: capture.botTokens, account: capture.account, contacts: capture.contacts };
    const stormDbName = `${dbName}_storm`;
    if (prepares('storm')) {
      storm = await setupStorm({ config, uri: database.uri, dbName: stormDbName, count: STORM_MEMBERS });
      context.storm = { ...storm.context, siyuUrl: await storm.app.listen({ host: '127.0.0.1', port: 0 }) };
      progress(`storm: ${STORM_MEMBERS} members with ${storm.context.credit} points, one reward with stock ${storm.context.stock}`);
    }

    const siyuUrl = await app.listen({ host: '127.0.0.1', port: 0 });
    baseline = await startBaseline({ uri: database.uri, dbName, stormDbName: storm && stormDbName, contacts: capture?.customerIdOf });
    const stormCheck = storm?.verify;
    controlServer = await startControl(stormCheck ? { 'storm/verify': stormCheck } : {});
    const { lifecycle } = await app.settings.getBrand();
    // Queries as the services issue them on the scenarios' paths; on MongoDB each should name an index.
    const someone = new ObjectId(seeded.sampleIds[0]);
    const plans: PlannedQuery[] = [
      { name: 'list by tag', collection: 'customers', filter: compileCustomerFilter({ tags: [BENCH_TAGS[0]] }, new Date(), lifecycle), sort: { _id: -1 }, limit: 21 },
      { name: 'profile timeline', collection: 'interactions', filter: { customerId: someone }, sort: { at: -1, _id: -1 }, limit: 21 },
      ...(prepares('members')
        ? [{ name: 'check-in: apply to member', collection: 'members', filter: { customerId: someone, appliedEntryIds: { $ne: new ObjectId() }, appliedThrough: { $lt: new ObjectId() } }, sort: {}, limit: 1 }]
        : []),
      ...(capture ? [{ name: 'capture: customer by identity', collection: 'customers', filter: { identityKeys: `bot:${BENCH_BOT_ACCOUNT}:${benchContactId(0)}` }, sort: {}, limit: 1 }] : []),
    ];
    const ready: ServersReady = {
      siyuUrl,
      baselineUrl: baseline.url,
      controlUrl: controlServer.url,
      pid: process.pid,
      context,
      database: { kind: database.kind, description: database.description },
      seeded: { customers: seeded.customers, members: seeded.members, interactions: seeded.interactions, seconds },
      plans: await Promise.all(plans.map(async (query) => ({ name: query.name, plan: await describePlan(db, query) }))),
    };
    process.stdout.write(`READY ${JSON.stringify(ready)}\n`);
    process.stdin.resume();
    await once(process.stdin, 'end');
  } finally {
    await controlServer?.close();
    await baseline?.close();
    if (storm) {
      await storm.app.db.dropDatabase().catch(() => {});
      await storm.app.close();
    }
    await db.dropDatabase().catch(() => {});
    await app.close();
    await database.stop();
  }
}

main().catch((error: Error) => {
  process.stderr.write(`bench servers: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
