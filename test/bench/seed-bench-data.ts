import type { Db, Document } from 'mongodb';
import { ObjectId } from 'mongodb';
import { LAYERS } from '../../shared/src/customer.ts';
import { memberDocument } from './seed-members.ts';

export const BENCH_TAGS = ['美妆', '母婴', '运动', '旅行', '美食', '数码', '宠物', '家居', '高价值', '价格敏感'];
const TAG_SHARE = 0.1;
const BATCH = 5_000;
const SAMPLE_EVERY = 100;
const DAY = 86_400_000;
const TIMELINE = [['friend_added', '通过好友验证'], ['message_in', '请问有优惠吗？'], ['message_out', '您好，本周会员九折']] as const;
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高';
const GIVEN = '伟芳娜敏静丽强磊洋艳勇军杰娟涛明超秀霞平刚桂英华';

export interface BenchData {
  customers: number;
  interactions: number;
  members: number;
  /** About one id in a hundred, spread over the whole collection, for requests to pick from. */
  sampleIds: string[];
  /** Every customer id in insertion order: the n-th is the contact `wxid_bench_<n>` of bot account `bench`. */
  customerIds: string[];
}

/** The bot account id the seeded identities belong to (`bot:bench:wxid_bench_<n>`). */
export const BENCH_BOT_ACCOUNT = 'bench';
export const benchContactId = (n: number) => `wxid_bench_${n}`;

/** mulberry32: a seeded generator, so every run measures the same data. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * Inserts `count` customers through the driver in batches: each bench tag on ~10% of them, three interactions
 * on one in five, a note on one in twenty and a reminder on one in fifty, so the profile's queries find rows.
 * With `members`, every customer is also a loyalty member (layer `member`, a `members` document in the lowest
 * tier); the random draws are the same either way, so the rest of the data does not change.
 */
export async function seedBenchData(
  db: Db,
  options: { count: number; staffId: string; members?: { tierCode: string }; onBatch?: (done: number) => void },
): Promise<BenchData> {
  const next = random(42);
  const pick = (text: string) => text[Math.floor(next() * text.length)];
  const now = Date.now();
  const staffId = new ObjectId(options.staffId);
  await db.collection('tags').insertMany(BENCH_TAGS.map((name, index) => ({ name, group: index < 8 ? '兴趣' : '价值', createdAt: new Date(), updatedAt: new Date() })));
  const data: BenchData = { customers: 0, interactions: 0, members: 0, sampleIds: [], customerIds: [] };
  while (data.customers < options.count) {
    const size = Math.min(BATCH, options.count - data.customers);
    const customers: Document[] = [];
    const interactions: Document[] = [];
    const notes: Document[] = [];
    const reminders: Document[] = [];
    const members: Document[] = [];
    for (let index = 0; index < size; index++) {
      const n = data.customers + index;
      const _id = new ObjectId();
      const createdAt = new Date(now - Math.floor(next() * 365 * DAY));
      const lastActiveAt = new Date(createdAt.getTime() + Math.floor(next() * (now - createdAt.getTime())));
      const externalId = benchContactId(n);
      customers.push({
        _id,
        name: pick(SURNAMES) + pick(GIVEN) + pick(GIVEN),
        nickname: `客户${n}`,
        gender: next() < 0.6 ? 'female' : 'male',
        region: { country: '中国', province: '广东', city: '深圳' },
        phone: `139${String(n).padStart(8, '0')}`,
        source: { channel: 'bench' },
        identities: [{ type: 'bot', accountId: BENCH_BOT_ACCOUNT, externalId, at: createdAt }],
        identityKeys: [`bot:${BENCH_BOT_ACCOUNT}:${externalId}`],
        layer: LAYERS[Math.floor(next() * LAYERS.length)],
        tags: BENCH_TAGS.filter(() => next() < TAG_SHARE),
        consents: [],
        lastActiveAt,
        createdAt,
        updatedAt: lastActiveAt,
      });
      data.customerIds.push(String(_id));
      if (options.members) {
        // The layer was drawn all the same, so making members changes nothing else in the data.
        customers[customers.length - 1].layer = 'member';
        members.push(memberDocument({ customerId: _id, n, joinedAt: createdAt, tierCode: options.members.tierCode }));
      }
      if (n % SAMPLE_EVERY === 0) data.sampleIds.push(String(_id));
      if (n % 5 === 0) {
        TIMELINE.forEach(([type, summary], step) => {
          interactions.push({ customerId: _id, type, at: new Date(createdAt.getTime() + step * 60_000), channel: 'bot', summary });
        });
      }
      if (n % 20 === 0) notes.push({ customerId: _id, authorId: staffId, authorName: '基准测试', body: '回访：满意', createdAt, updatedAt: createdAt });
      if (n % 50 === 0) reminders.push({ customerId: _id, title: '回访', dueAt: new Date(now + DAY), assigneeId: staffId, createdById: staffId, done: false, createdAt, updatedAt: createdAt });
    }
    await db.collection('customers').insertMany(customers, { ordered: false });
    if (interactions.length) await db.collection('interactions').insertMany(interactions, { ordered: false });
    if (notes.length) await db.collection('notes').insertMany(notes, { ordered: false });
    if (reminders.length) await db.collection('reminders').insertMany(reminders, { ordered: false });
    if (members.length) await db.collection('members').insertMany(members, { ordered: false });
    data.customers += size;
    data.members += members.length;
    data.interactions += interactions.length;
    options.onBatch?.(data.customers);
  }
  return data;
}
