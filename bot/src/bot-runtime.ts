import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { WechatyBuilder, type Wechaty } from 'wechaty';
import type { impls } from 'wechaty-puppet';
import type { BotConfig } from './config.ts';
import { CommandExecutor } from './command-executor.ts';
import { DiskQueue } from './disk-queue.ts';
import { ExecutedCommands } from './executed-commands.ts';
import { FriendshipBook } from './friendship-book.ts';
import { GatewayClient, type GatewayClientOptions } from './gateway-client.ts';
import type { Logger } from './logger.ts';
import { SendScheduler } from './send-scheduler.ts';
import { SentEchoes } from './sent-echoes.ts';
import type { ThrottleConfig } from './send-throttle.ts';
import { openThrottleStore } from './throttle-store.ts';
import { attachListeners } from './wechaty-listeners.ts';

export interface BotRuntimeOptions {
  config: Pick<BotConfig, 'serverUrl' | 'token' | 'name' | 'dataDir' | 'puppet' | 'puppetToken'>;
  logger: Logger;
  /** A puppet instance overrides `config.puppet` (the demo and tests pass a wechaty-puppet-mock). */
  puppet?: impls.PuppetInterface;
  onQrCode?: (qrcode: string) => void;
  gateway?: Pick<GatewayClientOptions, 'reconnect' | 'heartbeatMs' | 'maxInFlight' | 'retryAfterErrorMs'>;
  throttle?: Partial<ThrottleConfig>;
}

export interface BotRuntime {
  bot: Wechaty;
  gateway: GatewayClient;
  scheduler: SendScheduler;
  stop(): Promise<void>;
}

/** Opens the bot's on-disk state, connects to the gateway and starts Wechaty. */
export async function startBot(options: BotRuntimeOptions): Promise<BotRuntime> {
  const { config, logger } = options;
  await mkdir(config.dataDir, { recursive: true });
  const queue = await DiskQueue.open(config.dataDir);
  const executed = await ExecutedCommands.open(config.dataDir);
  const throttleStore = await openThrottleStore(config.dataDir);
  const scheduler = new SendScheduler({ store: throttleStore, config: options.throttle });
  const bot = buildWechaty(options);
  const friendships = await FriendshipBook.open(config.dataDir);
  const echoes = new SentEchoes();

  const gateway: GatewayClient = new GatewayClient({
    url: config.serverUrl,
    token: config.token,
    queue,
    logger,
    ...options.gateway,
    onWelcome: (welcome) => scheduler.updateSettings(welcome.throttle),
    onCommand: (command) => void executor.handle(command),
  });
  const publish = (event: Parameters<GatewayClient['publish']>[0]) => gateway.publish(event);
  const executor = new CommandExecutor({ bot, scheduler, executed, friendships, echoes, publish, logger, ack: (id, outcome) => gateway.ack(id, outcome) });
  attachListeners({ bot, publish, setStatus: (status) => gateway.setStatus(status), scheduler, friendships, echoes, logger, onQrCode: options.onQrCode });

  logger.info({ queued: queue.size, puppet: options.puppet ? 'instance' : config.puppet, dataDir: config.dataDir }, 'bot starting');
  gateway.start();
  try {
    await bot.start();
  } catch (error) {
    gateway.setStatus({ status: 'error', error: error instanceof Error ? error.message.slice(0, 1000) : 'puppet failed to start' });
    throw error;
  }

  let stopping: Promise<void> | undefined;
  function stop(): Promise<void> {
    stopping ??= shutdown();
    return stopping;
  }

  async function shutdown(): Promise<void> {
    await scheduler.close();
    await bot.stop().catch((error: unknown) => logger.warn({ err: error }, 'wechaty did not stop cleanly'));
    await gateway.close();
    await Promise.all([queue.close(), executed.close(), throttleStore.close(), friendships.close()]);
  }

  return { bot, gateway, scheduler, stop };
}

function buildWechaty({ config, puppet }: BotRuntimeOptions): Wechaty {
  // The session (memory card) lives in the data directory, so a restarted bot logs in again without a scan.
  const name = join(config.dataDir, config.name);
  if (puppet) return WechatyBuilder.build({ name, puppet });
  return WechatyBuilder.build({ name, puppet: config.puppet, puppetOptions: config.puppetToken ? { token: config.puppetToken } : {} });
}
