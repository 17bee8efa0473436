import type { Faker } from '@faker-js/faker';
import { Types } from 'mongoose';
import { layerRank, type IdentityType, type Layer, type LifecycleStage } from '../../../shared/src/customer.ts';
import type { InteractionType } from '../modules/customers/interaction.model.ts';
import type { LifecycleThresholds } from '../modules/customers/lifecycle.util.ts';

/** Marks every seeded record (source.channel and identity accountId) so a re-run can find and replace it. */
export const DEMO_MARK = 'demo';

export const DEMO_TAG_GROUPS = {
  兴趣: ['美妆', '母婴', '运动', '旅行', '美食', '数码', '宠物', '家居'],
  价值: ['高价值', '价格敏感', '复购', '新品尝鲜'],
  来源: ['朋友圈', '门店', '公众号', '小程序', '直播间', '社群'],
} as const;

export interface DemoAuthor {
  id: string;
  name: string;
}

export interface DemoRecords {
  customer: Record<string, unknown> & { _id: Types.ObjectId; layer: Layer; tags: string[] };
  interactions: Array<{ customerId: Types.ObjectId; type: InteractionType; at: Date; channel?: string; summary: string; data?: Record<string, unknown>; actorId?: Types.ObjectId }>;
  notes: Array<{ _id: Types.ObjectId; customerId: Types.ObjectId; authorId: Types.ObjectId; authorName: string; body: string; createdAt: Date; updatedAt: Date }>;
  reminders: Array<{ customerId: Types.ObjectId; title: string; dueAt: Date; assigneeId: Types.ObjectId; createdById: Types.ObjectId; done: boolean; doneAt?: Date; createdAt: Date; updatedAt: Date }>;
}

const DAY = 86_400_000;
const HOUR = 3_600_000;

const LAYER_WEIGHTS: Record<Layer, number> = { visitor: 20, guest: 18, fan: 20, friend: 18, customer: 15, member: 9 };
const STAGE_WEIGHTS: Record<LifecycleStage, number> = { new: 10, active: 35, 'at-risk': 25, churned: 30 };

/** How each layer usually meets the brand; the first identity is the first touch. */
const LAYER_IDENTITIES: Record<Layer, IdentityType[]> = {
  visitor: ['mp'],
  guest: ['mp'],
  fan: ['oa', 'mp'],
  friend: ['bot', 'oa'],
  customer: ['bot', 'mp', 'oa'],
  member: ['bot', 'mp', 'oa'],
};
const FIRST_TOUCH: Record<string, { type: InteractionType; summary: string; layer: Layer }> = {
  mp: { type: 'profile_updated', summary: '首次打开小程序', layer: 'visitor' },
  oa: { type: 'follow', summary: '关注公众号', layer: 'fan' },
  bot: { type: 'friend_added', summary: '通过好友验证', layer: 'friend' },
};

const REGIONS: Array<{ weight: number; value: [string, string[]] }> = [
  { weight: 14, value: ['广东', ['广州', '深圳', '佛山', '东莞', '珠海']] },
  { weight: 10, value: ['上海', ['浦东新区', '徐汇区', '静安区', '闵行区']] },
  { weight: 9, value: ['北京', ['朝阳区', '海淀区', '东城区', '丰台区']] },
  { weight: 10, value: ['浙江', ['杭州', '宁波', '温州', '绍兴']] },
  { weight: 10, value: ['江苏', ['南京', '苏州', '无锡', '常州']] },
  { weight: 6, value: ['四川', ['成都', '绵阳']] },
  { weight: 4, value: ['湖北', ['武汉', '宜昌']] },
  { weight: 4, value: ['湖南', ['长沙', '株洲']] },
  { weight: 4, value: ['福建', ['福州', '厦门', '泉州']] },
  { weight: 4, value: ['山东', ['济南', '青岛', '烟台']] },
  { weight: 3, value: ['河南', ['郑州', '洛阳']] },
  { weight: 3, value: ['陕西', ['西安', '咸阳']] },
  { weight: 3, value: ['重庆', ['渝中区', '江北区']] },
  { weight: 2, value: ['天津', ['和平区', '南开区']] },
  { weight: 2, value: ['辽宁', ['沈阳', '大连']] },
  { weight: 2, value: ['安徽', ['合肥', '芜湖']] },
  { weight: 2, value: ['云南', ['昆明', '大理']] },
  { weight: 2, value: ['广西', ['南宁', '桂林']] },
  { weight: 1, value: ['海南', ['海口', '三亚']] },
  { weight: 1, value: ['黑龙江', ['哈尔滨']] },
  { weight: 1, value: ['贵州', ['贵阳']] },
  { weight: 1, value: ['新疆', ['乌鲁木齐']] },
];

const PHONE_PREFIXES = ['130', '131', '132', '135', '136', '137', '138', '139', '150', '151', '152', '155', '156', '158', '159', '166', '173', '176', '177', '180', '181', '182', '183', '185', '186', '187', '188', '189', '191', '198', '199'];
const NICK_ADJECTIVES = ['爱吃鱼的', '追风的', '不吃香菜的', '慢慢来的', '快乐的', '温柔的', '努力的', '晒太阳的'];
const NICK_NOUNS = ['猫', '小熊', '兔子', '少年', '橙子', '蘑菇', '鲸鱼', '柠檬'];
const NICK_LATIN = ['Amy', 'Coco', 'Lily', 'Kevin', 'Jason', 'Vivian', 'Cici', 'Momo', 'Tina', 'Leo'];
const NICK_EMOJI = ['🌸', '☀️', '🍀', '🌙', '🐳', '🍓'];
const QR_SCENES: Record<string, string> = {
  朋友圈: 'moments-ad', 门店: 'store-counter', 公众号: 'oa-menu', 小程序: 'mp-share', 直播间: 'live-room', 社群: 'group-invite',
};
const CONVERSATIONS: Array<[string, string]> = [
  ['请问这款面霜敏感肌可以用吗？', '您好～这款是温和配方，敏感肌也可以用，建议先在耳后试用哦'],
  ['宝宝一岁半，奶粉怎么换段比较好？', '建议新旧奶粉按比例混合过渡一周左右，我发您一份换段指南～'],
  ['我的订单什么时候发货呀', '亲，已经在打包啦，今天下午发顺丰，单号稍后发您'],
  ['会员积分可以抵现吗？', '可以的，100 积分抵 1 元，下单时勾选积分抵扣就行'],
  ['跑鞋有 39 码吗', '有的，白色和灰色都有 39 码，需要帮您预留吗？'],
  ['门店周末几点开门？', '周末 10:00-22:00 营业，欢迎来店体验～'],
  ['优惠券怎么用不了', '这张券需要满 199 使用，您的订单还差 20 元，可以看看这几款小样'],
  ['谢谢，上次买的很好用！', '太开心啦～有任何问题随时找我，新品上市第一时间通知您'],
  ['能开发票吗？', '可以的，麻烦发一下抬头和税号，我这边帮您开电子发票'],
  ['直播间的链接在哪', '今晚 8 点开播，链接已经发到群里啦，也可以点公众号菜单进入'],
];
const NOTE_TEMPLATES = [
  '客户咨询{interest}相关产品，已发送使用教程',
  '偏好{interest}，下次新品上市优先通知',
  '电话回访：对上次购买满意，有复购意向',
  '对价格比较敏感，大促前提醒领券',
  '门店导购介绍来的老客户，服务要细致',
  '生日月，已发放会员生日券',
  '反馈快递包装破损，已补发并致歉',
  '希望加入{interest}社群，已邀请进群',
];
const REMINDER_TITLES = ['回访：确认使用体验', '提醒领取会员生日券', '新品到店后通知试用', '跟进未付款订单', '邀请参加周末门店活动', '发送{interest}专题内容'];
const BROADCASTS = ['618 会员专享折扣', '双 11 预售开启', '新品试用招募', '周年庆积分翻倍', '门店周末沙龙邀请'];

function between(faker: Faker, from: number, to: number): Date {
  return new Date(faker.number.int({ min: Math.floor(from), max: Math.floor(Math.max(from, to)) }));
}

function weighted<T>(faker: Faker, weights: Record<string, number>): T {
  return faker.helpers.weightedArrayElement(Object.entries(weights).map(([value, weight]) => ({ value: value as T, weight })));
}

/** Dates that put the customer in the given lifecycle stage under the brand's thresholds. */
function lifecycleDates(faker: Faker, stage: LifecycleStage, now: number, t: LifecycleThresholds): { createdAt: Date; lastActiveAt: Date } {
  const oldest = now - Math.max(365, t.churnDays + 60) * DAY;
  const notNew = now - t.newDays * DAY - HOUR;
  if (stage === 'new') {
    const createdAt = between(faker, now - t.newDays * DAY + HOUR, now - HOUR);
    return { createdAt, lastActiveAt: between(faker, createdAt.getTime(), now) };
  }
  const [activeFrom, activeTo] =
    stage === 'active' ? [now - t.activeDays * DAY + HOUR, now] : stage === 'at-risk' ? [now - t.churnDays * DAY + HOUR, now - t.activeDays * DAY - HOUR] : [oldest + DAY, now - t.churnDays * DAY - HOUR];
  const lastActiveAt = between(faker, activeFrom, activeTo);
  return { createdAt: between(faker, oldest, Math.min(notNew, lastActiveAt.getTime())), lastActiveAt };
}

function nickname(faker: Faker, givenName: string): string {
  const style = faker.number.int(4);
  if (style === 0) return `小${givenName.slice(-1)}`;
  if (style === 1) return faker.helpers.arrayElement(NICK_ADJECTIVES) + faker.helpers.arrayElement(NICK_NOUNS);
  if (style === 2) return faker.helpers.arrayElement(NICK_LATIN) + (faker.datatype.boolean() ? `_${faker.number.int({ min: 90, max: 99 })}` : '');
  if (style === 3) return faker.helpers.arrayElement(NICK_EMOJI) + givenName;
  return givenName;
}

function externalId(faker: Faker, type: IdentityType): string {
  return type === 'bot' ? `wxid_${faker.string.alphanumeric({ length: 14, casing: 'lower' })}` : `o${faker.string.alphanumeric(27)}`;
}

function fill(template: string, interest: string): string {
  return template.replace('{interest}', interest);
}

/** One realistic demo customer with the interactions, notes and reminders that make their 360° page look lived in. */
export function buildDemoCustomer(input: { faker: Faker; now: Date; thresholds: LifecycleThresholds; authors: DemoAuthor[] }): DemoRecords {
  const { faker } = input;
  const now = input.now.getTime();
  const _id = new Types.ObjectId();
  const layer = weighted<Layer>(faker, LAYER_WEIGHTS);
  const rank = layerRank(layer);
  const stage = weighted<LifecycleStage>(faker, STAGE_WEIGHTS);
  const { createdAt, lastActiveAt } = lifecycleDates(faker, stage, now, input.thresholds);
  const sex = faker.helpers.weightedArrayElement([{ value: 'female' as const, weight: 60 }, { value: 'male' as const, weight: 36 }, { value: 'unknown' as const, weight: 4 }]);
  const givenName = faker.person.firstName(sex === 'unknown' ? undefined : sex);
  const [province, cities] = faker.helpers.weightedArrayElement(REGIONS);

  const sourceTag = faker.helpers.arrayElement(DEMO_TAG_GROUPS.来源);
  const interests = faker.helpers.arrayElements(DEMO_TAG_GROUPS.兴趣, { min: rank >= 2 ? 1 : 0, max: 3 });
  const valueTag = faker.datatype.boolean(0.2 + rank * 0.08) ? [rank >= 4 && faker.datatype.boolean(0.6) ? '高价值' : faker.helpers.arrayElement(DEMO_TAG_GROUPS.价值)] : [];
  const tags = [...(rank > 0 || faker.datatype.boolean(0.5) ? [sourceTag] : []), ...interests, ...valueTag];
  const interest = interests[0] ?? '新品';

  const identityTypes = LAYER_IDENTITIES[layer].filter((_, index) => index === 0 || rank >= 4 || faker.datatype.boolean(0.5));
  const identities = identityTypes.map((type, index) => ({
    type,
    accountId: DEMO_MARK,
    externalId: externalId(faker, type),
    at: index === 0 ? createdAt : between(faker, createdAt.getTime(), lastActiveAt.getTime()),
  }));
  const hasPhone = rank >= 1 && faker.datatype.boolean(rank >= 3 ? 0.8 : 0.6);
  const hasName = rank >= 3 || hasPhone;
  const customer = {
    _id,
    name: hasName ? faker.person.fullName({ firstName: givenName, sex: sex === 'unknown' ? undefined : sex }) : undefined,
    nickname: nickname(faker, givenName),
    remark: faker.datatype.boolean(0.15) ? fill(faker.helpers.arrayElement(['偏好{interest}', '老客户，服务要细致', 'VIP，生日月送券', '团购联系人']), interest) : undefined,
    gender: sex,
    region: { country: '中国', province, city: faker.helpers.arrayElement(cities) },
    phone: hasPhone ? faker.helpers.arrayElement(PHONE_PREFIXES) + faker.string.numeric(8) : undefined,
    birthday: rank >= 4 && faker.datatype.boolean(0.5) ? faker.date.birthdate({ mode: 'age', min: 18, max: 55, refDate: input.now }).toISOString().slice(0, 10) : undefined,
    source: { channel: DEMO_MARK, qrScene: `${QR_SCENES[sourceTag]}-${faker.number.int({ min: 1, max: 12 })}` },
    identities,
    identityKeys: identities.map((identity) => `${identity.type}:${identity.accountId}:${identity.externalId}`),
    unionId: identities.length > 1 ? `o${faker.string.alphanumeric(27)}` : undefined,
    layer,
    tags,
    consents: identityTypes.includes('bot') && faker.datatype.boolean(0.7) ? [{ channel: 'bot', status: 'granted', at: createdAt, method: '好友验证时同意', wordingVersion: 'v1' }] : [],
    lastActiveAt,
    createdAt,
    updatedAt: lastActiveAt,
  };

  const interactions: DemoRecords['interactions'] = [];
  const add = (type: InteractionType, at: Date, channel: string, summary: string, data?: Record<string, unknown>) =>
    interactions.push({ customerId: _id, type, at, channel, summary, ...(data ? { data } : {}) });
  const during = () => between(faker, createdAt.getTime(), lastActiveAt.getTime());
  const chatChannel = identityTypes.includes('bot') ? 'bot' : identityTypes[0];

  const first = FIRST_TOUCH[identityTypes[0]];
  add(first.type, createdAt, identityTypes[0], first.summary);
  for (const identity of identities.slice(1)) add(FIRST_TOUCH[identity.type].type, identity.at, identity.type, FIRST_TOUCH[identity.type].summary);
  if (rank > layerRank(first.layer)) add('layer_changed', during(), chatChannel, `${first.layer} → ${layer}`, { from: first.layer, to: layer });
  for (const tag of tags) add('tag_added', between(faker, createdAt.getTime(), Math.min(now, createdAt.getTime() + 3 * DAY)), chatChannel, tag, { tag });

  const chats = faker.number.int({ min: rank >= 3 ? 2 : 0, max: 2 + rank * 2 });
  // The newest message is the customer's, at lastActiveAt, so the timeline agrees with the profile.
  const chatTimes = [...Array.from({ length: Math.max(0, chats - 1) }, during), ...(chats ? [lastActiveAt] : [])].sort((a, b) => a.getTime() - b.getTime());
  chatTimes.forEach((at, index) => {
    const [question, answer] = faker.helpers.arrayElement(CONVERSATIONS);
    add('message_in', at, chatChannel, question);
    // Each answer lands before the next question, so pairs never interleave.
    const until = Math.min(now, chatTimes[index + 1]?.getTime() ?? now);
    const replyAt = at.getTime() + Math.min(faker.number.int({ min: 1, max: 30 }) * 60_000, (until - at.getTime()) / 2);
    if (replyAt > at.getTime() && (index < chatTimes.length - 1 || faker.datatype.boolean(0.5))) add('message_out', new Date(replyAt), chatChannel, answer);
  });
  if (layer === 'member') {
    for (let day = faker.number.int({ min: 1, max: 8 }); day > 0; day--) add('checkin', during(), 'mp', '签到 +5 积分', { points: 5 });
  }
  if (rank >= 4) {
    const amount = faker.number.int({ min: 59, max: 1299 });
    add('points', during(), 'mp', `消费 ¥${amount}，积分 +${amount}`, { points: amount });
  }
  if (rank >= 2 && faker.datatype.boolean(0.4)) add('broadcast_received', during(), chatChannel, faker.helpers.arrayElement(BROADCASTS));

  const notes: DemoRecords['notes'] = [];
  const noteCount = faker.datatype.boolean(rank >= 3 ? 0.45 : 0.1) ? faker.number.int({ min: 1, max: 3 }) : 0;
  for (let index = 0; index < noteCount; index++) {
    const author = faker.helpers.arrayElement(input.authors);
    const at = between(faker, createdAt.getTime(), now);
    const body = fill(faker.helpers.arrayElement(NOTE_TEMPLATES), interest);
    const authorId = new Types.ObjectId(author.id);
    const noteId = new Types.ObjectId();
    notes.push({ _id: noteId, customerId: _id, authorId, authorName: author.name, body, createdAt: at, updatedAt: at });
    interactions.push({ customerId: _id, type: 'note', at, summary: body.slice(0, 140), actorId: authorId, data: { noteId: String(noteId) } });
  }

  const reminders: DemoRecords['reminders'] = [];
  if (rank >= 3 && faker.datatype.boolean(0.25)) {
    const author = new Types.ObjectId(faker.helpers.arrayElement(input.authors).id);
    const dueAt = between(faker, now - 10 * DAY, now + 21 * DAY);
    const done = dueAt.getTime() < now && faker.datatype.boolean(0.6);
    const createdAtReminder = between(faker, Math.max(createdAt.getTime(), dueAt.getTime() - 14 * DAY), Math.min(now, dueAt.getTime()));
    reminders.push({
      customerId: _id,
      title: fill(faker.helpers.arrayElement(REMINDER_TITLES), interest),
      dueAt,
      assigneeId: author,
      createdById: author,
      done,
      ...(done ? { doneAt: dueAt } : {}),
      createdAt: createdAtReminder,
      updatedAt: done ? dueAt : createdAtReminder,
    });
  }
  return { customer, interactions, notes, reminders };
}
