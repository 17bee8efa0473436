import { afterEach, describe, expect, it } from 'vitest';
import { types } from 'wechaty';
import { emulateFriendshipRequest } from '../../bot/src/demo.ts';
import { BOT_PROTOCOL_VERSION } from '../../shared/src/bot-protocol.ts';
import { FakeGateway, TINY_THROTTLE, type FakeGatewayOptions } from './fake-gateway.ts';
import { tempDir } from './helpers.ts';
import { inbox, login, sendCommand, startMockBot } from './mock-world.ts';

const gateways: FakeGateway[] = [];
async function gateway(options: FakeGatewayOptions = {}): Promise<FakeGateway> {
  const started = await FakeGateway.start(options);
  gateways.push(started);
  return started;
}

afterEach(async () => {
  await Promise.all(gateways.splice(0).map((g) => g.stop()));
});

const acksFor = (server: FakeGateway, id: string) => server.acks().filter((ack) => ack.id === id);

describe('commands from the gateway', () => {
  it('sends a text to the contact and acks it', async () => {
    const server = await gateway();
    const { mocker, runtime } = await startMockBot({ url: server.url, dataDir: await tempDir() });
    const customer = mocker.createContact({ id: 'xiaohong', name: '小红' });
    const received = inbox(customer);
    await server.until(() => runtime.gateway.connected);

    server.send(sendCommand('cmd-1', 'xiaohong', '您好，这款 99 元'));
    await server.until(() => acksFor(server, 'cmd-1').length === 1);
    expect(acksFor(server, 'cmd-1')).toEqual([{ v: BOT_PROTOCOL_VERSION, kind: 'ack', id: 'cmd-1', ok: true }]);
    expect(received.texts).toEqual(['您好，这款 99 元']);
  });

  it('does not forward the echo of its own send, but does forward what the brand typed on the phone', async () => {
    const server = await gateway();
    const { mocker, runtime, brand } = await startMockBot({ url: server.url, dataDir: await tempDir() });
    const customer = mocker.createContact({ id: 'xiaohong', name: '小红' });
    await server.until(() => runtime.gateway.connected);

    server.send(sendCommand('cmd-1', 'xiaohong', '自动回复'));
    await server.until(() => acksFor(server, 'cmd-1').length === 1);
    brand.say('手机上打的字').to(customer);
    await server.until(() => server.events().length === 1);
    expect(server.events()[0]).toMatchObject({ type: 'message', payload: { fromSelf: true, text: '手机上打的字', contact: { id: 'xiaohong' } } });
  });

  it('sends an image by URL', async () => {
    const server = await gateway();
    const { mocker, runtime } = await startMockBot({ url: server.url, dataDir: await tempDir() });
    const customer = mocker.createContact({ id: 'xiaohong', name: '小红' });
    const received = inbox(customer);
    await server.until(() => runtime.gateway.connected);

    server.send(sendCommand('cmd-img', 'xiaohong', { type: 'image', url: 'https://example.com/poster.png' }));
    await server.until(() => acksFor(server, 'cmd-img').length === 1);
    expect(acksFor(server, 'cmd-img')[0].ok).toBe(true);
    expect(received.types).toEqual([types.Message.Image]);
  });

  it('refuses content it cannot send as invalid', async () => {
    const server = await gateway();
    const { mocker, runtime } = await startMockBot({ url: server.url, dataDir: await tempDir() });
    mocker.createContact({ id: 'xiaohong', name: '小红' });
    await server.until(() => runtime.gateway.connected);
    server.send(sendCommand('cmd-bad-url', 'xiaohong', { type: 'image', url: 'not a url' }));
    await server.until(() => acksFor(server, 'cmd-bad-url').length === 1);
    expect(acksFor(server, 'cmd-bad-url')[0]).toMatchObject({ ok: false, reason: 'invalid' });
  });

  it('delivers a command sent twice once, and acks it twice', async () => {
    const server = await gateway();
    const { mocker, runtime } = await startMockBot({ url: server.url, dataDir: await tempDir() });
    const customer = mocker.createContact({ id: 'xiaohong', name: '小红' });
    const received = inbox(customer);
    await server.until(() => runtime.gateway.connected);

    server.send(sendCommand('cmd-1', 'xiaohong', '只发一次'));
    server.send(sendCommand('cmd-1', 'xiaohong', '只发一次'));
    await server.until(() => acksFor(server, 'cmd-1').length === 2);
    server.send(sendCommand('cmd-1', 'xiaohong', '只发一次'));
    await server.until(() => acksFor(server, 'cmd-1').length === 3);

    expect(received.texts).toEqual(['只发一次']);
    expect(acksFor(server, 'cmd-1').every((ack) => ack.ok)).toBe(true);
  });

  it('delivers each command once when a restarted bot is sent them again', async () => {
    const commands = [sendCommand('cmd-a', 'xiaohong', '第一条'), sendCommand('cmd-b', 'xiaohong', '第二条')];
    const server = await gateway({ commandsOnConnect: commands });
    const dataDir = await tempDir();
    const first = await startMockBot({ url: server.url, dataDir, login: false });
    const firstCustomer = first.mocker.createContact({ id: 'xiaohong', name: '小红' });
    const firstInbox = inbox(firstCustomer);
    // Logged out when the commands arrive: refused, not remembered, so the next delivery still sends them.
    await server.until(() => acksFor(server, 'cmd-b').length === 1);
    expect(server.acks().map((ack) => ack.reason)).toEqual(['logged_out', 'logged_out']);

    await login(first.mocker, first.runtime, first.brand);
    server.send(commands[0]);
    server.send(commands[1]);
    await server.until(() => acksFor(server, 'cmd-b').length === 2);
    expect(firstInbox.texts).toEqual(['第一条', '第二条']);
    await first.runtime.stop();

    server.options.commandsOnConnect = [...commands, sendCommand('cmd-c', 'xiaohong', '第三条')];
    const second = await startMockBot({ url: server.url, dataDir, login: false });
    const secondCustomer = second.mocker.createContact({ id: 'xiaohong', name: '小红' });
    const secondInbox = inbox(secondCustomer);
    await server.until(() => acksFor(server, 'cmd-b').length === 3);
    await login(second.mocker, second.runtime, second.brand);
    server.send(sendCommand('cmd-c', 'xiaohong', '第三条'));
    await server.until(() => acksFor(server, 'cmd-c').some((ack) => ack.ok));

    expect(secondInbox.texts).toEqual(['第三条']);
    expect(acksFor(server, 'cmd-a').at(-1)).toMatchObject({ ok: true });
    expect(acksFor(server, 'cmd-b').at(-1)).toMatchObject({ ok: true });
  });

  it('refuses sends to strangers and unknown contacts as not_a_friend', async () => {
    const server = await gateway();
    const { mocker, runtime } = await startMockBot({ url: server.url, dataDir: await tempDir() });
    const stranger = mocker.createContact({ id: 'stranger', name: '路人', friend: false });
    const received = inbox(stranger);
    await server.until(() => runtime.gateway.connected);

    server.send(sendCommand('cmd-1', 'stranger', 'hi'));
    server.send(sendCommand('cmd-2', 'nobody', 'hi'));
    await server.until(() => server.acks().length === 2);
    expect(Object.fromEntries(server.acks().map((ack) => [ack.id, [ack.ok, ack.reason]]))).toEqual({
      'cmd-1': [false, 'not_a_friend'],
      'cmd-2': [false, 'not_a_friend'],
    });
    expect(received.texts).toEqual([]);
  });

  it('holds the throttle caps when replies and proactive sends arrive at once', async () => {
    const throttle = { ...TINY_THROTTLE, replyMinGapMs: 15, proactiveMinGapMs: 40, proactiveMaxGapMs: 60, dailyCap: 3, unansweredPerContactPerDay: 2 };
    const server = await gateway({ throttle });
    const { mocker, runtime } = await startMockBot({ url: server.url, dataDir: await tempDir() });
    const a = mocker.createContact({ id: 'a', name: 'A' });
    const b = mocker.createContact({ id: 'b', name: 'B' });
    const received = { a: inbox(a), b: inbox(b) };
    await server.until(() => runtime.gateway.connected);

    const burst = [
      sendCommand('p1', 'a', 'promo 1', 'proactive'),
      sendCommand('p2', 'a', 'promo 2', 'proactive'),
      sendCommand('p3', 'a', 'promo 3', 'proactive'),
      sendCommand('r1', 'a', 'reply 1'),
      sendCommand('p4', 'b', 'promo 4', 'proactive'),
      sendCommand('p5', 'b', 'promo 5', 'proactive'),
      sendCommand('r2', 'b', 'reply 2'),
    ];
    for (const command of burst) server.send(command);
    await server.until(() => server.acks().length === burst.length);

    const outcome = Object.fromEntries(server.acks().map((ack) => [ack.id, ack.ok ? 'ok' : ack.reason]));
    expect(outcome).toEqual({ p1: 'ok', p2: 'ok', p3: 'contact_cap', r1: 'ok', p4: 'ok', p5: 'daily_cap', r2: 'ok' });
    expect(received.a.texts.sort()).toEqual(['promo 1', 'promo 2', 'reply 1']);
    expect(received.b.texts.sort()).toEqual(['promo 4', 'reply 2']);
    const times = [...received.a.at, ...received.b.at].sort((x, y) => x - y);
    for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(throttle.replyMinGapMs - 2);
  });

  it('accepts a friendship request on command and announces the new friend', async () => {
    const server = await gateway();
    const { mocker, puppet, runtime } = await startMockBot({ url: server.url, dataDir: await tempDir() });
    const newcomer = mocker.createContact({ id: 'newcomer', name: '新朋友', friend: false });
    const received = inbox(newcomer);
    await server.until(() => runtime.gateway.connected);

    await emulateFriendshipRequest(puppet, { requestId: 'fr-1', contactId: 'newcomer', hello: '我是小李' });
    await server.until(() => server.events().some((e) => e.type === 'friendship_request'));
    expect(server.events()[0]).toMatchObject({ id: 'friendship:fr-1', type: 'friendship_request', payload: { requestId: 'fr-1', hello: '我是小李', contact: { id: 'newcomer', friend: false } } });

    server.send({ v: BOT_PROTOCOL_VERSION, kind: 'command', id: 'accept-1', type: 'accept_friendship', requestId: 'fr-1' });
    await server.until(() => acksFor(server, 'accept-1').length === 1 && server.events().some((e) => e.type === 'friend_added'));
    expect(acksFor(server, 'accept-1')[0].ok).toBe(true);
    expect(server.events().find((e) => e.type === 'friend_added')).toMatchObject({ payload: { contact: { id: 'newcomer', friend: true } } });

    server.send(sendCommand('welcome-1', 'newcomer', '欢迎关注！'));
    await server.until(() => acksFor(server, 'welcome-1').length === 1);
    expect(acksFor(server, 'welcome-1')[0].ok).toBe(true);
    expect(received.texts).toEqual(['欢迎关注！']);
  });

  it('accepts a request received before a restart', async () => {
    const server = await gateway();
    const dataDir = await tempDir();
    const first = await startMockBot({ url: server.url, dataDir });
    first.mocker.createContact({ id: 'newcomer', name: '新朋友', friend: false });
    await emulateFriendshipRequest(first.puppet, { requestId: 'fr-2', contactId: 'newcomer', hello: '你好' });
    await server.until(() => server.events().some((e) => e.type === 'friendship_request'));
    await first.runtime.stop();

    const second = await startMockBot({ url: server.url, dataDir });
    second.mocker.createContact({ id: 'newcomer', name: '新朋友', friend: false });
    await server.until(() => second.runtime.gateway.connected);
    server.send({ v: BOT_PROTOCOL_VERSION, kind: 'command', id: 'accept-2', type: 'accept_friendship', requestId: 'fr-2' });
    await server.until(() => acksFor(server, 'accept-2').length === 1 && server.events().some((e) => e.type === 'friend_added'));
    expect(acksFor(server, 'accept-2')[0].ok).toBe(true);
  });

  it('refuses to accept a request it does not know', async () => {
    const server = await gateway();
    const { runtime } = await startMockBot({ url: server.url, dataDir: await tempDir() });
    await server.until(() => runtime.gateway.connected);
    server.send({ v: BOT_PROTOCOL_VERSION, kind: 'command', id: 'accept-x', type: 'accept_friendship', requestId: 'nope' });
    await server.until(() => acksFor(server, 'accept-x').length === 1);
    expect(acksFor(server, 'accept-x')[0]).toMatchObject({ ok: false, reason: 'invalid' });
  });

  it('ignores frames that do not match the protocol and stays connected', async () => {
    const server = await gateway();
    const { mocker, runtime } = await startMockBot({ url: server.url, dataDir: await tempDir() });
    const customer = mocker.createContact({ id: 'xiaohong', name: '小红' });
    const received = inbox(customer);
    await server.until(() => runtime.gateway.connected);

    server.send({ ...sendCommand('bad', 'xiaohong', 'x'), extra: true } as never);
    server.send(sendCommand('good', 'xiaohong', 'still here'));
    await server.until(() => acksFor(server, 'good').length === 1);
    expect(acksFor(server, 'bad')).toEqual([]);
    expect(received.texts).toEqual(['still here']);
    expect(server.connections).toHaveLength(1);
  });
});
