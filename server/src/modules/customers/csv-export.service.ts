import { stringify } from 'csv-stringify';
import { pipeline, Transform, type Readable } from 'node:stream';
import { GENDER_NAMES_ZH, LAYER_NAMES_ZH, LIFECYCLE_NAMES_ZH, type Gender, type Layer } from '../../../../shared/src/customer.ts';
import type { SettingsService } from '../settings/settings.service.ts';
import { EXPORT_HEADERS } from './csv-columns.ts';
import type { CustomerFilter } from './customer-filter.util.ts';
import type { CustomerRecord } from './customer-dto.util.ts';
import type { CustomerService } from './customer.service.ts';
import { lifecycleStage } from './lifecycle.util.ts';

declare module 'fastify' {
  interface FastifyInstance {
    customerCsvExport: CsvExportService;
  }
}

export interface CsvExport {
  filename: string;
  stream: Readable;
}

export function createCsvExportService(deps: { customers: CustomerService; settings: SettingsService }) {
  /** Streams every matching customer as an Excel-friendly CSV: BOM, CRLF, Chinese headers, formulas defused. */
  async function exportCsv(filter: CustomerFilter): Promise<CsvExport> {
    const { lifecycle: thresholds, timezone } = await deps.settings.getBrand();
    const now = new Date();
    // Swedish formatting is ISO-like ("2026-11-25 21:01:19"), which Excel reads as a date and people read easily.
    const dateTime = new Intl.DateTimeFormat('sv-SE', { timeZone: timezone, dateStyle: 'short', timeStyle: 'medium' });
    const day = new Intl.DateTimeFormat('sv-SE', { timeZone: timezone, dateStyle: 'short' }).format(now).replaceAll('-', '');

    const toRow = (doc: CustomerRecord): string[] => [
      doc.name ?? '',
      doc.nickname ?? '',
      doc.phone ?? '',
      GENDER_NAMES_ZH[(doc.gender ?? 'unknown') as Gender] ?? '',
      doc.region?.province ?? '',
      doc.region?.city ?? '',
      doc.birthday ?? '',
      (doc.tags ?? []).join('|'),
      LAYER_NAMES_ZH[doc.layer as Layer] ?? doc.layer,
      LIFECYCLE_NAMES_ZH[lifecycleStage({ createdAt: doc.createdAt, lastActiveAt: doc.lastActiveAt, now, thresholds })],
      doc.lastActiveAt ? dateTime.format(doc.lastActiveAt) : '',
      dateTime.format(doc.createdAt),
      String(doc._id),
    ];

    const cursor = await deps.customers.streamMatching(filter);
    const csv = stringify({ bom: true, header: true, columns: EXPORT_HEADERS, record_delimiter: 'windows', escape_formulas: true });
    const rows = new Transform({
      objectMode: true,
      transform(doc: CustomerRecord, _encoding, done) {
        done(null, toRow(doc));
      },
    });
    // A failure mid-way destroys `csv` with the error, which aborts the response; a client that leaves closes the cursor.
    pipeline(cursor, rows, csv, () => {});
    return { filename: `customers-${day}.csv`, stream: csv };
  }

  return { exportCsv };
}

export type CsvExportService = ReturnType<typeof createCsvExportService>;
