import closeWithGrace from 'close-with-grace';
import path from 'node:path';
import { buildApp } from './app.ts';
import { loadConfig } from './config.ts';
import { findDatabase } from './database/find-database.ts';
import { ensureFirstAdmin } from './modules/staff/first-admin.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  const database = await findDatabase({
    mongodbUri: config.mongodbUri,
    production: config.production,
    dataDir: path.resolve(config.dataDir),
    standInBackend: 'h2',
  });
  process.stdout.write(`${database.description}\n`);
  const app = await buildApp({ ...config, mongodbUri: database.uri });

  const admin = await ensureFirstAdmin(app.staff, { email: config.adminEmail, password: config.adminPassword });
  if (admin?.generatedPassword) {
    // Printed once, to the terminal only: never through the logger, never again on later starts.
    process.stdout.write(`\n  First admin created. Sign in at /console/login\n  email:    ${admin.email}\n  password: ${admin.generatedPassword}\n\n`);
  }

  closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'shutting down after an error');
    else app.log.info({ signal }, 'shutting down');
    await app.close();
    await database.stop();
  });

  await app.listen({ host: config.host, port: config.port });
}

main().catch((error: Error) => {
  process.stderr.write(`siyu: ${error.message}\n`);
  process.exit(1);
});
