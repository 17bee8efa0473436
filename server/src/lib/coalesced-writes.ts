import { Types, type AnyBulkWriteOperation, type Model } from 'mongoose';

/** Enough to amortise a round trip without one bulk command growing unbounded. */
const MAX_BATCH = 500;

type Outcome<Result> = { ok: true; value: Result } | { ok: false; error: unknown };

/**
 * Calls made while the event loop is busy (until `setImmediate`) go to the database as one command; each caller
 * still awaits its own outcome. Under load, many requests and bot events reach the same step together, and one
 * bulk round trip costs the database and the driver far less than one per document.
 */
function createBatcher<Item, Result>(run: (items: Item[]) => Promise<Array<Outcome<Result>>>) {
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
        setImmediate(() => {
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

/** The per-operation errors of an unordered bulk command (the driver gives one or many), or null for any other failure. */
function writeErrorsOf(error: unknown): Map<number, Error> | null {
  const raw = (error as { writeErrors?: WriteError | WriteError[] }).writeErrors;
  if (!raw) return null;
  const list = Array.isArray(raw) ? raw : [raw];
  return new Map(list.map((writeError) => [writeError.index, Object.assign(new Error(writeError.errmsg ?? 'write failed'), { code: writeError.code, keyValue: writeError.keyValue })]));
}

function outcomesAfter<Result>(count: number, error: unknown, valueAt: (index: number) => Result): Array<Outcome<Result>> {
  const failed = writeErrorsOf(error);
  if (!failed) throw error;
  return Array.from({ length: count }, (_, index) => (failed.has(index) ? { ok: false, error: failed.get(index) } : { ok: true, value: valueAt(index) }));
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
  const enums = Object.entries(model.schema.paths)
    .map(([path, type]) => [path, (type as { enumValues?: string[] }).enumValues ?? []] as const)
    .filter(([, values]) => values.length > 0)
    .map(([path, values]) => [path, new Set(values)] as const);
  return (doc: Record<string, unknown>): Error | null => {
    for (const [path, value] of defaults) if (doc[path] === undefined) doc[path] = typeof value === 'function' ? value.call(doc) : value;
    const problems: string[] = [];
    for (const path of required) if (doc[path] === undefined || doc[path] === null) problems.push(`${path} is required`);
    for (const [path, values] of enums) if (doc[path] !== undefined && doc[path] !== null && !values.has(doc[path] as string)) problems.push(`${path} is not one of its values`);
    return problems.length ? Object.assign(new Error(`${model.modelName} not valid: ${problems.join(', ')}`), { name: 'ValidationError' }) : null;
  };
}

/**
 * `Model.create` for hot paths: the document is cast, defaulted and checked here (`shapeChecker`), then inserted
 * with the others of this tick in one unordered `insertMany`. A duplicate key rejects only its own caller, with
 * code 11000.
 */
export function coalescedInsert<Doc extends object>(model: Model<any>) {
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
    const plain = model.castObject(fields) as Doc & { _id?: unknown; createdAt?: Date; updatedAt?: Date };
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

/** `Model.updateOne` for hot paths whose caller needs no match count: one unordered `bulkWrite` per tick (cast by Mongoose). */
export function coalescedUpdate(model: Model<any>) {
  const updateAll = createBatcher<AnyBulkWriteOperation, void>(async (operations) => {
    try {
      await model.bulkWrite(operations, { ordered: false });
      return operations.map(() => ({ ok: true, value: undefined }));
    } catch (error) {
      return outcomesAfter(operations.length, error, () => undefined);
    }
  });
  return (filter: Record<string, unknown>, update: Record<string, unknown>) => updateAll({ updateOne: { filter, update } });
}

/** A lean `findOne({ [field]: value })` for hot paths: one `$in` query per tick. `field` may hold an array (multikey). */
export function coalescedFindBy<Doc extends Record<string, unknown>>(model: Model<any>, field: string, projection?: Record<string, 0 | 1>) {
  const findAll = createBatcher<string, Doc | null>(async (values) => {
    const docs = (await model.find({ [field]: { $in: [...new Set(values)] } }, projection).lean()) as Doc[];
    const byValue = new Map<string, Doc>();
    for (const doc of docs) {
      const held = doc[field];
      for (const value of Array.isArray(held) ? held : [held]) if (!byValue.has(String(value))) byValue.set(String(value), doc);
    }
    return values.map((value) => ({ ok: true, value: byValue.get(value) ?? null }));
  });
  return (value: string) => findAll(value);
}
