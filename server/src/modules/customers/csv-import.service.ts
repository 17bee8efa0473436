import { parse, type Options } from 'csv-parse';
import type { Types } from 'mongoose';
import { pipeline, type Readable } from 'node:stream';
import { DomainError } from '../../lib/errors.ts';
import { readHeader, toImportRow, type CellError, type ImportField, type ImportRow } from './csv-columns.ts';
import { identityKey, type CustomerService } from './customer.service.ts';
import type { InteractionService } from './interaction.service.ts';
import type { CustomerModels } from './models.ts';

declare module 'fastify' {
  interface FastifyInstance {
    customerCsvImport: CsvImportService;
  }
}

const BATCH_SIZE = 500;
const MAX_REPORTED_ERRORS = 1000;

export interface RowError {
  /** Line in the file where the row starts; the header is line 1. */
  row: number;
  field: ImportField | null;
  message: string;
}

export interface ImportReport {
  created: number;
  updated: number;
  skipped: number;
  errors: RowError[];
}

interface NumberedRecord {
  cells: string[];
  line: number;
}

interface PendingRow {
  line: number;
  row: ImportRow;
}

type BulkOp = Parameters<CustomerModels['Customer']['bulkWrite']>[0][number];

interface WriteOutcome {
  created: Map<number, Types.ObjectId>;
  updated: number;
  failed: Map<number, string>;
}

interface BulkResult {
  upsertedIds: Record<number, Types.ObjectId>;
  matchedCount: number;
}

interface WriteError {
  index: number;
  code: number;
}

const countMatches = (cells: string[], pattern: RegExp) => cells.reduce((count, cell) => count + (cell.match(pattern)?.length ?? 0), 0);

/**
 * Numbers records by the line they start on. csv-parse reports the line a record ends on, and counts a CRLF
 * inside a quoted cell as two lines, so the drift is tracked to keep later rows right.
 */
function lineCounter() {
  let drift = 0;
  return {
    record(cells: string[], endLine: number): number {
      const crlf = countMatches(cells, /\r\n/g);
      const start = endLine - drift - crlf - countMatches(cells, /\r\n|\r|\n/g);
      drift += crlf;
      return start;
    },
    skipped: (endLine: number) => endLine - drift,
  };
}

export function createCsvImportService(models: CustomerModels, deps: { customers: CustomerService; interactions: InteractionService }) {
  const { Customer } = models;

  /** Existing customers for phone-only rows, oldest first so repeated imports keep choosing the same one. */
  async function matchPhones(phones: string[]): Promise<Map<string, Types.ObjectId>> {
    if (!phones.length) return new Map();
    const found = await Customer.find({ phone: { $in: phones }, mergedInto: null }, { phone: 1 }).sort({ _id: 1 }).lean();
    const byPhone = new Map<string, Types.ObjectId>();
    for (const customer of found) if (customer.phone && !byPhone.has(customer.phone)) byPhone.set(customer.phone, customer._id);
    return byPhone;
  }

  function toOperation(row: ImportRow, matchedId: Types.ObjectId | undefined): BulkOp {
    const change = { $set: row.set, ...(row.tags.length ? { $addToSet: { tags: { $each: row.tags } } } : {}) };
    if (matchedId) return { updateOne: { filter: { _id: matchedId, mergedInto: null }, update: change } };
    const key = identityKey(row.identity);
    const onInsert = { identities: [{ ...row.identity, at: new Date() }], identityKeys: [key], layer: 'visitor', 'source.channel': 'import' };
    // The unique identityKeys index turns a racing second insert into a duplicate-key error, retried as an update.
    return { updateOne: { filter: { identityKeys: key }, update: { ...change, $setOnInsert: onInsert }, upsert: true } };
  }

  async function write(operations: BulkOp[], positions: number[], retryDuplicates = true): Promise<WriteOutcome> {
    let result: BulkResult;
    let writeErrors: WriteError[] = [];
    try {
      result = (await Customer.bulkWrite(operations, { ordered: false })) as unknown as BulkResult;
    } catch (error) {
      const failure = error as { result?: BulkResult; writeErrors?: WriteError | WriteError[] };
      if (!failure.writeErrors || !failure.result) throw error;
      result = failure.result;
      writeErrors = [failure.writeErrors].flat();
    }
    const outcome: WriteOutcome = { created: new Map(), updated: result.matchedCount, failed: new Map() };
    for (const [index, id] of Object.entries(result.upsertedIds ?? {})) outcome.created.set(positions[Number(index)], id);
    const duplicates = retryDuplicates ? writeErrors.filter((writeError) => writeError.code === 11000) : [];
    for (const writeError of writeErrors) {
      if (!duplicates.includes(writeError)) outcome.failed.set(positions[writeError.index], `could not be saved (database error ${writeError.code})`);
    }
    if (!duplicates.length) return outcome;
    const retried = await write(duplicates.map((d) => operations[d.index]), duplicates.map((d) => positions[d.index]), false);
    for (const [position, id] of retried.created) outcome.created.set(position, id);
    for (const [position, message] of retried.failed) outcome.failed.set(position, message);
    outcome.updated += retried.updated;
    return outcome;
  }

  async function importCsv(input: Readable, options: { actorId?: string } = {}): Promise<ImportReport> {
    const report: ImportReport = { created: 0, updated: 0, skipped: 0, errors: [] };
    const skip = (row: number, errors: (CellError | { field: null; message: string })[]) => {
      report.skipped += 1;
      for (const error of errors) if (report.errors.length < MAX_REPORTED_ERRORS) report.errors.push({ row, ...error });
    };

    async function flush(batch: PendingRow[]): Promise<void> {
      if (!batch.length) return;
      const tags = [...new Set(batch.flatMap(({ row }) => row.tags))];
      if (tags.length) await deps.customers.ensureTags(tags);
      const phoneOnly = batch.filter(({ row }) => row.identity.accountId === 'phone').map(({ row }) => row.phone!);
      const matches = await matchPhones(phoneOnly);
      const operations = batch.map(({ row }) => toOperation(row, row.identity.accountId === 'phone' ? matches.get(row.phone!) : undefined));
      const outcome = await write(operations, batch.map((_, index) => index));
      report.created += outcome.created.size;
      report.updated += outcome.updated;
      for (const [position, message] of outcome.failed) skip(batch[position].line, [{ field: null, message }]);
      await deps.interactions.appendMany(
        [...outcome.created].map(([position, customerId]) => {
          const { line, row } = batch[position];
          return { customerId, type: 'imported' as const, actorId: options.actorId, summary: row.source ? `CSV 导入（${row.source}）` : 'CSV 导入', data: { line, source: row.source } };
        }),
      );
    }

    const lines = lineCounter();
    const parseOptions: Options<NumberedRecord, string[]> = {
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: false,
      skip_records_with_error: true,
      on_record: (cells, context) => ({ cells, line: lines.record(cells, context.lines) }),
      on_skip: (error) => {
        // csv-parse's own line number drifts after quoted line breaks; the row number carries the right one.
        const message = error?.message.replace(/ on line \d+$/, '') ?? 'unreadable row';
        skip(lines.skipped(Number(error?.lines ?? 0)), [{ field: null, message }]);
        return undefined;
      },
    };
    // csv-parse's typings only allow a reshaped record together with `columns`; the runtime has no such limit.
    const parser = parse(parseOptions as unknown as Options);
    // Errors on the input (a body over the limit, a dropped upload) end the loop below through the parser.
    pipeline(input, parser, () => {});
    let columns: (ImportField | null)[] | undefined;
    let batch: PendingRow[] = [];
    for await (const { cells, line } of parser as AsyncIterable<NumberedRecord>) {
      if (!columns) {
        columns = readHeader(cells);
        continue;
      }
      const result = toImportRow(Object.fromEntries(columns.flatMap((field, index) => (field ? [[field, cells[index]]] : []))));
      if ('errors' in result) skip(line, result.errors);
      else batch.push({ line, row: result.row });
      if (batch.length >= BATCH_SIZE) {
        await flush(batch);
        batch = [];
      }
    }
    if (!columns) throw new DomainError('VALIDATION_FAILED', 'the file is empty', [{ path: '/body', message: 'no header row' }]);
    await flush(batch);
    // Unreadable rows are reported as the parser meets them, ahead of the rows still waiting in the loop.
    report.errors.sort((a, b) => a.row - b.row);
    return report;
  }

  return { importCsv };
}

export type CsvImportService = ReturnType<typeof createCsvImportService>;
