import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The development stand-in for MongoDB: mongo-java-server, built with Maven on first use. */
export type DevDbBackend = 'memory' | 'h2';

export interface DevDb {
  uri: string;
  port: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');
const buildDir = path.join(repoRoot, '.data/devdb-build');
const jar = path.join(buildDir, 'devdb-1.0.0.jar');
const stamp = path.join(buildDir, 'source.sha256');

/** A hash of the launcher's sources, so a checkout with changed Java code rebuilds instead of running a stale jar. */
function sourceHash(): string {
  const hash = createHash('sha256').update(readFileSync(path.join(here, 'pom.xml')));
  const sources = path.join(here, 'src/main/java/siyu/devdb');
  for (const file of readdirSync(sources).sort()) hash.update(file).update(readFileSync(path.join(sources, file)));
  return hash.digest('hex');
}

export function isJavaAvailable(): boolean {
  return spawnSync('java', ['-version'], { stdio: 'ignore' }).status === 0;
}

export function buildDevDb(): void {
  const wanted = sourceHash();
  if (existsSync(jar) && existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted) return;
  const result = spawnSync('mvn', ['-q', '-B', 'package', '-DskipTests'], {
    cwd: here,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (result.status !== 0) throw new Error('building the development database (mvn package in scripts/devdb) failed');
  writeFileSync(stamp, wanted);
}

/**
 * `heap` (e.g. '2g'): the heap is committed and touched at start. A growing JVM heap faults in fresh pages as it
 * goes, which cost the stand-in more CPU than its queries did in a benchmark's first minutes (measured: two thirds
 * of its time in the kernel); a steady-state database has long since paid that.
 */
export async function startDevDb(options: { backend: DevDbBackend; dataDir?: string; port?: number; heap?: string }): Promise<DevDb> {
  buildDevDb();
  const heap = options.heap ? [`-Xms${options.heap}`, '-XX:+AlwaysPreTouch'] : [];
  const args = [...heap, '-Xss4m', '-cp', `${jar}${path.delimiter}${path.join(buildDir, 'lib', '*')}`, 'siyu.devdb.DevDb', options.backend];
  if (options.backend === 'h2') {
    const dataDir = options.dataDir ?? path.join(repoRoot, '.data');
    mkdirSync(dataDir, { recursive: true });
    args.push(path.join(dataDir, 'devdb.mv'));
  } else {
    args.push('-');
  }
  args.push(String(options.port ?? 0));
  // stdin stays a pipe: the Java side exits when it closes, so the database never outlives us.
  const child = spawn('java', args, { stdio: ['pipe', 'pipe', 'inherit'] });
  const address = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      if (line.startsWith('LISTENING ')) resolve(line.slice('LISTENING '.length));
    });
    child.once('exit', (code) => reject(new Error(`development database exited with code ${code}`)));
    child.once('error', reject);
  });
  const port = Number(address.split(':').pop());
  return {
    uri: `mongodb://${address}`,
    port,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.stdin!.end();
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
}
