import type { SendPurpose } from '../../shared/src/bot-protocol.ts';
import {
  DEFAULT_CONFIG,
  decideSend,
  recordInbound,
  recordSend,
  type ThrottleConfig,
  type ThrottleRefusal,
  type ThrottleSettings,
  type ThrottleState,
} from './send-throttle.ts';
import { memoryThrottleStore, type ThrottleStore } from './throttle-store.ts';

export interface ScheduledSend<T> {
  purpose: SendPurpose;
  target: string;
  /** Performs the send; `sent: false` when it gave up before reaching WeChat, so nothing is counted. */
  run(): Promise<{ sent: boolean; value: T }>;
}

export type ScheduleResult<T> =
  | { status: 'done'; value: T }
  | { status: 'refused'; reason: ThrottleRefusal }
  | { status: 'failed'; error: unknown }
  /** The scheduler closed first; the server resends what it never saw acked. */
  | { status: 'cancelled' };

interface Entry {
  request: { purpose: SendPurpose; target: string; queuedAt: number };
  run(): Promise<{ sent: boolean; value: unknown }>;
  settle(result: ScheduleResult<unknown>): void;
}

export interface SendSchedulerOptions {
  store?: ThrottleStore;
  /** Merged over DEFAULT_CONFIG. */
  config?: Partial<ThrottleConfig>;
  now?: () => number;
  random?: () => number;
}

/**
 * One queue per account, so every kind of send shares the same gaps and caps. Replies go before proactive
 * sends, which keep their own random spacing; sends run one at a time.
 */
export class SendScheduler {
  private readonly queues: Record<SendPurpose, Entry[]> = { reply: [], proactive: [] };
  private readonly store: ThrottleStore;
  private readonly config: ThrottleConfig;
  private readonly now: () => number;
  private readonly random: () => number;
  private settings: ThrottleSettings;
  private state: ThrottleState;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private closed = false;

  constructor(options: SendSchedulerOptions = {}) {
    this.store = options.store ?? memoryThrottleStore();
    this.config = { ...DEFAULT_CONFIG, ...options.config };
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.settings = this.config.settings;
    this.state = this.store.state;
  }

  schedule<T>(send: ScheduledSend<T>): Promise<ScheduleResult<T>> {
    if (this.closed) return Promise.resolve({ status: 'cancelled' });
    return new Promise<ScheduleResult<T>>((resolve) => {
      this.queues[send.purpose].push({
        request: { purpose: send.purpose, target: send.target, queuedAt: this.now() },
        run: send.run,
        settle: resolve as (result: ScheduleResult<unknown>) => void,
      });
      this.kick();
    });
  }

  updateSettings(settings: ThrottleSettings): void {
    this.settings = settings;
    this.kick();
  }

  noteInbound(target: string): void {
    const next = recordInbound(this.state, target);
    if (next === this.state) return;
    this.state = next;
    void this.store.save(next);
  }

  get queued(): number {
    return this.queues.reply.length + this.queues.proactive.length;
  }

  /** Settles everything still queued as cancelled and waits for a send in progress to finish. */
  async close(): Promise<void> {
    this.closed = true;
    for (const entry of [...this.queues.reply.splice(0), ...this.queues.proactive.splice(0)]) entry.settle({ status: 'cancelled' });
    this.wakeUp?.();
    await this.loop;
  }

  private kick(): void {
    if (this.wakeUp) return this.wakeUp();
    this.loop ??= this.drain().finally(() => {
      this.loop = undefined;
      // An entry queued between the last look at the queues and this line would otherwise wait forever.
      if (this.head() && !this.closed) this.kick();
    });
  }

  private async drain(): Promise<void> {
    for (let entry = this.head(); entry && !this.closed; entry = this.head()) {
      const decision = decideSend({ state: this.state, request: entry.request, now: this.now(), settings: this.settings, config: this.config });
      if (decision.action === 'wait') {
        await this.sleep(decision.untilMs - this.now());
        continue;
      }
      this.queues[entry.request.purpose].shift();
      if (decision.action === 'refuse') entry.settle({ status: 'refused', reason: decision.reason });
      else await this.send(entry);
    }
  }

  private async send(entry: Entry): Promise<void> {
    try {
      const { sent, value } = await entry.run();
      if (sent) await this.recordSent(entry);
      entry.settle({ status: 'done', value });
    } catch (error) {
      // The send may have reached WeChat before failing, so it still counts against the gaps and caps.
      await this.recordSent(entry);
      entry.settle({ status: 'failed', error });
    }
  }

  private async recordSent(entry: Entry): Promise<void> {
    const { purpose, target } = entry.request;
    this.state = recordSend({ state: this.state, purpose, target, now: this.now(), random: this.random(), settings: this.settings, config: this.config });
    await this.store.save(this.state);
  }

  private head(): Entry | undefined {
    return this.queues.reply[0] ?? this.queues.proactive[0];
  }

  /** Sleeps until the time comes or something new arrives (a reply may jump ahead of a waiting broadcast). */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      this.wakeUp = done;
    });
  }
}
