import { afterEach, describe, expect, it, vi } from 'vitest';
import { DiskQueue } from '../../bot/src/disk-queue.ts';
import { FakeGateway, type FakeGatewayOptions } from './fake-gateway.ts';
import { tempDir } from './helpers.ts';
import { startMockBot } from './mock-world.ts';

const gateways: FakeGateway[] = [];
async function gateway(options: FakeGatewayOptions = {}): Promise<FakeGateway> {
  const started = await FakeGateway.start(options);
  gateways.push(started);
  return started;
}

afterEach(async () => {
  await Promise.all(gateways.splice(0).map((g) => g.stop()));
});

describe('bot ↔ gateway', () => {
  it('authenticates with the bot token and reports the login', async () => {
    const server = await gateway();
    const { runtime } = await startMockBot({ url: server.url, dataDir: await tempDir() });
    await server.until(() => server.statuses().some((s) => s.status === 'logged_in'));

    expect(server.statuses().at(-1)).toMatchObject({ status: 'logged_in', account: { id: 'brand-account', name: 'Brand' } });
    expect(server.refusedTokens).toEqual([]);
    expect(runtime.gateway.connected).toBe(true);
  });

  it('reports the QR code while waiting for a scan', async () => {
    const server = await gateway();
    const { mocker } = await startMockBot({ url: server.url, dataDir: await tempDir(), login: false });
    await server.until(() => server.statuses().length > 0);
    mocker.scan('https://login.weixin.qq.com/l/abc', 2);
    await server.until(() => server.statuses().some((s) => s.status === 'scanning'));
    expect(server.statuses().find((s) => s.status === 'scanning')?.qrcode).toBe('https://login.weixin.qq.com/l/abc');
  });

  it('forwards a customer message as a valid event', async () => {
    const server = await gateway();
    const { mocker, brand } = await startMockBot({ url: server.url, dataDir: await tempDir() });
    const customer = mocker.createContact({ id: 'xiaohong', name: '小红', friend: true });
    customer.say('多少钱').to(brand);

    await server.until(() => server.events().length === 1);
    const [event] = server.events();
    expect(event).toMatchObject({ type: 'message', payload: { contact: { id: 'xiaohong', name: '小红', friend: true }, messageType: 'text', text: '多少钱', fromSelf: false, mentionSelf: false } });
    expect(event.id).toBe(`msg:${event.type === 'message' ? event.payload.messageId : ''}`);
    expect(server.invalid).toEqual([]);
  });

  it('queues events on disk while the server is down and replays them in order, exactly once', async () => {
    const server = await gateway();
    const dataDir = await tempDir();
    const { mocker, brand, runtime } = await startMockBot({ url: server.url, dataDir });
    await server.until(() => runtime.gateway.connected);
    const customer = mocker.createContact({ id: 'laowang', name: '老王' });
    await server.stop();

    for (const n of [1, 2, 3, 4, 5]) customer.say(`消息 ${n}`).to(brand);
    await vi.waitFor(() => expect(runtime.gateway.queued).toBe(5));
    const onDisk = await DiskQueue.open(dataDir);
    expect([...onDisk.pending()].map((e) => (e.type === 'message' ? e.payload.text : ''))).toEqual(['消息 1', '消息 2', '消息 3', '消息 4', '消息 5']);
    await onDisk.close();

    await server.listen();
    await server.until(() => server.events().length === 5);
    await vi.waitFor(() => expect(runtime.gateway.queued).toBe(0));
    const texts = server.events().map((e) => (e.type === 'message' ? e.payload.text : ''));
    expect(texts).toEqual(['消息 1', '消息 2', '消息 3', '消息 4', '消息 5']);
    expect(server.connections.length).toBeGreaterThanOrEqual(2);
  });

  it('replays the events a killed bot never got acked, from the same data directory', async () => {
    const server = await gateway({ ackEvents: false });
    const dataDir = await tempDir();
    const first = await startMockBot({ url: server.url, dataDir });
    const customer = first.mocker.createContact({ id: 'lily', name: 'Lily' });
    for (const n of [1, 2, 3]) customer.say(`hi ${n}`).to(first.brand);
    await server.until(() => server.events().length === 3);
    const sentIds = server.events().map((e) => e.id);
    await first.runtime.stop();

    server.options.ackEvents = true;
    const second = await startMockBot({ url: server.url, dataDir });
    await server.until(() => server.events().length === 6);
    expect(server.events().slice(3).map((e) => e.id)).toEqual(sentIds);
    await vi.waitFor(() => expect(second.runtime.gateway.queued).toBe(0));
  });

  it('keeps retrying when the token is refused, sending nothing', async () => {
    const server = await gateway();
    await startMockBot({ url: server.url, dataDir: await tempDir(), token: 'wrong-token', login: false });
    await vi.waitFor(() => expect(server.refusedTokens.length).toBeGreaterThanOrEqual(2));
    expect(server.refusedTokens[0]).toBe('Bearer wrong-token');
    expect(server.frames).toEqual([]);
  });
});
