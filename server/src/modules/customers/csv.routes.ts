import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Readable, Transform } from 'node:stream';
import { Type } from 'typebox';
import { StrictObject } from '../../../../shared/src/schema.ts';
import { DomainError } from '../../lib/errors.ts';
import { IMPORT_FIELDS } from './csv-columns.ts';
import { ListQuery } from './customer.schemas.ts';

export interface CsvRoutesOptions {
  csvLimitBytes: number;
}

// The list's filters without its paging: an export takes everything that matches.
const { sort: _sort, cursor: _cursor, limit: _limit, ...filterProperties } = ListQuery.properties;
const ExportQuery = StrictObject(filterProperties);

// The body is a stream, never JSON: with no `type`, validation accepts it and the schema only documents the upload.
const CsvUpload = Type.Unsafe<Readable>({ format: 'binary', description: 'UTF-8 CSV (BOM optional) with a header row' });
const CsvDownload = Type.Unsafe<Readable>({ type: 'string', description: 'UTF-8 with BOM, CRLF line ends, Chinese header row' });

const ImportReport = Type.Object({
  created: Type.Integer(),
  updated: Type.Integer(),
  skipped: Type.Integer(),
  errors: Type.Array(
    Type.Object({ row: Type.Integer(), field: Type.Union([Type.Enum(IMPORT_FIELDS), Type.Null()]), message: Type.String() }),
    { description: 'the first 1000 problems; every invalid row is counted in skipped' },
  ),
});

const tooLarge = (limit: number) => new DomainError('PAYLOAD_TOO_LARGE', `the file is larger than ${limit} bytes`);

/** Fastify enforces bodyLimit only for the bodies it buffers itself; a streamed upload is counted here. */
function limitBytes(source: Readable, limit: number): Readable {
  let seen = 0;
  const counted = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      if (seen <= limit) return done(null, chunk);
      source.unpipe(counted);
      done(tooLarge(limit));
    },
  });
  source.on('error', (error) => counted.destroy(error));
  return source.pipe(counted);
}

export async function csvRoutes(fastify: FastifyInstance, options: CsvRoutesOptions): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.addContentTypeParser('text/csv', { bodyLimit: options.csvLimitBytes }, (request, payload, done) => {
    if (Number(request.headers['content-length']) > options.csvLimitBytes) return done(tooLarge(options.csvLimitBytes), undefined);
    done(null, limitBytes(payload, options.csvLimitBytes));
  });

  app.post(
    '/api/customers/import',
    {
      onRequest: app.authorize('customers:import'),
      schema: {
        tags: ['customers'],
        summary: 'Import customers from CSV (Chinese or English headers); rows match by external id, else by phone',
        consumes: ['text/csv'],
        body: CsvUpload,
        response: { 200: ImportReport },
      },
    },
    async (request, reply) => {
      if (!(request.body instanceof Readable)) throw new DomainError('UNSUPPORTED_MEDIA_TYPE', 'send the file as text/csv');
      try {
        const report = await app.customerCsvImport.importCsv(request.body, { actorId: request.staff!.id });
        request.auditDetail = { targetType: 'customer', detail: `import: ${report.created} created, ${report.updated} updated, ${report.skipped} skipped` };
        return report;
      } catch (error) {
        // The rest of the upload stays unread: close the connection instead of reusing a half-read one.
        reply.header('connection', 'close');
        throw error;
      }
    },
  );

  app.get(
    '/api/customers/export.csv',
    {
      onRequest: app.authorize('customers:export'),
      schema: {
        tags: ['customers'],
        summary: 'Export the customers matching the list filters as a CSV that opens in Excel',
        querystring: ExportQuery,
        produces: ['text/csv'],
        response: { 200: { content: { 'text/csv': { schema: CsvDownload } } } },
      },
    },
    async (request, reply) => {
      const filter = request.query;
      // GETs are not audited automatically, but a bulk export of personal data must be.
      await app.audit.record({ actor: request.staff!, action: 'GET /api/customers/export.csv', outcome: 'ok', targetType: 'customer', detail: JSON.stringify(request.query), ip: request.ip, requestId: request.id });
      const { filename, stream } = await app.customerCsvExport.exportCsv(filter);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${filename}"; filename*=UTF-8''${encodeURIComponent(filename)}`)
        .send(stream);
    },
  );
}
