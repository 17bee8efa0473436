import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import WebSocket from 'ws';
import { BOT_PROTOCOL_VERSION, type AckFrame, type BotEvent, type ServerToBot } from '../../../shared/src/bot-protocol.ts';

const WAIT_MS = 5000;

type Waiter = { matches: (frame: ServerToBot) => boolean; resolve: (frame: ServerToBot) => void };

export function gatewayUrl(app: FastifyInstance): string {
  return `ws://127.0.0.1:${(app.server.address() as AddressInfo).port}/ws/bot`;
}

/** A bot speaking the protocol over a real socket; frames are taken by `next` in arrival order. */
export class TestBot {
  readonly received: ServerToBot[] = [];
  private readonly unclaimed: ServerToBot[] = [];
  private readonly waiters: Waiter[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;

  constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => this.onFrame(JSON.parse(data.toString()) as ServerToBot));
    this.closed = new Promise((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  }

  private onFrame(frame: ServerToBot) {
    this.received.push(frame);
    const index = this.waiters.findIndex((waiter) => waiter.matches(frame));
    if (index === -1) this.unclaimed.push(frame);
    else this.waiters.splice(index, 1)[0].resolve(frame);
  }

  /** The first frame (received or to come) that matches and no earlier call took. */
  next<Frame extends ServerToBot>(matches: (frame: ServerToBot) => frame is Frame, label = 'frame'): Promise<Frame> {
    const index = this.unclaimed.findIndex(matches);
    if (index !== -1) return Promise.resolve(this.unclaimed.splice(index, 1)[0] as Frame);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${label} within ${WAIT_MS} ms`)), WAIT_MS);
      this.waiters.push({ matches, resolve: (frame) => (clearTimeout(timer), resolve(frame as Frame)) });
    });
  }

  ackFor(id: string): Promise<AckFrame> {
    return this.next((frame): frame is AckFrame => frame.kind === 'ack' && frame.id === id, `ack for ${id}`);
  }

  command(matches: (frame: Extract<ServerToBot, { kind: 'command' }>) => boolean = () => true) {
    return this.next((frame): frame is Extract<ServerToBot, { kind: 'command' }> => frame.kind === 'command' && matches(frame), 'command');
  }

  /** Commands received and not yet taken by `next`. */
  pendingCommands() {
    return this.unclaimed.filter((frame) => frame.kind === 'command');
  }

  sendRaw(data: string | Buffer): void {
    this.socket.send(data);
  }

  send(frame: unknown): void {
    this.socket.send(JSON.stringify(frame));
  }

  /** Sends an event and resolves with the server's ack. */
  async emit(event: BotEvent): Promise<AckFrame> {
    const acked = this.ackFor(event.id);
    this.send(event);
    return acked;
  }

  ack(id: string, ok = true, reason?: AckFrame['reason']): void {
    this.send({ v: BOT_PROTOCOL_VERSION, kind: 'ack', id, ok, ...(reason ? { reason } : {}) });
  }

  async close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return;
    this.socket.close(1000, 'test done');
    await this.closed;
  }
}

/** Connects and waits for the welcome frame. */
export async function connectBot(app: FastifyInstance, token: string): Promise<TestBot> {
  const socket = new WebSocket(gatewayUrl(app), { headers: { authorization: `Bearer ${token}` } });
  const bot = new TestBot(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('unexpected-response', (_request, response) => reject(new Error(`refused: ${response.statusCode}`)));
    socket.once('error', reject);
  });
  await bot.next((frame): frame is Extract<ServerToBot, { kind: 'welcome' }> => frame.kind === 'welcome', 'welcome');
  return bot;
}

/** The HTTP status a connection attempt is refused with (0 when it was accepted). */
export function connectionRefusal(app: FastifyInstance, headers: Record<string, string>): Promise<number> {
  const socket = new WebSocket(gatewayUrl(app), { headers });
  return new Promise((resolve, reject) => {
    socket.once('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? -1);
      socket.terminate();
    });
    socket.once('open', () => {
      socket.close();
      resolve(0);
    });
    socket.once('error', (error) => {
      if (!/Unexpected server response/.test(error.message)) reject(error);
    });
  });
}
