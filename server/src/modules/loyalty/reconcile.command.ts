/**
 * `npm run reconcile:points [-- --dry-run]`: checks every member's points against the ledger and repairs what
 * crashes left (pending entries, half-done check-ins, releases and refunds) and any drift, printing what it fixed.
 * Finds the database the way `npm start` does; jobs stay off so this process only reconciles. Logs stay at
 * `error` so stdout is the report; the progress bar goes to stderr (shown on a terminal).
 */
import cliProgress from 'cli-progress';
import path from 'node:path';
import { buildApp } from '../../app.ts';
import { loadConfig } from '../../config.ts';
import { findDatabase } from '../../database/find-database.ts';

async function main(): Promise<void> {
  const fix = !process.argv.includes('--dry-run');
  const config = loadConfig();
  const database = await findDatabase({ mongodbUri: config.mongodbUri, production: config.production, dataDir: path.resolve(config.dataDir), standInBackend: 'h2' });
  process.stderr.write(`${database.description}\n`);
  const app = await buildApp({ ...config, logLevel: 'error', jobsEnabled: false, printAdminLogin: false, mongodbUri: database.uri });
  const bar = new cliProgress.SingleBar({ stream: process.stderr, format: 'members {bar} {value}/{total}', hideCursor: true }, cliProgress.Presets.shades_classic);
  try {
    await app.ready();
    let started = false;
    const report = await app.loyalty.reconcile({
      fix,
      onProgress: (checked, total) => {
        if (!started) bar.start(Math.max(total, checked), 0);
        started = true;
        bar.setTotal(Math.max(total, checked));
        bar.update(checked);
      },
    });
    bar.stop();
    const lines = [
      `${fix ? 'reconciled' : 'checked (dry run)'}: ${report.checked} members, ${report.pending} pending entries`,
      ...(fix ? [`completed ${report.completed} pending entries; repaired ${report.repaired} check-ins, releases and refunds`] : []),
      ...report.drifted.map(
        (drift) =>
          `drift ${drift.customerId}: balance ${drift.actual} → ${drift.expected}, frozen ${drift.actualFrozen} → ${drift.expectedFrozen}, lifetime ${drift.actualLifetime} → ${drift.expectedLifetime}`,
      ),
      fix ? `fixed ${report.fixed} of ${report.drifted.length} drifted members` : `${report.drifted.length} drifted members (run without --dry-run to fix)`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    bar.stop();
    await app.close();
    await database.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    process.stderr.write(`reconcile:points: ${error.message}\n`);
    process.exit(1);
  },
);
