import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { RawData, WebSocket } from 'ws';
import { BOT_PROTOCOL_VERSION, type AckFrame, type BotEvent, type BotToServer } from '../../../../shared/src/bot-protocol.ts';
import { DomainError } from '../../lib/errors.ts';
import type { BotConnection, BotConnectionRegistry } from './bot-connections.ts';
import type { BotSettingsService } from './bot-settings.service.ts';
import type { BotRecord, BotsService } from './bots.service.ts';
import type { BotContext, CaptureService } from './capture.service.ts';
import { createFrameScheduler } from './frame-scheduler.util.ts';
import type { OutboxService } from './outbox.service.ts';
import { parseBotFrame } from './parse-frame.util.ts';

declare module 'fastify' {
  interface FastifyRequest {
    botAccount: BotRecord | null;
  }
}

export interface GatewayOptions {
  bots: BotsService;
  botSettings: BotSettingsService;
  capture: CaptureService;
  outbox: OutboxService;
  connections: BotConnectionRegistry;
}

/** The bot's own window is 200 events; far beyond that it is not listening to acks. */
const MAX_PENDING_FRAMES = 1000;

/** The conversation an event belongs to: its events keep their order, others may pass. */
function laneOf(event: BotEvent): string {
  if (event.type === 'room_join' || event.type === 'room_leave') return `room:${event.payload.room.id}`;
  if (event.type === 'message' && event.payload.room) return `room:${event.payload.room.id}`;
  return `contact:${event.payload.contact.id}`;
}

const toText = (data: RawData) => (Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as Buffer)).toString('utf8');

/** `/ws/bot`: the bot gateway. Authenticated before the upgrade; each conversation's events are applied in the order sent. */
export async function gatewayRoutes(fastify: FastifyInstance, options: GatewayOptions): Promise<void> {
  const { bots, botSettings, capture, outbox, connections } = options;
  const frames = createFrameScheduler();
  fastify.decorateRequest('botAccount', null);

  async function authenticateBot(request: FastifyRequest): Promise<void> {
    const header = request.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : '';
    const bot = token ? await bots.authenticate(token) : null;
    if (!bot) {
      request.log.warn({ ip: request.ip }, 'bot connection refused: unknown or revoked token');
      throw new DomainError('UNAUTHENTICATED', 'a valid bot token is required');
    }
    request.botAccount = bot;
  }

  const ack = (connection: BotConnection, id: string, ok: boolean, extra: Pick<AckFrame, 'reason' | 'detail'> = {}) =>
    connections.write(connection, { v: BOT_PROTOCOL_VERSION, kind: 'ack', id, ok, ...extra });

  async function open(connection: BotConnection, bot: BotContext): Promise<void> {
    await bots.markConnected(bot.id, connection.id);
    await connections.write(connection, { v: BOT_PROTOCOL_VERSION, kind: 'welcome', botId: bot.id, throttle: (await botSettings.get()).throttle });
    void outbox.resume(bot.id);
  }

  async function apply(connection: BotConnection, bot: BotContext, frame: BotToServer): Promise<void> {
    if (frame.kind === 'event') {
      await capture.applyEvent(bot, frame);
      await ack(connection, frame.id, true);
    } else if (frame.kind === 'status') {
      await bots.recordStatus(bot.id, frame);
      if (frame.account) bot.accountId = frame.account.id;
    } else if ((await capture.applyAck(bot, frame)) === 'unknown') {
      fastify.log.warn({ botId: bot.id, commandId: frame.id }, 'ack for an unknown command ignored');
    }
  }

  async function applyInOrder(connection: BotConnection, bot: BotContext, frame: BotToServer): Promise<void> {
    if (connection.closed) return;
    try {
      await apply(connection, bot, frame);
    } catch (error) {
      const frameId = 'id' in frame ? frame.id : undefined;
      fastify.log.error({ err: error, botId: bot.id, frameId }, 'bot frame not applied; the bot replays it after reconnecting');
      if (frame.kind === 'event') await ack(connection, frame.id, false, { reason: 'error', detail: 'not stored; send it again' });
      // Later frames must not overtake this one: close, and the bot replays from here, in order.
      connection.closed = true;
      connection.socket.close(1011, 'server error; reconnect and replay');
    }
  }

  function onFrame(connection: BotConnection, bot: BotContext, data: RawData, isBinary: boolean): Promise<unknown> {
    const parsed = isBinary ? { ok: false as const, detail: 'binary frames are not part of the protocol' } : parseBotFrame(toText(data));
    if (!parsed.ok) {
      fastify.log.warn({ botId: bot.id, frameId: parsed.id, reason: parsed.detail }, 'bot frame rejected');
      return parsed.id ? ack(connection, parsed.id, false, { reason: 'invalid', detail: parsed.detail }) : Promise.resolve();
    }
    const frame = parsed.frame;
    const run = () => applyInOrder(connection, bot, frame);
    if (frame.kind === 'status') return frames.alone(bot.id, run);
    if (frame.kind === 'ack') return frames.inLane(bot.id, 'acks', run);
    return frames.inLane(bot.id, laneOf(frame), run);
  }

  fastify.get('/ws/bot', { websocket: true, preValidation: authenticateBot, schema: { hide: true } }, (socket: WebSocket, request) => {
    const record = request.botAccount!;
    const bot: BotContext = { id: String(record._id), name: record.name, ownerStaffId: String(record.ownerStaffId), accountId: record.account?.id ?? null };
    const connection = connections.attach(bot.id, socket);
    const log = request.log.child({ botId: bot.id, connectionId: connection.id });
    let pending = 0;
    // Listeners first, synchronously: frames that arrive while `open` runs wait in the queue behind it.
    socket.on('message', (data, isBinary) => {
      if (++pending > MAX_PENDING_FRAMES) {
        connection.closed = true;
        socket.close(1008, 'too many unacknowledged frames');
        return;
      }
      onFrame(connection, bot, data, isBinary)
        .catch((error: unknown) => log.error({ err: error }, 'bot frame failed'))
        .finally(() => pending--);
    });
    socket.on('close', (code) => {
      connections.detach(bot.id, connection);
      log.info({ code }, 'bot disconnected');
      bots.markDisconnected(bot.id, connection.id).catch((error: unknown) => log.warn({ err: error }, 'bot disconnect not recorded'));
    });
    log.info('bot connected');
    frames.alone(bot.id, () => open(connection, bot)).catch((error: unknown) => {
      log.error({ err: error }, 'bot connection not opened');
      socket.close(1011, 'server error');
    });
  });
}
