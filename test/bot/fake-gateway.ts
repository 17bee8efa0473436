import type { AddressInfo } from 'node:net';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  BOT_PROTOCOL_VERSION,
  BotToServer,
  type AckFrame,
  type BotEvent,
  type BotStatusFrame,
  type ServerToBot,
  type WelcomeFrame,
} from '../../shared/src/bot-protocol.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const isBotFrame = addFormats(new Ajv({ allErrors: true, strict: false })).compile<BotToServer>(BotToServer);

export const TEST_TOKEN = 'bot-test-token-0123456789';
export const TINY_THROTTLE: WelcomeFrame['throttle'] = { replyMinGapMs: 10, proactiveMinGapMs: 30, proactiveMaxGapMs: 50, dailyCap: 50, unansweredPerContactPerDay: 5 };

export interface FakeGatewayOptions {
  port?: number;
  throttle?: WelcomeFrame['throttle'];
  /** Ack events as the server does; off to play a server that dies before acking. */
  ackEvents?: boolean;
  /** Sent after every welcome, as the server's outbox resends unacked commands to a reconnected bot. */
  commandsOnConnect?: ServerToBot[];
}

type Waiter = { check: () => boolean; resolve: () => void };

/** A small stand-in for the server's `/ws/bot`, speaking the protocol: welcome, acks, commands. */
export class FakeGateway {
  readonly frames: BotToServer[] = [];
  readonly invalid: unknown[] = [];
  readonly refusedTokens: string[] = [];
  readonly connections: number[] = [];
  private server: WebSocketServer | undefined;
  private readonly sockets = new Set<WebSocket>();
  private readonly waiters = new Set<Waiter>();

  private constructor(
    public port: number,
    public options: FakeGatewayOptions,
  ) {}

  static async start(options: FakeGatewayOptions = {}): Promise<FakeGateway> {
    const gateway = new FakeGateway(options.port ?? 0, options);
    await gateway.listen();
    return gateway;
  }

  get url(): string {
    return `ws://127.0.0.1:${this.port}/ws/bot`;
  }

  events(): BotEvent[] {
    return this.frames.filter((frame): frame is BotEvent => frame.kind === 'event');
  }

  acks(): AckFrame[] {
    return this.frames.filter((frame): frame is AckFrame => frame.kind === 'ack');
  }

  statuses(): BotStatusFrame[] {
    return this.frames.filter((frame): frame is BotStatusFrame => frame.kind === 'status');
  }

  send(frame: ServerToBot): void {
    for (const socket of this.sockets) socket.send(JSON.stringify(frame));
  }

  /** Resolves once `check` holds for the frames received so far. */
  until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`gateway condition not met in ${timeoutMs} ms; frames: ${JSON.stringify(this.frames.slice(-5))}`));
      }, timeoutMs);
      const waiter: Waiter = { check, resolve: () => (clearTimeout(timer), resolve()) };
      this.waiters.add(waiter);
    });
  }

  async listen(): Promise<void> {
    const server = new WebSocketServer({ host: '127.0.0.1', port: this.port, path: '/ws/bot', verifyClient: (info, done) => this.verify(info.req.headers.authorization, done) });
    await new Promise<void>((resolve) => server.once('listening', resolve));
    this.port = (server.address() as AddressInfo).port;
    server.on('connection', (socket) => this.onConnection(socket));
    this.server = server;
  }

  /** Stops like a crashed server: every connection is dropped. */
  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.terminate();
    this.sockets.clear();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = undefined;
  }

  private verify(authorization: string | undefined, done: (ok: boolean, code?: number) => void): void {
    if (authorization === `Bearer ${TEST_TOKEN}`) return done(true);
    this.refusedTokens.push(authorization ?? '');
    done(false, 401);
  }

  private onConnection(socket: WebSocket): void {
    this.sockets.add(socket);
    this.connections.push(Date.now());
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('message', (data) => this.onFrame(socket, data.toString()));
    const welcome: WelcomeFrame = { v: BOT_PROTOCOL_VERSION, kind: 'welcome', botId: 'bot-1', throttle: this.options.throttle ?? TINY_THROTTLE };
    socket.send(JSON.stringify(welcome));
    for (const command of this.options.commandsOnConnect ?? []) socket.send(JSON.stringify(command));
  }

  private onFrame(socket: WebSocket, text: string): void {
    const frame: unknown = JSON.parse(text);
    if (!isBotFrame(frame)) {
      this.invalid.push(frame);
    } else {
      this.frames.push(frame);
      if (frame.kind === 'event' && this.options.ackEvents !== false) socket.send(JSON.stringify({ v: BOT_PROTOCOL_VERSION, kind: 'ack', id: frame.id, ok: true }));
    }
    for (const waiter of this.waiters) {
      if (!waiter.check()) continue;
      this.waiters.delete(waiter);
      waiter.resolve();
    }
  }
}
