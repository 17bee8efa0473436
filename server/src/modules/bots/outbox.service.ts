import type { FastifyBaseLogger } from 'fastify';
import { Types } from 'mongoose';
import type { AckFrame, BotCommand, ServerToBot } from '../../../../shared/src/bot-protocol.ts';
import type { EventBus } from '../../plugins/bus.ts';
import type { BotCommandRecord } from './bot-command.model.ts';
import { createKeyedQueue } from './keyed-queue.util.ts';
import type { BotModels } from './models.ts';

/** The sockets of the bots connected to this instance. */
export interface BotConnections {
  isOnline(botId: string): boolean;
  /** Resolves false when the frame could not be written (socket gone). */
  send(botId: string, frame: ServerToBot): Promise<boolean>;
}

export type StoredCommand = BotCommandRecord & { _id: Types.ObjectId };

/** Commands sent and not yet acknowledged, per bot: the rest wait here, where they survive a bot restart. */
export const OUTBOX_WINDOW = 20;

/**
 * The server-side outbox. Commands are stored before anything is sent; a bot that is offline gets them when it
 * connects; a command sent on a socket that dropped is sent again, with the same id, on the next connection (the
 * bot remembers executed ids, so it is never executed twice).
 */
export function createOutboxService({ BotCommand }: BotModels, deps: { bus: EventBus; connections: BotConnections; log: FastifyBaseLogger }) {
  const perBot = createKeyedQueue();

  /** Stores a command once per id; returns whether this call created it. */
  async function enqueue(botId: string, command: BotCommand, options: { messageId?: Types.ObjectId | string } = {}): Promise<boolean> {
    const priority = command.type === 'send' && command.purpose === 'proactive' ? 1 : 0;
    try {
      const result = await BotCommand.updateOne(
        { commandId: command.id },
        // The id is made here, not by the database on upsert: ids from one process increase, which keeps sends in order.
        { $setOnInsert: { _id: new Types.ObjectId(), botId, type: command.type, frame: command, priority, status: 'queued', attempts: 0, messageId: options.messageId } },
        { upsert: true },
      );
      if (result.upsertedCount !== 1) return false;
    } catch (error) {
      if ((error as { code?: number }).code === 11000) return false;
      throw error;
    }
    deps.bus.publish('bot.outbox', { botId });
    return true;
  }

  async function drainNow(botId: string): Promise<void> {
    while (deps.connections.isOnline(botId)) {
      const inFlight = await BotCommand.countDocuments({ botId, status: 'sent' });
      if (inFlight >= OUTBOX_WINDOW) return;
      const batch = await BotCommand.find({ botId, status: 'queued' }).sort({ priority: 1, _id: 1 }).limit(OUTBOX_WINDOW - inFlight).lean();
      if (!batch.length) return;
      for (const command of batch) {
        const claimed = await BotCommand.updateOne({ _id: command._id, status: 'queued' }, { $set: { status: 'sent', sentAt: new Date() }, $inc: { attempts: 1 } });
        if (claimed.modifiedCount !== 1) continue;
        if (!(await deps.connections.send(botId, command.frame as BotCommand))) {
          await BotCommand.updateOne({ _id: command._id, status: 'sent' }, { $set: { status: 'queued' } });
          return;
        }
      }
    }
  }

  function run(botId: string, task: () => Promise<void>): Promise<void> {
    return perBot(botId, task).catch((error: unknown) => deps.log.error({ err: error, botId }, 'outbox delivery failed; retried on the next wake-up'));
  }

  /** Sends what is waiting, if the bot is connected here. */
  function drain(botId: string): Promise<void> {
    return run(botId, () => drainNow(botId));
  }

  /** On a new connection: whatever an earlier socket took but never acknowledged goes out again, in order. */
  function resume(botId: string): Promise<void> {
    return run(botId, async () => {
      await BotCommand.updateMany({ botId, status: 'sent' }, { $set: { status: 'queued' } });
      await drainNow(botId);
    });
  }

  /**
   * Commands sent on a socket that stayed up but never acknowledged (a frame the bot failed to act on) go out
   * again with the same id: the bot acks an id it executed, or joins the run still in progress, so nothing is
   * sent twice to the contact.
   */
  function resendUnacked(botId: string, sentBefore: Date): Promise<void> {
    return run(botId, async () => {
      if (!deps.connections.isOnline(botId)) return;
      const stale = await BotCommand.find({ botId, status: 'sent', sentAt: { $lt: sentBefore } }).sort({ _id: 1 }).lean();
      for (const command of stale) {
        const claimed = await BotCommand.updateOne({ _id: command._id, status: 'sent', sentAt: command.sentAt }, { $set: { sentAt: new Date() }, $inc: { attempts: 1 } });
        if (!claimed.modifiedCount) continue;
        deps.log.warn({ botId, commandId: command.commandId, attempts: command.attempts + 1 }, 'command not acknowledged in time; sent again');
        if (!(await deps.connections.send(botId, command.frame as BotCommand))) return;
      }
    });
  }

  async function find(botId: string, commandId: string): Promise<StoredCommand | null> {
    return (await BotCommand.findOne({ commandId, botId }).lean()) as StoredCommand | null;
  }

  /** Records the bot's verdict once; a repeated ack changes nothing. */
  async function settle(botId: string, ack: AckFrame): Promise<StoredCommand | null> {
    const status = ack.ok ? 'acked' : 'failed';
    const command = (await BotCommand.findOneAndUpdate(
      { commandId: ack.id, botId, status: { $in: ['queued', 'sent'] } },
      { $set: { status, reason: ack.ok ? undefined : (ack.reason ?? 'error'), detail: ack.detail, settledAt: new Date() } },
      { returnDocument: 'after' },
    ).lean()) as StoredCommand | null;
    if (!command) return null;
    deps.bus.publish('bot.command.settled', {
      botId,
      commandId: ack.id,
      status,
      reason: command.reason ?? null,
      messageId: command.messageId ? String(command.messageId) : null,
    });
    void drain(botId);
    return command;
  }

  return { enqueue, drain, resume, resendUnacked, find, settle };
}

export type OutboxService = ReturnType<typeof createOutboxService>;
