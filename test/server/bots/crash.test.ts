import type { FastifyInstance } from 'fastify';
import { setImmediate as tick } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { AckFrame, BotEvent, ServerToBot } from '../../../shared/src/bot-protocol.ts';
import { buildApp } from '../../../server/src/app.ts';
import { injectAs, testConfig } from '../../helpers/app.ts';
import { gatewayUrl } from './bot-client.ts';
import { createBot, message } from './fixtures.ts';

/** The bot's side of "nothing lost": events stay buffered until acked and are replayed, in order, on every connection. */
class BufferingBot {
  private readonly pending: BotEvent[] = [];
  private socket: WebSocket | null = null;
  private onAcked: (() => void) | null = null;
  acked = 0;

  constructor(private readonly token: string) {}

  /** Resolves once welcomed; then the buffer is replayed in order. */
  connect(app: FastifyInstance): Promise<void> {
    const socket = new WebSocket(gatewayUrl(app), { headers: { authorization: `Bearer ${this.token}` } });
    this.socket = socket;
    socket.on('close', () => {
      if (this.socket === socket) this.socket = null;
    });
    socket.on('error', () => {});
    return new Promise((resolve) => {
      socket.on('message', (data) => {
        const frame = JSON.parse(data.toString()) as ServerToBot;
        if (frame.kind === 'ack') this.onAck(frame);
        if (frame.kind !== 'welcome') return;
        for (const event of this.pending) socket.send(JSON.stringify(event));
        resolve();
      });
    });
  }

  private onAck(ack: AckFrame): void {
    const index = this.pending.findIndex((event) => event.id === ack.id);
    if (!ack.ok || index === -1) return;
    this.pending.splice(index, 1);
    this.acked++;
    this.onAcked?.();
  }

  publish(event: BotEvent): void {
    this.pending.push(event);
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(event));
  }

  get buffered(): number {
    return this.pending.length;
  }

  /** Resolves when the condition holds, checked after every ack. */
  until(condition: () => boolean): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve) => {
      this.onAcked = () => {
        if (condition()) resolve();
      };
    });
  }

  close(): void {
    this.socket?.close();
  }
}

describe('server killed while customers keep talking', () => {
  const config = testConfig();
  let restarted: FastifyInstance | undefined;
  afterAll(async () => {
    await restarted?.db.dropDatabase();
    await restarted?.close();
  });

  it('lands every event exactly once, in send order, after a restart on the same database', async () => {
    const first = await buildApp(config);
    await first.listen({ port: 0, host: '127.0.0.1' });
    const { token } = await createBot(await injectAs(first, 'admin'), 'crash bot');
    const bot = new BufferingBot(token);
    await bot.connect(first);

    const contacts = ['c-a', 'c-b', 'c-c'];
    const sent: BotEvent[] = [];
    const publish = () => {
      const event = message(contacts[sent.length % 3], `消息 ${sent.length}`);
      sent.push(event);
      bot.publish(event);
    };
    for (let index = 0; index < 30; index++) publish();
    await bot.until(() => bot.acked >= 10);
    // The kill lands mid-stream: some events applied and acked, some in flight, the rest still coming.
    const closing = first.close();
    while (sent.length < 90) {
      publish();
      await tick();
    }
    await closing;
    expect(bot.acked).toBeGreaterThanOrEqual(10);
    expect(bot.buffered).toBeGreaterThan(60);

    restarted = await buildApp(config);
    await restarted.listen({ port: 0, host: '127.0.0.1' });
    await bot.connect(restarted);
    await bot.until(() => bot.buffered === 0);
    bot.close();

    const db = restarted.db;
    expect(await db.collection('bot_events').countDocuments({ appliedAt: { $exists: true } })).toBe(90);
    expect(await db.collection('interactions').countDocuments({ type: 'message_in' })).toBe(90);
    for (const contactId of contacts) {
      const conversation = (await db.collection('conversations').findOne({ contactId }))!;
      const stored = await db.collection('messages').find({ conversationId: conversation._id }).sort({ seq: 1 }).toArray();
      const expected = sent.filter((event) => event.type === 'message' && event.payload.contact.id === contactId).map((event) => event.id);
      expect(stored.map((row) => row.eventId)).toEqual(expected);
    }
  });
});
