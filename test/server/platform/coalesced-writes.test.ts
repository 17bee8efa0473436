import type { FastifyInstance } from 'fastify';
import { Schema, type Model } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { coalescedFindBy, coalescedFindTop, coalescedInsert, coalescedUpdate } from '../../../server/src/lib/coalesced-writes.ts';
import { buildTestApp } from '../../helpers/app.ts';

/** Writes of one tick share a bulk command, yet every caller gets its own outcome, as if it had written alone. */
describe('coalesced writes', () => {
  let app: FastifyInstance;
  let Thing: Model<any>;

  beforeAll(async () => {
    app = await buildTestApp();
    const schema = new Schema({ key: { type: String, required: true }, keys: [String], n: Number, kind: { type: String, enum: ['a', 'b'] }, level: { type: Number, default: 7 }, at: Date }, { timestamps: true, collection: 'things' });
    schema.index({ key: 1 }, { unique: true });
    Thing = app.db.model('Thing', schema);
    await Thing.init();
  });
  afterAll(() => app.close());

  it('inserts a tick’s documents in one command; a duplicate or invalid one fails alone, the rest are stored', async () => {
    const insert = coalescedInsert<{ key: string; createdAt: Date }>(Thing);
    await Thing.create({ key: 'taken' });
    const bulk = vi.spyOn(Thing.collection, 'insertMany');
    const outcomes = await Promise.allSettled([
      insert({ key: 'a', n: '3', kind: 'a' }),
      insert({ key: 'taken' }),
      insert({ key: 'b', n: 'three' }),
      insert({ n: 4 }),
      insert({ key: 'e', kind: 'z' }),
      insert({ key: 'c' }),
    ]);
    expect(bulk).toHaveBeenCalledTimes(1);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'rejected', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason.code).toBe(11000);
    for (const [index, path] of [[2, 'n'], [3, 'key'], [4, 'kind']] as const) {
      expect((outcomes[index] as PromiseRejectedResult).reason.name).toBe('ValidationError');
      expect((outcomes[index] as PromiseRejectedResult).reason.message).toContain(path);
    }
    const stored = await Thing.find({ key: { $in: ['a', 'b', 'c', 'e'] } }).sort({ key: 1 }).lean();
    expect(stored.map((doc) => [doc.key, doc.n, doc.level])).toEqual([
      ['a', 3, 7],
      ['c', undefined, 7],
    ]);
    expect(stored[0].createdAt).toBeInstanceOf(Date);
    expect((outcomes[0] as PromiseFulfilledResult<{ createdAt: Date }>).value.createdAt).toEqual(stored[0].createdAt);
    bulk.mockRestore();
  });

  it('inserts typed documents without casting them, still checked, and never stores undefined fields as null', async () => {
    const insert = coalescedInsert<{ _id: unknown }>(Thing, { typed: true });
    const cast = vi.spyOn(Thing, 'castObject');
    const outcomes = await Promise.allSettled([insert({ key: 'typed-1', n: 2, at: undefined }), insert({ n: 3 }), insert({ key: 'typed-2', kind: 'z' })]);
    expect(cast).not.toHaveBeenCalled();
    cast.mockRestore();
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'rejected']);
    const stored = await Thing.collection.findOne({ key: 'typed-1' });
    expect(stored).toMatchObject({ n: 2, level: 7 });
    expect(stored).not.toHaveProperty('at');
    expect(stored!.createdAt).toBeInstanceOf(Date);
  });

  it('updates in one bulk write, each caller waiting for its own', async () => {
    const update = coalescedUpdate(Thing);
    await Thing.create([{ key: 'u1', n: 1 }, { key: 'u2', n: 1 }]);
    const bulk = vi.spyOn(Thing, 'bulkWrite');
    await Promise.all([update({ key: 'u1' }, { $inc: { n: 1 } }), update({ key: 'u2' }, { $max: { at: new Date(5) } }), update({ key: 'u1' }, { $inc: { n: 1 } })]);
    expect(bulk).toHaveBeenCalledTimes(1);
    expect(await Thing.findOne({ key: 'u1' }).lean()).toMatchObject({ n: 3 });
    expect(await Thing.findOne({ key: 'u2' }).lean()).toMatchObject({ at: new Date(5) });
    bulk.mockRestore();
  });

  it('rejects only the update that cannot be cast, and still applies the others', async () => {
    const update = coalescedUpdate(Thing);
    await Thing.create([{ key: 'c1', n: 1 }, { key: 'c2', n: 1 }]);
    const outcomes = await Promise.allSettled([update({ key: 'c1' }, { $inc: { n: 1 } }), update({ key: 'c2' }, { $set: { n: 'not a number' } }), update({ key: 'c2' }, { $inc: { n: 5 } })]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((outcomes[1] as PromiseRejectedResult).reason)).toMatch(/Cast/);
    expect((await Thing.findOne({ key: 'c1' }).lean())!.n).toBe(2);
    expect((await Thing.findOne({ key: 'c2' }).lean())!.n).toBe(6);
  });

  it('sends typed updates to the driver as they are, adding updatedAt', async () => {
    const update = coalescedUpdate(Thing, { typed: true });
    const [first] = await Thing.create([{ key: 't1', n: 1 }, { key: 't2', n: 1 }]);
    const bulk = vi.spyOn(Thing.collection, 'bulkWrite');
    const before = new Date();
    await Promise.all([update({ _id: first._id }, { $inc: { n: 4 } }), update({ key: 't2' }, { $set: { at: new Date(9) } })]);
    expect(bulk).toHaveBeenCalledTimes(1);
    bulk.mockRestore();
    const [t1, t2] = await Thing.find({ key: { $in: ['t1', 't2'] } }).sort({ key: 1 }).lean();
    expect([t1.n, t2.at]).toEqual([5, new Date(9)]);
    expect(t1.updatedAt.getTime()).toBeGreaterThanOrEqual(before.getTime());
  });

  it('finds by a field, also an array one, with one query per tick', async () => {
    const findByKeys = coalescedFindBy<{ key: string }>(Thing, 'keys');
    await Thing.create([{ key: 'f1', keys: ['x', 'y'] }, { key: 'f2', keys: ['z'] }]);
    const query = vi.spyOn(Thing.collection, 'find');
    const found = await Promise.all(['y', 'z', 'nobody', 'x'].map((value) => findByKeys(value)));
    expect(query).toHaveBeenCalledTimes(1);
    expect(found.map((doc) => doc?.key ?? null)).toEqual(['f1', 'f2', null, 'f1']);
    query.mockRestore();
  });

  it('keeps each caller to its own scope, with one query per scope', async () => {
    const findByKey = coalescedFindBy<{ key: string; n: number }>(Thing, 'key');
    await Thing.create([{ key: 's1', n: 1 }, { key: 's2', n: 2 }]);
    const query = vi.spyOn(Thing.collection, 'find');
    const found = await Promise.all([findByKey('s1', { n: 1 }), findByKey('s2', { n: 1 }), findByKey('s2', { n: 2 }), findByKey('s1', { n: 1 })]);
    expect(query).toHaveBeenCalledTimes(2);
    expect(found.map((doc) => doc?.key ?? null)).toEqual(['s1', null, 's2', 's1']);
    query.mockRestore();
    // A scope whose query fails (n cannot be cast) fails its own callers only.
    const outcomes = await Promise.allSettled([findByKey('s1', { n: 'one' }), findByKey('s1', { n: 1 })]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'fulfilled']);
  });

  it('casts values by the schema, and fails only the caller whose value cannot be cast', async () => {
    const findById = coalescedFindBy<{ key: string }>(Thing, '_id', { key: 1 });
    const [thing] = await Thing.create([{ key: 'id1' }]);
    const outcomes = await Promise.allSettled([findById(String(thing._id)), findById('not an id'), findById('0123456789abcdef01234567')]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[0] as PromiseFulfilledResult<{ key: string }>).value).toEqual({ _id: thing._id, key: 'id1' });
    expect((outcomes[2] as PromiseFulfilledResult<unknown>).value).toBeNull();
    expect(String((outcomes[1] as PromiseRejectedResult).reason)).toMatch(/Cast/);
  });

  it('reads each value’s first rows in order, with one query per tick, and asks again for a value the cap cut short', async () => {
    const findTop = coalescedFindTop<{ key: string; n: number }>(Thing, 'kind', { n: -1 });
    // Kind 'a': ten things, kind 'b': two; both older (lower n) than all of 'a'.
    await Thing.create([...Array.from({ length: 10 }, (_, i) => ({ key: `top-a${i}`, kind: 'a', n: 100 + i })), { key: 'top-b0', kind: 'b', n: 1 }, { key: 'top-b1', kind: 'b', n: 2 }]);
    const query = vi.spyOn(Thing, 'find');
    const [a, b] = await Promise.all([findTop('a', 3), findTop('b', 5)]);
    expect(a.map((row) => row.n)).toEqual([109, 108, 107]);
    expect(b.map((row) => row.n)).toEqual([2, 1]);
    // Together they read up to 8 rows (and one more); 'a' fills them all, so 'b' (2 of 5) was cut short and asked alone.
    expect(query).toHaveBeenCalledTimes(2);
    query.mockClear();
    const [few, more] = await Promise.all([findTop('b', 5), findTop('b', 1)]);
    expect([few.length, more.length]).toEqual([2, 1]);
    expect(query).toHaveBeenCalledTimes(1);
    query.mockClear();
    // Exactly as many rows as asked for is no cut.
    expect(await findTop('b', 2)).toHaveLength(2);
    expect(query).toHaveBeenCalledTimes(1);
    query.mockRestore();
  });
});
