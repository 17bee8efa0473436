import { mkdir, open, readFile, rename, truncate, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * An append-only JSON-lines file: every write is serialised, appends arriving together share one fsync
 * (group commit), and `rewrite` swaps in a compacted copy atomically (temp file, fsync, rename, fsync dir).
 * A line torn by a crash mid-write is skipped when the file is read back.
 */
export class JsonlFile {
  private chain: Promise<void> = Promise.resolve();
  private buffered: string[] = [];
  private flushing: Promise<void> | undefined;
  private needsSync = false;

  private constructor(
    private readonly path: string,
    private handle: FileHandle,
  ) {}

  static async open(path: string): Promise<{ file: JsonlFile; records: unknown[] }> {
    await mkdir(dirname(path), { recursive: true });
    const content = await readFile(path).catch(emptyIfMissing);
    const complete = await dropTornTail(path, content);
    const records = parseLines(complete.toString('utf8'));
    const file = new JsonlFile(path, await open(path, 'a'));
    return { file, records };
  }

  /** Resolves once the records are on disk (fsync'd when `durable`). */
  append(records: unknown[], { durable }: { durable: boolean }): Promise<void> {
    for (const record of records) this.buffered.push(`${JSON.stringify(record)}\n`);
    if (durable) this.needsSync = true;
    this.flushing ??= this.enqueue(() => this.writeBuffered());
    return this.flushing;
  }

  /**
   * Replaces the whole file with what `snapshot` returns when the rewrite runs, after every write requested
   * before it; the caller's state is read then, not when the rewrite is requested.
   */
  rewrite(snapshot: () => unknown[]): Promise<void> {
    return this.enqueue(async () => {
      const records = snapshot();
      const temp = `${this.path}.tmp`;
      const handle = await open(temp, 'w');
      await handle.writeFile(records.map((record) => `${JSON.stringify(record)}\n`).join(''));
      await handle.sync();
      await handle.close();
      await this.handle.close();
      await rename(temp, this.path);
      await syncDirectory(dirname(this.path));
      this.handle = await open(this.path, 'a');
    });
  }

  close(): Promise<void> {
    return this.enqueue(() => this.handle.close());
  }

  private async writeBuffered(): Promise<void> {
    this.flushing = undefined;
    const lines = this.buffered.splice(0);
    const sync = this.needsSync;
    this.needsSync = false;
    if (lines.length === 0) return;
    await this.handle.appendFile(lines.join(''));
    if (sync) await this.handle.datasync();
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    const run = this.chain.then(task);
    this.chain = run.catch(() => {});
    return run;
  }
}

function parseLines(text: string): unknown[] {
  const records: unknown[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      records.push(JSON.parse(line));
    } catch {
      // A line damaged on disk loses that one record rather than the whole file.
    }
  }
  return records;
}

/** Cuts a partial last line off, so the next append starts on a line of its own instead of gluing onto it. */
async function dropTornTail(path: string, content: Buffer): Promise<Buffer> {
  if (content.length === 0 || content[content.length - 1] === 0x0a) return content;
  const end = content.lastIndexOf(0x0a) + 1;
  await truncate(path, end);
  return content.subarray(0, end);
}

function emptyIfMissing(error: NodeJS.ErrnoException): Buffer {
  if (error.code === 'ENOENT') return Buffer.alloc(0);
  throw error;
}

async function syncDirectory(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
