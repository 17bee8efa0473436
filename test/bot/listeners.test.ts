import { afterEach, describe, expect, it } from 'vitest';
import { types } from 'wechaty';
import { FakeGateway } from './fake-gateway.ts';
import { tempDir } from './helpers.ts';
import { startMockBot } from './mock-world.ts';

const gateways: FakeGateway[] = [];
async function connectedBot() {
  const server = await FakeGateway.start();
  gateways.push(server);
  const world = await startMockBot({ url: server.url, dataDir: await tempDir() });
  await server.until(() => world.runtime.gateway.connected);
  return { server, ...world };
}

afterEach(async () => {
  await Promise.all(gateways.splice(0).map((g) => g.stop()));
});

describe('WeChat events forwarded to the gateway', () => {
  it('reports a profile change once per new profile', async () => {
    const { server, mocker, puppet, brand } = await connectedBot();
    const customer = mocker.createContact({ id: 'xiaohong', name: '小红', city: '杭州' });
    mocker.contactPayload(customer.id, { ...mocker.contactPayload(customer.id), name: '小红红', city: '上海' });
    puppet.dirtyPayload(types.Dirty.Contact, customer.id);
    await server.until(() => server.events().some((e) => e.type === 'contact_updated'));
    puppet.dirtyPayload(types.Dirty.Contact, customer.id);
    customer.say('改名了').to(brand);
    await server.until(() => server.events().some((e) => e.type === 'message'));

    const updates = server.events().filter((e) => e.type === 'contact_updated');
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject({ payload: { contact: { id: 'xiaohong', name: '小红红', city: '上海' } } });
  });

  it('reports members joining and leaving a room', async () => {
    const { server, mocker, brand } = await connectedBot();
    const customer = mocker.createContact({ id: 'laowang', name: '老王' });
    const room = mocker.createRoom({ id: 'vip@chatroom', topic: 'VIP 群', memberIdList: [brand.id] });
    room.add(customer).by(brand);
    await server.until(() => server.events().some((e) => e.type === 'room_join'));
    room.remove(customer).by(brand);
    await server.until(() => server.events().some((e) => e.type === 'room_leave'));

    expect(server.events().map((e) => e.type)).toEqual(['room_join', 'room_leave']);
    expect(server.events()[0]).toMatchObject({ payload: { room: { id: 'vip@chatroom', topic: 'VIP 群' }, members: [{ id: 'laowang', name: '老王' }], inviterId: brand.id } });
    expect(server.invalid).toEqual([]);
  });

  it('reports a friend added on the phone (a confirmed friendship)', async () => {
    const { server, mocker, puppet } = await connectedBot();
    mocker.createContact({ id: 'phone-friend', name: '电话好友', friend: true });
    await puppet.friendshipPayload('confirm-1', { id: 'confirm-1', contactId: 'phone-friend', timestamp: Date.now(), type: types.Friendship.Confirm });
    puppet.emit('friendship', { friendshipId: 'confirm-1' });
    await server.until(() => server.events().length === 1);
    expect(server.events()[0]).toMatchObject({ id: 'friend_added:phone-friend:friendship:confirm-1', type: 'friend_added', payload: { contact: { id: 'phone-friend', friend: true } } });
  });

  it('reports a customer who deleted the brand account as friend_removed', async () => {
    const { server, mocker, brand } = await connectedBot();
    const customer = mocker.createContact({ id: 'gone', name: '流失客户' });
    customer.say('流失客户开启了朋友验证，你还不是他（她）朋友。请先发送朋友验证请求，对方验证通过后，才能聊天。').to(brand);
    await server.until(() => server.events().length === 1);
    expect(server.events()[0]).toMatchObject({ type: 'friend_removed', payload: { contact: { id: 'gone', friend: false } } });
  });
});
