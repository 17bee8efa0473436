import { FileBox } from 'file-box';
import type { Contact, Room, Sayable, Wechaty } from 'wechaty';
import type { BotCommand, BotEvent, SendCommand, SendContent } from '../../shared/src/bot-protocol.ts';
import { mapFriendAdded } from './event-mapping.ts';
import type { CommandOutcome, ExecutedCommands } from './executed-commands.ts';
import type { FriendshipBook } from './friendship-book.ts';
import type { Logger } from './logger.ts';
import type { SendScheduler } from './send-scheduler.ts';
import type { SentEchoes } from './sent-echoes.ts';

type AcceptCommand = Extract<BotCommand, { type: 'accept_friendship' }>;
type Target = { id: string; conversation: Contact | Room };

/** A puppet that hangs would otherwise hold every later send in the queue. */
const SEND_TIMEOUT_MS = 60_000;

const OK: CommandOutcome = { ok: true };
const LOGGED_OUT: CommandOutcome = { ok: false, reason: 'logged_out', detail: 'the WeChat account is not logged in' };
const NOT_A_FRIEND: CommandOutcome = { ok: false, reason: 'not_a_friend', detail: 'the contact is not a friend of the account' };

export interface CommandExecutorDeps {
  bot: Wechaty;
  scheduler: SendScheduler;
  executed: ExecutedCommands;
  friendships: FriendshipBook;
  echoes: SentEchoes;
  ack: (id: string, outcome: CommandOutcome) => void;
  publish: (event: BotEvent) => Promise<void>;
  logger: Logger;
}

/**
 * Executes the server's commands at most once each: an id seen before is acked with its first outcome, and
 * one that arrives again while still queued waits for the same execution.
 */
export class CommandExecutor {
  private readonly running = new Map<string, Promise<CommandOutcome | undefined>>();

  constructor(private readonly deps: CommandExecutorDeps) {}

  async handle(command: BotCommand): Promise<void> {
    let execution = this.running.get(command.id);
    if (!execution) {
      const known = this.deps.executed.lookup(command.id);
      if (known) return this.deps.ack(command.id, known);
      execution = this.execute(command).finally(() => this.running.delete(command.id));
      this.running.set(command.id, execution);
    }
    const outcome = await execution;
    // Undefined: cancelled by a shutdown. Left unacked on purpose, so the server sends it again later.
    if (outcome) this.deps.ack(command.id, outcome);
  }

  private async execute(command: BotCommand): Promise<CommandOutcome | undefined> {
    try {
      return command.type === 'send' ? await this.send(command) : await this.acceptFriendship(command);
    } catch (error) {
      this.deps.logger.error({ err: error, commandId: command.id }, 'command failed');
      return { ok: false, reason: 'error', detail: errorMessage(error) };
    }
  }

  private async send(command: SendCommand): Promise<CommandOutcome | undefined> {
    if (!this.deps.bot.isLoggedIn) return LOGGED_OUT;
    const target = await this.resolveTarget(command.to);
    if ('ok' in target) return target;
    const sayable = this.toSayable(command.content);
    if (!sayable) return { ok: false, reason: 'invalid', detail: 'the content cannot be sent (bad URL?)' };
    const result = await this.deps.scheduler.schedule({
      purpose: command.purpose,
      target: target.id,
      run: () => this.deliver(command, target, sayable),
    });
    if (result.status === 'done') return result.value;
    if (result.status === 'refused') return { ok: false, reason: result.reason };
    if (result.status === 'failed') return { ok: false, reason: 'error', detail: errorMessage(result.error) };
    return undefined;
  }

  private async deliver(command: SendCommand, target: Target, sayable: Sayable): Promise<{ sent: boolean; value: CommandOutcome }> {
    if (!this.deps.bot.isLoggedIn) return { sent: false, value: LOGGED_OUT };
    await this.deps.executed.markStarted(command.id);
    let outcome = OK;
    try {
      const message = await withTimeout(target.conversation.say(sayable), SEND_TIMEOUT_MS);
      this.deps.echoes.remember(target.id, command.content, message ? message.id : undefined);
    } catch (error) {
      this.deps.logger.warn({ err: error, commandId: command.id, to: target.id }, 'send failed');
      outcome = { ok: false, reason: 'error', detail: errorMessage(error) };
    }
    await this.deps.executed.markFinished(command.id, outcome);
    return { sent: true, value: outcome };
  }

  private async acceptFriendship(command: AcceptCommand): Promise<CommandOutcome> {
    if (!this.deps.bot.isLoggedIn) return LOGGED_OUT;
    const friendship = await this.deps.friendships.get(command.requestId, this.deps.bot);
    if (!friendship) return { ok: false, reason: 'invalid', detail: 'unknown friendship request (expired, or received before a restart)' };
    await this.deps.executed.markStarted(command.id);
    let outcome = OK;
    try {
      await friendship.accept();
      const contact = friendship.contact();
      this.deps.friendships.markAccepted(command.requestId, contact.id);
      await this.deps.publish(await mapFriendAdded(contact, `friendship:${command.requestId}`));
    } catch (error) {
      this.deps.logger.warn({ err: error, commandId: command.id, requestId: command.requestId }, 'accepting a friendship failed');
      outcome = { ok: false, reason: 'error', detail: errorMessage(error) };
    }
    await this.deps.executed.markFinished(command.id, outcome);
    return outcome;
  }

  private async resolveTarget(to: SendCommand['to']): Promise<Target | CommandOutcome> {
    if ('roomId' in to) {
      const room = await this.deps.bot.Room.find({ id: to.roomId });
      return room ? { id: room.id, conversation: room } : { ok: false, reason: 'invalid', detail: 'no such room' };
    }
    const contact = await this.deps.bot.Contact.find({ id: to.contactId });
    if (!contact) return NOT_A_FRIEND;
    if (contact.friend() === false && !this.deps.friendships.recentlyAccepted(contact.id)) return NOT_A_FRIEND;
    return { id: contact.id, conversation: contact };
  }

  private toSayable(content: SendContent): Sayable | undefined {
    const { bot } = this.deps;
    if ('url' in content && !URL.canParse(content.url)) return undefined;
    switch (content.type) {
      case 'text':
        return content.text;
      case 'image':
        return FileBox.fromUrl(content.url);
      case 'link':
        return new bot.UrlLink({ url: content.url, title: content.title, description: content.description, thumbnailUrl: content.thumbnailUrl });
      case 'miniprogram':
        return new bot.MiniProgram({ appid: content.appid, title: content.title, pagePath: content.pagePath, thumbUrl: content.thumbUrl });
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from WeChat within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function errorMessage(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 500);
}
