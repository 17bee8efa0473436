import { FileBox } from 'file-box';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { types, WechatyBuilder, type Contact, type Friendship, type Message, type Room, type Wechaty } from 'wechaty';
import { PuppetMock, mock } from 'wechaty-puppet-mock';
import { emulateFriendshipRequest } from '../../bot/src/demo.ts';
import { mapContactPayload, mapContactUpdated, mapFriendAdded, mapFriendshipRequest, mapMessage, mapRoomMembership } from '../../bot/src/event-mapping.ts';
import { describeErrors, isBotEvent } from '../../bot/src/protocol-validators.ts';

let bot: Wechaty;
let mocker: mock.Mocker;
let puppet: PuppetMock;
let brand: mock.ContactMock;
let xiaohong: mock.ContactMock;

beforeAll(async () => {
  mocker = new mock.Mocker();
  puppet = new PuppetMock({ mocker });
  bot = WechatyBuilder.build({ puppet });
  // wechaty-puppet-mock reports room members it cannot look up as errors; an unheard 'error' would throw.
  bot.on('error', () => {});
  await bot.start();
  brand = mocker.createContact({ id: 'brand', name: 'Brand' });
  xiaohong = mocker.createContact({
    id: 'xiaohong',
    name: '小红',
    alias: 'VIP 小红',
    avatar: 'https://img.example.com/a.png',
    gender: types.ContactGender.Female,
    province: '浙江',
    city: '杭州',
    friend: true,
    type: types.Contact.Individual,
  });
  const loggedIn = new Promise((resolve) => bot.once('login', resolve));
  mocker.login(brand);
  await loggedIn;
});

afterAll(async () => {
  await bot.stop();
});

function next<T extends unknown[]>(event: 'message' | 'friendship' | 'room-join', act: () => void): Promise<T> {
  return new Promise((resolve) => {
    bot.once(event, (...args: unknown[]) => resolve(args as T));
    act();
  });
}

async function receiveMessage(act: () => void): Promise<Message> {
  const [message] = await next<[Message]>('message', act);
  return message;
}

let rawCount = 0;

/** A message of a type wechaty-puppet-mock cannot say by itself, emitted the way the puppet does. */
function emitRaw(type: types.Message, content: string | FileBox = ''): void {
  const id = `raw-${++rawCount}`;
  if (typeof content !== 'string') mocker.cacheFileBoxPayload.set(id, content.toJSON());
  const text = typeof content === 'string' ? content : undefined;
  mocker.MessageMock.create({ id, talkerId: 'xiaohong', listenerId: 'brand', timestamp: Date.now(), type, text });
  puppet.emit('message', { messageId: id });
}

function expectValid(event: unknown): void {
  expect(isBotEvent(event), describeErrors(isBotEvent.errors)).toBe(true);
}

describe('mapMessage', () => {
  it('maps a text message with the full contact profile and a stable id', async () => {
    const msg = await receiveMessage(() => xiaohong.say('多少钱').to(brand));
    const event = await mapMessage(msg);
    expectValid(event);
    expect(event).toEqual({
      v: 1,
      kind: 'event',
      id: `msg:${msg.id}`,
      type: 'message',
      at: msg.date().toISOString(),
      payload: {
        messageId: msg.id,
        contact: { id: 'xiaohong', name: '小红', alias: 'VIP 小红', avatarUrl: 'https://img.example.com/a.png', gender: 'female', province: '浙江', city: '杭州', friend: true, kind: 'individual' },
        mentionSelf: false,
        fromSelf: false,
        messageType: 'text',
        text: '多少钱',
      },
    });
    expect((await mapMessage(msg)).id).toBe(event.id);
  });

  it('maps a message the brand sent as fromSelf, with the customer as the contact', async () => {
    const msg = await receiveMessage(() => brand.say('欢迎光临').to(xiaohong));
    const event = await mapMessage(msg);
    expectValid(event);
    expect(event.payload).toMatchObject({ fromSelf: true, contact: { id: 'xiaohong' }, text: '欢迎光临' });
  });

  it.each<[string, () => void, string, Record<string, unknown>]>([
    ['image', () => xiaohong.say(FileBox.fromUrl('https://img.example.com/p.jpg', { name: 'p.jpg' })).to(brand), 'image', { mediaRef: expect.stringMatching(/^wechaty:/) }],
    ['voice', () => emitRaw(types.Message.Audio, FileBox.fromBase64('AAAA', 'v.silk')), 'voice', { mediaRef: expect.stringMatching(/^wechaty:/) }],
    ['file', () => emitRaw(types.Message.Attachment, FileBox.fromBase64('AAAA', '报价单.pdf')), 'file', { summary: '报价单.pdf' }],
    ['video', () => emitRaw(types.Message.Video, FileBox.fromBase64('AAAA', 'clip.mp4')), 'video', { summary: 'clip.mp4' }],
    ['link', () => emitRaw(types.Message.Url), 'link', { summary: expect.stringContaining('mock title'), mediaRef: 'https://mock.url' }],
    ['mini-program card', () => emitRaw(types.Message.MiniProgram), 'miniprogram', { summary: expect.stringContaining('mock title') }],
    ['emoticon', () => emitRaw(types.Message.Emoticon), 'emoticon', { mediaRef: expect.stringMatching(/^wechaty:/) }],
    ['anything else', () => emitRaw(types.Message.Location, '西湖'), 'other', { text: '西湖' }],
  ])('maps a %s message', async (_name, act, messageType, expected) => {
    const event = await mapMessage(await receiveMessage(act));
    expectValid(event);
    expect(event.payload).toMatchObject({ messageType, ...expected });
  });

  it('maps a room message with the room and the @-mention of the bot', async () => {
    const room = mocker.createRoom({ id: 'room-1@chatroom', topic: '粉丝群', memberIdList: ['brand', 'xiaohong'] });
    const msg = await receiveMessage(() => xiaohong.say('@Brand 在吗', [brand]).to(room));
    const event = await mapMessage(msg);
    expectValid(event);
    expect(event.payload).toMatchObject({ room: { id: 'room-1@chatroom', topic: '粉丝群' }, mentionSelf: true, contact: { id: 'xiaohong' } });
  });

  it('turns WeChat’s “not friends any more” notice into friend_removed', async () => {
    const msg = await receiveMessage(() => xiaohong.say('小红开启了朋友验证，你还不是他（她）朋友。请先发送朋友验证请求').to(brand));
    const event = await mapMessage(msg);
    expectValid(event);
    expect(event).toMatchObject({ id: `friend_removed:msg:${msg.id}`, type: 'friend_removed', payload: { contact: { id: 'xiaohong', friend: false } } });
  });
});

describe('friendships, rooms and profiles', () => {
  it('maps a friendship request and the friend it became', async () => {
    const stranger = mocker.createContact({ id: 'stranger', name: '张阿姨', friend: false });
    const [friendship] = await next<[Friendship]>('friendship', () => void emulateFriendshipRequest(puppet, { requestId: 'req-1', contactId: stranger.id, hello: '朋友推荐' }));
    const request = await mapFriendshipRequest(friendship);
    expectValid(request);
    expect(request).toMatchObject({ id: 'friendship:req-1', type: 'friendship_request', payload: { requestId: 'req-1', hello: '朋友推荐', contact: { id: 'stranger', friend: false } } });

    const added = await mapFriendAdded(friendship.contact(), 'friendship:req-1');
    expectValid(added);
    expect(added).toMatchObject({ id: 'friend_added:stranger:friendship:req-1', payload: { contact: { id: 'stranger', friend: true } } });
  });

  it('maps a room join with the members and a stable id', async () => {
    const room = mocker.createRoom({ id: 'room-2@chatroom', topic: 'VIP 群', memberIdList: ['brand'] });
    const [joined, invitees, inviter, date] = await next<[Room, Contact[], Contact, Date]>('room-join', () => room.add(xiaohong).by(brand));
    const event = await mapRoomMembership('room_join', joined, invitees, date, inviter);
    expectValid(event);
    expect(event).toMatchObject({ type: 'room_join', payload: { room: { id: 'room-2@chatroom', topic: 'VIP 群' }, members: [{ id: 'xiaohong' }], inviterId: 'brand' } });
    expect((await mapRoomMembership('room_join', joined, invitees, date, inviter)).id).toBe(event.id);
  });

  it('keys a profile update by its content', () => {
    const before = mocker.contactPayload('xiaohong');
    const same = mapContactUpdated(before);
    expectValid(same);
    expect(mapContactUpdated({ ...before }).id).toBe(same.id);
    expect(mapContactUpdated({ ...before, city: '宁波' }).id).not.toBe(same.id);
  });

  it('maps contact kinds and genders, and clips overlong fields to the protocol', () => {
    const base = mocker.contactPayload('xiaohong');
    expect(mapContactPayload({ ...base, type: types.Contact.Official, gender: types.ContactGender.Unknown })).toMatchObject({ kind: 'official', gender: 'unknown' });
    const long = mapContactPayload({ ...base, name: '名'.repeat(300), avatar: 'file:///tmp/a.png' });
    expect(long.name).toHaveLength(200);
    expect(long.avatarUrl).toBeUndefined();
  });
});
