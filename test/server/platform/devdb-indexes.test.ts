import { randomBytes } from 'node:crypto';
import { MongoClient, type Collection, type Document, type Filter } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';

/**
 * The stand-in answers indexed queries from its indexes (scripts/devdb). An index may only narrow the candidates,
 * never change a result: the same writes go to an indexed and an unindexed collection, and every query must agree.
 */
type Doc = Document & { _id: number | string };

describe('database indexes never change query results', () => {
  let client: MongoClient;
  let indexed: Collection<Doc>;
  let plain: Collection<Doc>;
  const dbName = `test_idx_${randomBytes(4).toString('hex')}`;
  const customers = Array.from({ length: 12 }, (_, i) => `c${i}`);

  async function both(write: (collection: Collection<Doc>) => Promise<unknown>): Promise<void> {
    await write(indexed);
    await write(plain);
  }

  async function expectSame(filter: Filter<Doc>): Promise<number> {
    const [a, b] = await Promise.all([indexed, plain].map((c) => c.find(filter).sort({ _id: 1 }).toArray()));
    expect(a, JSON.stringify(filter)).toEqual(b);
    return a.length;
  }

  beforeAll(async () => {
    client = await new MongoClient(inject('mongodbUri')).connect();
    const db = client.db(dbName);
    indexed = db.collection<Doc>('indexed');
    plain = db.collection<Doc>('plain');
    await indexed.createIndex({ tags: 1, at: -1 });
    await indexed.createIndex({ customerId: 1, at: -1 });
    await indexed.createIndex({ 'identities.key': 1 });
    await indexed.createIndex({ code: 1 }, { unique: true, sparse: true });
    await indexed.createIndex({ n: 1, at: 1 }, { sparse: true, name: 'sparse_n' });
    let seed = 7;
    const random = (n: number) => (seed = (seed * 48271) % 2147483647) % n;
    for (let i = 0; i < 400; i++) {
      const doc = {
        _id: i,
        customerId: customers[random(customers.length)],
        tags: Array.from({ length: random(4) }, () => `t${random(6)}`),
        identities: [{ key: `wx:${random(50)}` }],
        n: random(3) === 0 ? 5.0 : random(20),
        at: new Date(1_700_000_000_000 + random(1e9)),
        ...(random(2) ? { code: `K${i}` } : {}),
      };
      await both((c) => c.insertOne({ ...doc }));
    }
    for (let i = 0; i < 150; i++) {
      const id = random(400);
      const op = random(4);
      const tag = `t${random(6)}`;
      if (op === 0) await both((c) => c.updateOne({ _id: id }, { $set: { tags: [tag] } }));
      if (op === 1) await both((c) => c.updateOne({ _id: id }, { $addToSet: { tags: 'moved' }, $set: { customerId: 'c-moved' } }));
      if (op === 2) await both((c) => c.deleteOne({ _id: id }));
      if (op === 3) await both((c) => c.updateOne({ _id: 1000 + i }, { $set: { customerId: customers[0], tags: ['t1'] } }, { upsert: true }));
    }
    // Updates that leave every indexed field as it was, and ones that move a unique code.
    for (let id = 0; id < 400; id += 7) await both((c) => c.updateOne({ _id: id }, { $inc: { n: 1 } }));
    for (let id = 1; id < 400; id += 11) await both((c) => c.updateOne({ _id: id }, { $set: { code: `M${id}` } }));
  });

  afterAll(async () => {
    await client?.db(dbName).dropDatabase();
    await client?.close();
  });

  it.each<[string, Filter<Doc>]>([
    ['a tag', { tags: 't3' }],
    ['a tag moved in by an update', { tags: 'moved' }],
    ['tags with $in', { tags: { $in: ['t1', 't2'] } }],
    ['tags with $all', { tags: { $all: ['t1', 't2'] } }],
    ['a tag and a range', { tags: 't1', n: { $gt: 10 } }],
    ['a customer', { customerId: 'c3' }],
    ['a customer moved by an update', { customerId: 'c-moved' }],
    ['a customer and a condition', { customerId: 'c0', tags: { $ne: 't1' } }],
    ['an embedded identity', { 'identities.key': 'wx:7' }],
    ['a unique code and a condition that holds', { code: 'K3', n: { $gte: 0 } }],
    ['a number written as a double', { n: 5 }],
    ['a value under a sparse index', { n: 7 }],
    ['no value under a sparse index', { n: null }],
    ['a tag nobody has', { tags: 'nobody' }],
    ['a tag inside $and', { $and: [{ n: { $gte: 3 } }, { $and: [{ tags: 't4' }] }] }],
    ['a unique code inside $and', { $and: [{ code: 'K5' }, { n: { $gte: 0 } }] }],
    ['a moved unique code', { code: { $in: ['M1', 'M12', 'K1', 'K12'] } }],
    ['unique codes with $in and a condition', { code: { $in: ['K3', 'K4', 'K7', 'K11', 'nobody'] }, n: { $gte: 2 } }],
  ])('%s', async (_name, filter) => {
    await expectSame(filter);
  });

  it('finds what it should, not only the same nothing', async () => {
    expect(await expectSame({ tags: 't1' })).toBeGreaterThan(20);
    expect(await expectSame({ customerId: 'c-moved' })).toBeGreaterThan(0);
    expect(await expectSame({ n: null })).toBeGreaterThan(0);
    expect(await expectSame({ n: 7 })).toBeGreaterThan(0);
  });

  it.each<[string, Filter<Doc>, Record<string, 1 | -1>]>([
    ['in the index order', { tags: 't2' }, { at: -1 }],
    ['in its reverse', { tags: 't2' }, { at: 1 }],
    ['over several values', { tags: { $in: ['t1', 't5'] }, n: { $lt: 15 } }, { at: -1 }],
    ['on a compound index by customer', { customerId: 'c2' }, { at: -1 }],
    ['that the index cannot give', { tags: 't2' }, { at: -1, _id: 1 }],
  ])('sorts and limits %s like a scan', async (_name, filter, sort) => {
    const query = (c: Collection<Doc>, skip: number) => c.find(filter).sort(sort).skip(skip).limit(7).toArray();
    const first = await query(indexed, 0);
    expect(first.length).toBe(7);
    expect(first).toEqual(await query(plain, 0));
    expect(await query(indexed, 5)).toEqual(await query(plain, 5));
  });

  it('looks up every combination of $in values on a compound unique index', async () => {
    const db = client.db(dbName);
    const [withIndex, without] = [db.collection<Doc>('pairs_indexed'), db.collection<Doc>('pairs_plain')];
    await withIndex.createIndex({ who: 1, day: 1 }, { unique: true });
    const docs = Array.from({ length: 60 }, (_, i) => ({ _id: i, who: `w${i % 12}`, day: `d${Math.floor(i / 12)}`, n: i % 4 }));
    await withIndex.insertMany(docs.map((doc) => ({ ...doc })));
    await without.insertMany(docs.map((doc) => ({ ...doc })));
    const filters: Array<Filter<Doc>> = [
      { who: { $in: ['w1', 'w5', 'w99'] }, day: 'd2' },
      { who: 'w3', day: { $in: ['d0', 'd4', 'd9'] } },
      { who: { $in: ['w2', 'w7'] }, day: { $in: ['d1', 'd3'] }, n: { $ne: 3 } },
    ];
    for (const filter of filters) {
      const [a, b] = await Promise.all([withIndex, without].map((c) => c.find(filter).sort({ _id: 1 }).toArray()));
      expect(a, JSON.stringify(filter)).toEqual(b);
      expect(a.length).toBeGreaterThan(0);
    }
  });

  it('sorts like a scan when a later index field holds an array', async () => {
    const db = client.db(dbName);
    const [withIndex, without] = [db.collection<Doc>('multi_indexed'), db.collection<Doc>('multi_plain')];
    await withIndex.createIndex({ group: 1, scores: -1 });
    const docs = [
      { _id: 1, group: 'g', scores: [5, 1] },
      { _id: 2, group: 'g', scores: [3] },
      { _id: 3, group: 'g', scores: [4, 2] },
    ];
    await withIndex.insertMany(docs.map((doc) => ({ ...doc })));
    await without.insertMany(docs.map((doc) => ({ ...doc })));
    const query = (c: Collection<Doc>) => c.find({ group: 'g' }).sort({ scores: -1 }).toArray();
    expect((await query(withIndex)).map((doc) => doc._id)).toEqual((await query(without)).map((doc) => doc._id));
    expect(await query(withIndex)).toHaveLength(3);
  });

  it('a conditional update on a unique field applies only while the condition holds', async () => {
    await both((c) => c.insertOne({ _id: 'cond', code: 'COND', version: 1 }));
    const first = await indexed.findOneAndUpdate({ code: 'COND', version: { $lt: 2 } }, { $inc: { version: 1 } }, { returnDocument: 'after' });
    const second = await indexed.findOneAndUpdate({ code: 'COND', version: { $lt: 2 } }, { $inc: { version: 1 } }, { returnDocument: 'after' });
    expect(first?.version).toBe(2);
    expect(second).toBeNull();
  });
});
