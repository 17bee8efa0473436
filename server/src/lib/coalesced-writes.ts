import { Types, type AnyBulkWriteOperation, type Model } from 'mongoose';

/** Enough to amortise a round trip without one bulk command growing unbounded. */
const MAX_BATCH = 500;

export type Outcome<Result> = { ok: true; value: Result } | { ok: false; error: unknown };

/**
 * Event-loop turns a batch stays open. One turn collects what a single poll phase delivered; under load, replies
 * to other batches land in the next turn and their callers reach this step too, so a second turn roughly doubles
 * the batch (check-in bench: +20% req/s, lower p50). When idle the second turn follows at once.
 */
const TURNS_OPEN = 2;

function afterTurns(turns: number, callback: () => void): void {
  setImmediate(turns > 1 ? () => afterTurns(turns - 1, callback) : callback);
}

/**
 * Calls made while the event loop is busy (for `TURNS_OPEN` turns) go to the database as one command; each caller
 * still awaits its own outcome. Under load, many requests and bot events reach the same step together, and one
 * bulk round trip costs the database and the driver far less than one per document.
 */
export function createBatcher<Item, Result>(run: (items: Item[]) => Promise<Array<Outcome<Result>>>) {
  let queue: Array<{ item: Item; resolve: (value: Result) => void; reject: (error: unknown) => void }> = [];

  async function flush(batch: typeof queue): Promise<void> {
    try {
      const outcomes = await run(batch.map((entry) => entry.item));
      batch.forEach((entry, index) => {
        const outcome = outcomes[index];
        if (outcome.ok) entry.resolve(outcome.value);
        else entry.reject(outcome.error);
      });
    } catch (error) {
      for (const entry of batch) entry.reject(error);
    }
  }

  return function add(item: Item): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      if (queue.length === 1) {
        afterTurns(TURNS_OPEN, () => {
          const pending = queue;
          queue = [];
          for (let start = 0; start < pending.length; start += MAX_BATCH) void flush(pending.slice(start, start + MAX_BATCH));
        });
      }
    });
  };
}

interface WriteError {
  index: number;
  code?: number;
  errmsg?: string;
  keyValue?: unknown;
}

const asError = (raw: WriteError) => Object.assign(new Error(raw.errmsg ?? 'write failed'), { code: raw.code, keyValue: raw.keyValue });

function hasWriteConcernError(error: unknown): boolean {
  const failure = error as { writeConcernError?: unknown; result?: { getWriteConcernError?: () => unknown } };
  return Boolean(failure.writeConcernError || failure.result?.getWriteConcernError?.());
}

/**
 * The per-operation errors of an unordered bulk command, by the caller's index, or null when the failure is not
 * per operation (network, write concern): then every caller gets it, since none can be sure its write holds.
 */
export function writeErrorsOf(error: unknown): Map<number, Error> | null {
  const failure = error as { writeErrors?: WriteError | WriteError[] };
  if (hasWriteConcernError(error)) return null;
  const list = failure.writeErrors === undefined ? [] : Array.isArray(failure.writeErrors) ? failure.writeErrors : [failure.writeErrors];
  if (!list.length) return null;
  return new Map(list.map((writeError) => [writeError.index, asError(writeError)]));
}

function outcomesAfter<Result>(count: number, error: unknown, valueAt: (index: number) => Result): Array<Outcome<Result>> {
  const failed = writeErrorsOf(error);
  if (!failed) throw error;
  return Array.from({ length: count }, (_, index) => (failed.has(index) ? { ok: false, error: failed.get(index) } : { ok: true, value: valueAt(index) }));
}

/**
 * Mongoose's bulkWrite casts each operation and, with `throwOnValidationError`, reports per operation in the
 * callers' order (`results`: an Error, a server write error, or nothing for success); the server's own indexes
 * would skip the operations that failed casting.
 */
function outcomesOfBulkWrite(count: number, error: unknown): Array<Outcome<void>> {
  const failure = error as { results?: unknown[]; mongoose?: { results?: unknown[] } };
  const results = failure.results ?? failure.mongoose?.results;
  if (!Array.isArray(results) || results.length !== count) return outcomesAfter(count, error, () => undefined);
  if (hasWriteConcernError(error)) throw error;
  return results.map((result) => {
    if (result instanceof Error) return { ok: false, error: result };
    const raw = result as (WriteError & { err?: WriteError }) | null | undefined;
    if (raw && (raw.errmsg || raw.err)) return { ok: false, error: asError(raw.err ?? raw) };
    return { ok: true, value: undefined };
  });
}

/**
 * Mongoose's full validation builds a document per insert, which on the capture path cost more than the insert.
 * Here: cast by the schema (types, ObjectIds, dates), top-level defaults filled in, then required fields and enums
 * checked.
 */
function shapeChecker(model: Model<any>) {
  const defaults = Object.entries(model.schema.paths)
    .map(([path, type]) => [path, (type as { defaultValue?: unknown }).defaultValue] as const)
    .filter(([path, value]) => value !== undefined && path !== '_id' && !path.includes('.'));
  const required = model.schema.requiredPaths();
  // Nested paths would need Mongoose's full document machinery: such models are refused here, at start-up.
  if (required.some((path) => path.includes('.'))) throw new Error(`${model.modelName} has nested required paths; use Model.create`);
  const enums = Object.entries(model.schema.paths)
    .map(([path, type]) => [path, (type as { enumValues?: string[] }).enumValues ?? []] as const)
    .filter(([, values]) => values.length > 0)
    .map(([path, values]) => [path, new Set(values)] as const);
  return (doc: Record<string, unknown>): Error | null => {
    for (const [path, value] of defaults) if (doc[path] === undefined) doc[path] = typeof value === 'function' ? value.call(doc) : value;
    const problems: string[] = [];
    for (const path of required) if (doc[path] === undefined || doc[path] === null || doc[path] === '') problems.push(`${path} is required`);
    for (const [path, values] of enums) if (doc[path] !== undefined && doc[path] !== null && !values.has(doc[path] as string)) problems.push(`${path} is not one of its values`);
    return problems.length ? Object.assign(new Error(`${model.modelName} not valid: ${problems.join(', ')}`), { name: 'ValidationError' }) : null;
  };
}

/** A shallow copy without undefined fields, which the driver would otherwise store as null. */
function definedFields(fields: object): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) copy[key] = value;
  return copy;
}

/**
 * `Model.create` for hot paths: the document is cast, defaulted and checked here (`shapeChecker`), then inserted
 * with the others of this tick in one unordered `insertMany`. A duplicate key rejects only its own caller, with
 * code 11000. With `typed`, the callers' fields already hold stored types (ObjectIds, Dates, numbers): casting is
 * skipped, the checks are not.
 */
export function coalescedInsert<Doc extends object>(model: Model<any>, { typed = false }: { typed?: boolean } = {}) {
  const timestamps = Boolean(model.schema.get('timestamps'));
  const check = shapeChecker(model);
  const insertAll = createBatcher<Doc, Doc>(async (docs) => {
    try {
      await model.collection.insertMany(docs as never[], { ordered: false });
      return docs.map((doc) => ({ ok: true, value: doc }));
    } catch (error) {
      return outcomesAfter(docs.length, error, (index) => docs[index]);
    }
  });
  return async function insert(fields: object): Promise<Doc> {
    const plain = (typed ? definedFields(fields) : model.castObject(fields)) as Doc & { _id?: unknown; createdAt?: Date; updatedAt?: Date };
    const invalid = check(plain as Record<string, unknown>);
    if (invalid) throw invalid;
    plain._id ??= new Types.ObjectId();
    if (timestamps) {
      const now = new Date();
      plain.createdAt ??= now;
      plain.updatedAt ??= now;
    }
    return insertAll(plain);
  };
}

/**
 * `Model.updateOne` for hot paths whose caller needs no match count: one unordered `bulkWrite` per tick, cast by
 * Mongoose. With `typed`, the callers' filters and updates already hold stored types (ObjectIds, Dates, numbers)
 * and go to the driver as they are: Mongoose's casting cost more than the write (only `updatedAt` is added).
 */
export function coalescedUpdate(model: Model<any>, { typed = false }: { typed?: boolean } = {}) {
  const timestamps = Boolean(model.schema.get('timestamps'));
  const updateAll = createBatcher<AnyBulkWriteOperation, void>(async (operations) => {
    try {
      if (typed) await model.collection.bulkWrite(operations as never[], { ordered: false });
      else await model.bulkWrite(operations, { ordered: false, throwOnValidationError: true });
      return operations.map(() => ({ ok: true, value: undefined }));
    } catch (error) {
      return typed ? outcomesAfter(operations.length, error, () => undefined) : outcomesOfBulkWrite(operations.length, error);
    }
  });
  return (filter: Record<string, unknown>, update: Record<string, unknown>) => {
    if (typed && timestamps) update = { ...update, $set: { updatedAt: new Date(), ...(update.$set as object) } };
    return updateAll({ updateOne: { filter, update } });
  };
}

type Scope = Record<string, string | number | boolean>;

type Cast = (value: unknown) => unknown;

/** Casts a value for `path` as a Mongoose query would (an id string to an ObjectId); an array path casts elements. */
function queryCaster(model: Model<any>, path: string): Cast {
  type Caster = { cast(value: unknown): unknown; embeddedSchemaType?: Caster };
  const type = model.schema.path(path) as unknown as Caster | undefined;
  const element = type?.embeddedSchemaType ?? type;
  return element ? (value) => element.cast(value) : (value) => value;
}

/**
 * A lean `findOne({ ...scope, [field]: value })` for hot paths: one `$in` query per tick and distinct scope (the
 * fields every caller of a step usually shares, such as a day). `field` may hold an array (multikey). Values and
 * scopes are cast by the schema here and the query goes to the driver: Mongoose's query building cost more than
 * the query. A value or scope that cannot be cast fails only its own callers.
 */
export function coalescedFindBy<Doc extends Record<string, unknown>>(model: Model<any>, field: string, projection?: Record<string, 0 | 1>) {
  const castValue = queryCaster(model, field);
  const casters = new Map<string, Cast>();
  const castScope = (scope: Scope) =>
    Object.fromEntries(Object.entries(scope).map(([path, value]) => [path, (casters.get(path) ?? casters.set(path, queryCaster(model, path)).get(path)!)(value)]));
  const findAll = createBatcher<{ value: string; scope: Scope }, Doc | null>(async (lookups) => {
    const groups = new Map<string, { scope: Scope; values: Map<string, unknown> }>();
    const uncastable = new Map<string, unknown>();
    for (const { value, scope } of lookups) {
      const key = JSON.stringify(scope);
      const group = groups.get(key) ?? groups.set(key, { scope, values: new Map() }).get(key)!;
      try {
        if (!group.values.has(value)) group.values.set(value, castValue(value));
      } catch (error) {
        uncastable.set(value, error);
      }
    }
    const found = new Map<string, Doc>();
    const failed = new Map<string, unknown>();
    await Promise.all(
      [...groups].map(async ([key, { scope, values }]) => {
        try {
          if (!values.size) return;
          const filter = { ...castScope(scope), [field]: { $in: [...values.values()] } };
          const docs = (await model.collection.find(filter, projection ? { projection } : {}).toArray()) as unknown as Doc[];
          for (const doc of docs) {
            const held = doc[field];
            for (const value of Array.isArray(held) ? held : [held]) {
              const id = `${key}\u0000${String(value)}`;
              if (!found.has(id)) found.set(id, doc);
            }
          }
        } catch (error) {
          failed.set(key, error); // only this scope's callers see it
        }
      }),
    );
    return lookups.map(({ value, scope }): Outcome<Doc | null> => {
      const key = JSON.stringify(scope);
      if (uncastable.has(value)) return { ok: false, error: uncastable.get(value) };
      return failed.has(key) ? { ok: false, error: failed.get(key) } : { ok: true, value: found.get(`${key}\u0000${value}`) ?? null };
    });
  });
  return (value: string, scope: Scope = {}) => findAll({ value, scope });
}

/**
 * The first `limit` documents in `sort` order where `field` equals a value (a customer's newest notes, say), for
 * many values at once: one `$in` query per tick reading at most every caller's limit together. A value that had
 * fewer rows than its limit when that cap was reached may have been cut short; it alone is asked again, so every
 * caller gets exactly what its own query would have returned.
 */
export function coalescedFindTop<Doc extends Record<string, unknown>>(model: Model<any>, field: string, sort: Record<string, 1 | -1>) {
  const ownQuery = (value: string, limit: number) => model.find({ [field]: value }).sort(sort).limit(limit).lean() as Promise<Doc[]>;
  const findAll = createBatcher<{ value: string; limit: number }, Doc[]>(async (lookups) => {
    const limits = new Map<string, number>();
    for (const { value, limit } of lookups) limits.set(value, Math.max(limit, limits.get(value) ?? 0));
    const cap = [...limits.values()].reduce((sum, limit) => sum + limit, 0);
    // One row past the cap tells a cut from a batch that held exactly that many.
    const rows = (await model.find({ [field]: { $in: [...limits.keys()] } }).sort(sort).limit(cap + 1).lean()) as Doc[];
    const byValue = new Map<string, Doc[]>([...limits.keys()].map((value) => [value, []]));
    for (const row of rows) byValue.get(String(row[field]))?.push(row);
    if (rows.length > cap) {
      const cutShort = [...limits].filter(([value, limit]) => byValue.get(value)!.length < limit);
      await Promise.all(cutShort.map(async ([value, limit]) => byValue.set(value, await ownQuery(value, limit))));
    }
    return lookups.map(({ value, limit }) => ({ ok: true, value: byValue.get(value)!.slice(0, limit) }));
  });
  return (value: string, limit: number) => findAll({ value, limit });
}
