import { join } from 'node:path';
import { FAILURE_REASONS, type FailureReason } from '../../shared/src/bot-protocol.ts';
import { JsonlFile } from './jsonl-file.ts';

export interface CommandOutcome {
  ok: boolean;
  reason?: FailureReason;
  detail?: string;
}

type CommandRecord = { id: string; started: true } | ({ id: string } & CommandOutcome);

export interface ExecutedCommandsOptions {
  /** How many command ids are remembered; the server's outbox resends long before this many newer sends. */
  limit?: number;
}

const DEFAULT_OPTIONS = { limit: 10_000 } satisfies Required<ExecutedCommandsOptions>;

/**
 * Outcome stated for a command that was started but not confirmed before the process died: it may have
 * reached WeChat, so it is reported as failed rather than sent a second time.
 */
export const INTERRUPTED: CommandOutcome = {
  ok: false,
  reason: 'error',
  detail: 'interrupted by a restart before it was confirmed; not resent to avoid a duplicate',
};

/** Command ids the bot has acted on, kept on disk so a resent command is acked again but never executed twice. */
export class ExecutedCommands {
  private readonly outcomes = new Map<string, CommandOutcome | 'started'>();

  private constructor(
    private readonly file: JsonlFile,
    private readonly options: Required<ExecutedCommandsOptions>,
  ) {}

  static async open(dir: string, options: ExecutedCommandsOptions = {}): Promise<ExecutedCommands> {
    const { file, records } = await JsonlFile.open(join(dir, 'executed-commands.jsonl'));
    const executed = new ExecutedCommands(file, { ...DEFAULT_OPTIONS, ...options });
    executed.restore(records);
    await executed.compact();
    return executed;
  }

  /** The remembered outcome, `INTERRUPTED` for one cut short by a crash, undefined for a new id. */
  lookup(id: string): CommandOutcome | undefined {
    const outcome = this.outcomes.get(id);
    return outcome === 'started' ? INTERRUPTED : outcome;
  }

  /** Must resolve before the send is attempted: from then on the id is never executed again. */
  async markStarted(id: string): Promise<void> {
    this.outcomes.set(id, 'started');
    await this.file.append([{ id, started: true }], { durable: true });
  }

  async markFinished(id: string, outcome: CommandOutcome): Promise<void> {
    this.outcomes.set(id, outcome);
    await this.file.append([{ id, ...outcome }], { durable: true });
    if (this.outcomes.size > this.options.limit * 2) await this.compact();
  }

  close(): Promise<void> {
    return this.file.close();
  }

  private restore(records: unknown[]): void {
    for (const record of records) {
      if (!isCommandRecord(record)) continue;
      const { id, ...rest } = record;
      this.outcomes.delete(id);
      this.outcomes.set(id, 'started' in rest ? 'started' : rest);
    }
  }

  private async compact(): Promise<void> {
    const excess = this.outcomes.size - this.options.limit;
    for (const id of [...this.outcomes.keys()].slice(0, Math.max(0, excess))) this.outcomes.delete(id);
    await this.file.rewrite(() =>
      [...this.outcomes].map(([id, outcome]) => (outcome === 'started' ? { id, started: true } : { id, ...outcome })),
    );
  }
}

function isCommandRecord(value: unknown): value is CommandRecord {
  if (typeof value !== 'object' || value === null || !('id' in value) || typeof value.id !== 'string') return false;
  if ('started' in value) return value.started === true;
  if (!('ok' in value) || typeof value.ok !== 'boolean') return false;
  return !('reason' in value) || FAILURE_REASONS.some((reason) => reason === value.reason);
}
