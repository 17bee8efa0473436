import WebSocket from 'ws';
import {
  BOT_PROTOCOL_VERSION,
  type AckFrame,
  type BotCommand,
  type BotEvent,
  type BotStatusFrame,
  type BotToServer,
  type WelcomeFrame,
} from '../../shared/src/bot-protocol.ts';
import type { DiskQueue } from './disk-queue.ts';
import type { CommandOutcome } from './executed-commands.ts';
import type { Logger } from './logger.ts';
import { describeErrors, isBotEvent, isServerFrame } from './protocol-validators.ts';

export type StatusUpdate = Omit<BotStatusFrame, 'v' | 'kind'>;

export interface GatewayClientOptions {
  url: string;
  token: string;
  queue: DiskQueue;
  logger: Logger;
  onWelcome?: (welcome: WelcomeFrame) => void;
  onCommand?: (command: BotCommand) => void;
  reconnect?: { initialMs: number; maxMs: number };
  /** Events sent and not yet acked on one connection; the rest wait their turn in the disk queue. */
  maxInFlight?: number;
  heartbeatMs?: number;
  /** How long events wait after the server reported a transient error storing one. */
  retryAfterErrorMs?: number;
  random?: () => number;
}

const DEFAULTS = { reconnect: { initialMs: 500, maxMs: 30_000 }, maxInFlight: 200, heartbeatMs: 30_000, retryAfterErrorMs: 5_000 };

/**
 * The bot's side of `/ws/bot`: connects with the bot token, reconnects with backoff, and after each welcome
 * reports the current status and replays the disk queue in order. Events leave the queue only when acked.
 */
export class GatewayClient {
  private readonly options: GatewayClientOptions & typeof DEFAULTS;
  private readonly inFlight = new Set<string>();
  private socket: WebSocket | undefined;
  private welcomed = false;
  private closing = false;
  private attempt = 0;
  private status: BotStatusFrame = { v: BOT_PROTOCOL_VERSION, kind: 'status', status: 'starting' };
  private reconnectTimer: NodeJS.Timeout | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private lastError: string | undefined;

  constructor(options: GatewayClientOptions) {
    this.options = { ...DEFAULTS, ...options };
  }

  get connected(): boolean {
    return this.welcomed;
  }

  /** Events on disk still waiting for the server's ack. */
  get queued(): number {
    return this.options.queue.size;
  }

  start(): void {
    this.closing = false;
    this.connect();
  }

  /** Queues the event durably, then sends it when the connection allows. An invalid event is logged and dropped. */
  async publish(event: BotEvent): Promise<void> {
    const { id, type } = event;
    if (!isBotEvent(event)) {
      this.options.logger.error({ eventId: id, type, errors: describeErrors(isBotEvent.errors) }, 'event dropped: does not match the protocol');
      return;
    }
    await this.options.queue.append(event);
    this.pump();
  }

  /** Remembered and sent again after every reconnect, so the console always shows the latest state. */
  setStatus(update: StatusUpdate): void {
    this.status = { v: BOT_PROTOCOL_VERSION, kind: 'status', ...update };
    if (this.welcomed) this.send(this.status);
  }

  /** An ack that cannot be sent now is dropped: the server resends the command and it is acked again. */
  ack(id: string, outcome: CommandOutcome): void {
    const frame: AckFrame = {
      v: BOT_PROTOCOL_VERSION,
      kind: 'ack',
      id,
      ok: outcome.ok,
      ...(outcome.reason ? { reason: outcome.reason } : {}),
      ...(outcome.detail ? { detail: outcome.detail.slice(0, 500) } : {}),
    };
    if (!this.welcomed) {
      this.options.logger.debug({ commandId: id }, 'ack not sent: gateway offline');
      return;
    }
    this.send(frame);
  }

  async close(): Promise<void> {
    this.closing = true;
    clearTimeout(this.reconnectTimer);
    clearTimeout(this.retryTimer);
    const socket = this.socket;
    if (!socket || socket.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => socket.terminate(), 2_000);
      socket.once('close', () => {
        clearTimeout(force);
        resolve();
      });
      socket.close(1000, 'bot shutting down');
    });
  }

  private connect(): void {
    const { url, token, logger } = this.options;
    const socket = new WebSocket(url, { headers: { authorization: `Bearer ${token}` }, handshakeTimeout: 10_000 });
    this.socket = socket;
    socket.on('open', () => this.onOpen(socket));
    socket.on('message', (data) => this.onFrame(data.toString()));
    socket.on('pong', () => {
      alive.set(socket, true);
    });
    socket.on('error', (error) => {
      this.lastError = describeConnectionError(error);
      logger.debug({ err: error, url }, 'gateway socket error');
    });
    socket.on('close', (code) => this.onClose(socket, code));
  }

  private onOpen(socket: WebSocket): void {
    this.options.logger.info({ url: this.options.url }, 'gateway connected; waiting for welcome');
    alive.set(socket, true);
    this.heartbeatTimer = setInterval(() => heartbeat(socket), this.options.heartbeatMs);
  }

  private onClose(socket: WebSocket, code: number): void {
    if (socket !== this.socket) return;
    clearInterval(this.heartbeatTimer);
    this.welcomed = false;
    this.inFlight.clear();
    this.socket = undefined;
    if (this.closing) return;
    const delay = this.backoff();
    this.options.logger.warn({ code, reason: this.lastError, retryInMs: delay, queued: this.options.queue.size }, 'gateway disconnected');
    this.lastError = undefined;
    this.reconnectTimer = setTimeout(() => this.connect(), delay);
  }

  private onFrame(text: string): void {
    const frame = parseJson(text);
    if (!isServerFrame(frame)) {
      this.options.logger.warn({ errors: describeErrors(isServerFrame.errors) }, 'server frame ignored: does not match the protocol');
      return;
    }
    if (frame.kind === 'welcome') return this.onWelcome(frame);
    if (frame.kind === 'ack') {
      this.onAck(frame).catch((error: unknown) => this.options.logger.error({ err: error, eventId: frame.id }, 'ack not recorded'));
      return;
    }
    this.options.onCommand?.(frame);
  }

  private onWelcome(welcome: WelcomeFrame): void {
    this.welcomed = true;
    this.attempt = 0;
    this.options.logger.info({ botId: welcome.botId, queued: this.options.queue.size }, 'gateway welcomed the bot');
    this.options.onWelcome?.(welcome);
    this.send(this.status);
    this.pump();
  }

  private async onAck(ack: AckFrame): Promise<void> {
    if (!this.inFlight.delete(ack.id)) return;
    if (!ack.ok && ack.reason === 'error') return this.retryLater(ack);
    if (!ack.ok) this.options.logger.warn({ eventId: ack.id, reason: ack.reason, detail: ack.detail }, 'event refused by the server; dropped');
    await this.options.queue.ack(ack.id);
    this.pump();
  }

  private retryLater(ack: AckFrame): void {
    this.options.logger.warn({ eventId: ack.id, detail: ack.detail }, 'server could not store an event; retrying');
    this.retryTimer ??= setTimeout(() => {
      this.retryTimer = undefined;
      this.pump();
    }, this.options.retryAfterErrorMs);
  }

  private pump(): void {
    if (!this.welcomed || this.retryTimer) return;
    for (const event of this.options.queue.pending()) {
      if (this.inFlight.size >= this.options.maxInFlight) return;
      if (this.inFlight.has(event.id)) continue;
      this.inFlight.add(event.id);
      this.send(event);
    }
  }

  private send(frame: BotToServer): void {
    if (this.socket?.readyState !== WebSocket.OPEN) return;
    this.socket.send(JSON.stringify(frame));
  }

  /** Exponential with jitter, so a fleet of bots does not reconnect in lockstep after a server restart. */
  private backoff(): number {
    const { initialMs, maxMs } = this.options.reconnect;
    const ceiling = Math.min(maxMs, initialMs * 2 ** this.attempt);
    this.attempt += 1;
    const random = this.options.random ?? Math.random;
    return Math.round(ceiling / 2 + (random() * ceiling) / 2);
  }
}

const alive = new WeakMap<WebSocket, boolean>();

/** A connection that did not answer the previous ping is dead (e.g. a half-open TCP link) and is dropped. */
function heartbeat(socket: WebSocket): void {
  if (!alive.get(socket)) return socket.terminate();
  alive.set(socket, false);
  socket.ping();
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function describeConnectionError(error: Error): string {
  if (/\b401\b|\b403\b/.test(error.message)) return 'the gateway refused the bot token; check BOT_TOKEN';
  return error.message;
}
