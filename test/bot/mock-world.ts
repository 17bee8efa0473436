import type { EventEmitter } from 'node:events';
import { PuppetMock, mock } from 'wechaty-puppet-mock';
import { afterEach } from 'vitest';
import { BOT_PROTOCOL_VERSION, type SendCommand, type SendContent } from '../../shared/src/bot-protocol.ts';
import { startBot, type BotRuntime } from '../../bot/src/bot-runtime.ts';
import { createLogger } from '../../bot/src/logger.ts';
import { TEST_TOKEN } from './fake-gateway.ts';

const runtimes = new Set<BotRuntime>();

afterEach(async () => {
  await Promise.all([...runtimes].map((runtime) => runtime.stop()));
  runtimes.clear();
});

export interface MockWorld {
  mocker: mock.Mocker;
  puppet: PuppetMock;
  runtime: BotRuntime;
  brand: mock.ContactMock;
}

/**
 * A real bot runtime on wechaty-puppet-mock, logged in as the brand account. Stopped after the test unless
 * `keep` (a runtime shared by a whole file, started in `beforeAll`, is stopped by that file).
 */
export async function startMockBot(options: { url: string; dataDir: string; login?: boolean; token?: string; keep?: boolean }): Promise<MockWorld> {
  const mocker = new mock.Mocker();
  const puppet = new PuppetMock({ mocker });
  const runtime = await startBot({
    config: { serverUrl: options.url, token: options.token ?? TEST_TOKEN, name: 'test-bot', dataDir: options.dataDir, puppet: 'wechaty-puppet-mock', puppetToken: undefined },
    logger: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
    puppet,
    gateway: { reconnect: { initialMs: 20, maxMs: 200 }, retryAfterErrorMs: 50 },
  });
  if (!options.keep) runtimes.add(runtime);
  const brand = mocker.createContact({ id: 'brand-account', name: 'Brand' });
  if (options.login !== false) await login(mocker, runtime, brand);
  return { mocker, puppet, runtime, brand };
}

export async function login(mocker: mock.Mocker, runtime: BotRuntime, brand: mock.ContactMock): Promise<void> {
  const loggedIn = new Promise((resolve) => runtime.bot.once('login', resolve));
  mocker.scan('https://login.weixin.qq.com/l/test', 2);
  mocker.login(brand);
  await loggedIn;
}

export interface Inbox {
  texts: string[];
  types: number[];
  at: number[];
  /** Resolves with the text of the next message to arrive. */
  next(timeoutMs?: number): Promise<string>;
}

/** Collects what a mock customer receives from the brand account. */
export function inbox(contact: mock.ContactMock): Inbox {
  const waiting: Array<(text: string) => void> = [];
  const received: Inbox = {
    texts: [],
    types: [],
    at: [],
    next: (timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${contact.payload.name} received nothing in ${timeoutMs} ms`)), timeoutMs);
        waiting.push((text) => (clearTimeout(timer), resolve(text)));
      }),
  };
  // wechaty-puppet-mock types its emitters with typed-emitter, whose types do not resolve under NodeNext.
  (contact as unknown as EventEmitter).on('message', (message: mock.MessageMock) => {
    if (message.talker().id === contact.id) return;
    received.texts.push(message.text() ?? '');
    received.types.push(message.type());
    received.at.push(performance.now());
    waiting.shift()?.(message.text() ?? '');
  });
  return received;
}

export function sendCommand(id: string, contactId: string, content: SendContent | string, purpose: SendCommand['purpose'] = 'reply'): SendCommand {
  return {
    v: BOT_PROTOCOL_VERSION,
    kind: 'command',
    id,
    type: 'send',
    to: { contactId },
    content: typeof content === 'string' ? { type: 'text', text: content } : content,
    purpose,
  };
}
