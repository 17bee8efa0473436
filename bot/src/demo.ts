import type { EventEmitter } from 'node:events';
import { types } from 'wechaty';
import { PuppetMock, mock } from 'wechaty-puppet-mock';
import type { Logger } from './logger.ts';

const DEMO_QRCODE = 'https://login.weixin.qq.com/l/siyu-demo';

/** One step of the demo script: who does what, and when (seconds after login). */
interface DemoStep {
  atSeconds: number;
  customer: string;
  act: 'say' | 'add_friend';
  text: string;
}

const SCRIPT: DemoStep[] = [
  { atSeconds: 2, customer: '小红', act: 'say', text: '你好，在吗？' },
  { atSeconds: 6, customer: '小红', act: 'say', text: '这款面霜多少钱？' },
  { atSeconds: 10, customer: '张阿姨', act: 'add_friend', text: '我是张阿姨，朋友推荐的' },
  { atSeconds: 16, customer: '老王', act: 'say', text: '有优惠吗？多少钱包邮' },
  { atSeconds: 22, customer: 'Lily', act: 'say', text: 'Hi! Do you ship to Shanghai?' },
];

/** After the script, a customer asks one of these now and then, so the inbox keeps moving. */
const CHATTER = ['还有货吗？', '多少钱？', '什么时候发货？', '可以开发票吗？', '会员有折扣吗？', '谢谢！'];
const CHATTER_EVERY_SECONDS = 45;

export interface DemoWorld {
  puppet: PuppetMock;
  /** Logs in as the brand account and plays the script; returns a function that stops it. */
  play(): () => void;
}

/** wechaty-puppet-mock with a few scripted customers, so a newcomer sees chats arrive in the console. */
export function createDemoWorld(logger: Logger): DemoWorld {
  const mocker = new mock.Mocker();
  const puppet = new PuppetMock({ mocker });
  const brand = mocker.createContact({ id: 'demo-brand', name: '私域小助手' });
  const customers = new Map(
    ['小红', '老王', 'Lily'].map((name, index) => [name, mocker.createContact({ id: `demo-customer-${index + 1}`, name, friend: true })]),
  );
  customers.set('张阿姨', mocker.createContact({ id: 'demo-customer-4', name: '张阿姨', friend: false }));
  for (const [name, contact] of customers) logReplies(name, contact, logger);

  function play(): () => void {
    mocker.scan(DEMO_QRCODE, types.ScanStatus.Waiting);
    mocker.login(brand);
    const timers = SCRIPT.map((step) => setTimeout(() => void perform(step), step.atSeconds * 1_000));
    const chatter = setInterval(() => void perform(randomChatter()), CHATTER_EVERY_SECONDS * 1_000);
    return () => {
      timers.forEach(clearTimeout);
      clearInterval(chatter);
    };
  }

  function randomChatter(): DemoStep {
    const names = ['小红', '老王', 'Lily'];
    const pick = <T>(list: T[]): T => list[Math.floor(Math.random() * list.length)];
    return { atSeconds: 0, customer: pick(names), act: 'say', text: pick(CHATTER) };
  }

  async function perform(step: DemoStep): Promise<void> {
    const customer = customers.get(step.customer);
    if (!customer) return;
    logger.info({ customer: step.customer, act: step.act, text: step.text }, 'demo customer acts');
    if (step.act === 'say') return customer.say(step.text).to(brand);
    await emulateFriendshipRequest(puppet, { requestId: `demo-request-${customer.id}`, contactId: customer.id, hello: step.text });
  }

  return { puppet, play };
}

/** wechaty-puppet-mock has no friendship requests of its own; this plays one the way a real puppet reports it. */
export async function emulateFriendshipRequest(puppet: PuppetMock, request: { requestId: string; contactId: string; hello?: string }): Promise<void> {
  await puppet.friendshipPayload(request.requestId, {
    id: request.requestId,
    contactId: request.contactId,
    hello: request.hello,
    ticket: `ticket-${request.requestId}`,
    timestamp: Date.now(),
    type: types.Friendship.Receive,
  });
  puppet.emit('friendship', { friendshipId: request.requestId });
}

function logReplies(name: string, contact: mock.ContactMock, logger: Logger): void {
  // wechaty-puppet-mock types its emitters with typed-emitter, whose types do not resolve under NodeNext.
  (contact as unknown as EventEmitter).on('message', (message: mock.MessageMock) => {
    if (message.talker().id === contact.id) return;
    logger.info({ customer: name, text: message.text() }, 'demo customer received');
  });
}
