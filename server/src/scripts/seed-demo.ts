import { Faker, base, en, zh_CN } from '@faker-js/faker';
import { Presets, SingleBar } from 'cli-progress';
import type { FastifyInstance } from 'fastify';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { LAYERS, type Layer } from '../../../shared/src/customer.ts';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { findDatabase } from '../database/find-database.ts';
import { createCustomerModels, type CustomerModels } from '../modules/customers/models.ts';
import { ensureFirstAdmin } from '../modules/staff/first-admin.ts';
import { buildDemoCustomer, DEMO_MARK, DEMO_TAG_GROUPS, type DemoAuthor, type DemoRecords } from './demo-data.util.ts';

export interface SeedDemoOptions {
  customers: number;
  seed?: number;
  batchSize?: number;
  now?: Date;
  onProgress?: (done: number) => void;
}

export interface SeedDemoSummary {
  customers: number;
  interactions: number;
  notes: number;
  reminders: number;
  cleared: number;
  layers: Record<Layer, number>;
}

const DEMO_FILTER = { $or: [{ 'source.channel': DEMO_MARK }, { 'identities.accountId': DEMO_MARK }] };
// Used only when the brand has no staff yet, so notes still have an author.
const FALLBACK_AUTHOR: DemoAuthor = { id: '000000000000000000000d30', name: '运营小助手' };

/** Deletes earlier demo customers and everything hanging off them, a batch at a time. */
async function clearDemo({ Customer, Interaction, Note, Reminder }: CustomerModels): Promise<number> {
  let cleared = 0;
  for (;;) {
    const ids = (await Customer.find(DEMO_FILTER, { _id: 1 }).limit(1000).lean()).map((row) => row._id);
    if (!ids.length) return cleared;
    const byCustomer = { customerId: { $in: ids } };
    await Promise.all([Interaction.deleteMany(byCustomer), Note.deleteMany(byCustomer), Reminder.deleteMany(byCustomer)]);
    await Customer.deleteMany({ _id: { $in: ids } });
    cleared += ids.length;
  }
}

async function insertBatch(models: CustomerModels, batch: DemoRecords[]): Promise<void> {
  // Timestamps off: the records carry their own history (createdAt across the past year).
  const options = { ordered: false, timestamps: false } as const;
  await models.Customer.insertMany(batch.map((records) => records.customer), options);
  await Promise.all([
    models.Interaction.insertMany(batch.flatMap((records) => records.interactions), options),
    models.Note.insertMany(batch.flatMap((records) => records.notes), options),
    models.Reminder.insertMany(batch.flatMap((records) => records.reminders), options),
  ]);
}

/** Replaces the demo brand's customers: deterministic content for a given seed, dated relative to `now`. */
export async function seedDemo(app: FastifyInstance, options: SeedDemoOptions): Promise<SeedDemoSummary> {
  const models = createCustomerModels(app.db);
  const faker = new Faker({ locale: [zh_CN, en, base], seed: options.seed ?? 42 });
  const { lifecycle } = await app.settings.getBrand();
  const staff = (await app.staff.list()).filter((member) => !member.disabled);
  const authors = staff.length ? staff.map(({ id, name }) => ({ id, name })) : [FALLBACK_AUTHOR];
  const now = options.now ?? new Date();
  const batchSize = options.batchSize ?? 250;

  const cleared = await clearDemo(models);
  for (const [group, names] of Object.entries(DEMO_TAG_GROUPS)) await app.customers.ensureTags([...names], group);

  const summary: SeedDemoSummary = { customers: 0, interactions: 0, notes: 0, reminders: 0, cleared, layers: Object.fromEntries(LAYERS.map((layer) => [layer, 0])) as Record<Layer, number> };
  while (summary.customers < options.customers) {
    const size = Math.min(batchSize, options.customers - summary.customers);
    const batch = Array.from({ length: size }, () => buildDemoCustomer({ faker, now, thresholds: lifecycle, authors }));
    await insertBatch(models, batch);
    for (const records of batch) {
      summary.layers[records.customer.layer]++;
      summary.interactions += records.interactions.length;
      summary.notes += records.notes.length;
      summary.reminders += records.reminders.length;
    }
    summary.customers += size;
    options.onProgress?.(summary.customers);
  }
  return summary;
}

function parseCustomerCount(argv: string[]): number {
  const { values } = parseArgs({ args: argv, options: { customers: { type: 'string', default: '2000' } } });
  const count = Number(values.customers);
  if (!Number.isInteger(count) || count < 1) throw new Error(`--customers must be a positive whole number, got ${values.customers}`);
  return count;
}

async function main(): Promise<void> {
  const count = parseCustomerCount(process.argv.slice(2));
  // Quiet by default so the progress bar stays readable; jobs off because this process only writes data.
  const config = loadConfig({ LOG_LEVEL: 'error', ...process.env, JOBS_ENABLED: 'false' });
  const database = await findDatabase({ mongodbUri: config.mongodbUri, production: config.production, dataDir: path.resolve(config.dataDir), standInBackend: 'h2' });
  process.stderr.write(`${database.description}\n`);
  const started = Date.now();
  try {
    const app = await buildApp({ ...config, mongodbUri: database.uri });
    try {
      const admin = await ensureFirstAdmin(app.staff, { email: config.adminEmail, password: config.adminPassword });
      if (admin?.generatedPassword) process.stdout.write(`First admin created. Sign in at /console/login\n  email:    ${admin.email}\n  password: ${admin.generatedPassword}\n`);
      const bar = new SingleBar({ stream: process.stderr, format: 'seeding demo customers {bar} {percentage}% | {value}/{total} | {eta_formatted} left' }, Presets.shades_classic);
      bar.start(count, 0);
      const summary = await seedDemo(app, { customers: count, onProgress: (done) => bar.update(done) });
      bar.stop();
      const layers = LAYERS.map((layer) => `${layer} ${summary.layers[layer]}`).join(', ');
      process.stdout.write(
        `seeded ${summary.customers} demo customers (${layers}), ${summary.interactions} interactions, ${summary.notes} notes, ${summary.reminders} reminders into "${config.dbName}" in ${((Date.now() - started) / 1000).toFixed(1)} s; replaced ${summary.cleared} earlier demo customers\n`,
      );
    } finally {
      await app.close();
    }
  } finally {
    await database.stop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((error: Error) => {
    process.stderr.write(`seed:demo: ${error.message}\n`);
    process.exit(1);
  });
}
