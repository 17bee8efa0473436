import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { DomainError, ERROR_STATUS, ERROR_TITLES, type ErrorCode, type FieldError } from '../lib/errors.ts';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code: string;
  instance?: string;
  errors?: FieldError[];
}

const DATABASE_ERROR_NAMES = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongooseServerSelectionError',
  'DisconnectedError',
]);

const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'VALIDATION_FAILED',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'VALIDATION_FAILED',
  FST_ERR_CTP_INVALID_JSON_BODY: 'VALIDATION_FAILED',
};

// A socket dropped mid-write surfaces as a bare system error; the database is the only peer behind a request.
const SOCKET_ERROR_CODES = new Set(['EPIPE', 'ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT']);

function isDatabaseUnavailable(error: Error): boolean {
  return (
    DATABASE_ERROR_NAMES.has(error.name) ||
    SOCKET_ERROR_CODES.has(String((error as { code?: unknown }).code)) ||
    /buffering timed out|client was closed|connection .* closed/i.test(error.message)
  );
}

interface AjvIssue {
  instancePath: string;
  message?: string;
  keyword: string;
  params: Record<string, unknown>;
}

function fieldErrors(context: string | undefined, issues: AjvIssue[]): FieldError[] {
  return issues.map((issue) => {
    let path = `/${context ?? 'body'}${issue.instancePath}`;
    if (issue.keyword === 'additionalProperties') path += `/${String(issue.params.additionalProperty)}`;
    if (issue.keyword === 'required') path += `/${String(issue.params.missingProperty)}`;
    const message = issue.keyword === 'additionalProperties' ? 'unknown field' : (issue.message ?? 'invalid');
    return { path, message };
  });
}

export function toProblem(error: FastifyError | Error, request: FastifyRequest): Problem {
  const base = { instance: request.url.split('?')[0] };
  const make = (code: ErrorCode, detail?: string, errors?: FieldError[]): Problem => ({
    type: `https://siyu.dev/problems/${code.toLowerCase().replaceAll('_', '-')}`,
    title: ERROR_TITLES[code],
    status: ERROR_STATUS[code],
    code,
    ...(detail ? { detail } : {}),
    ...(errors ? { errors } : {}),
    ...base,
  });
  if (error instanceof DomainError) return make(error.code, error.message, error.errors);
  const fastifyError = error as FastifyError & { validation?: AjvIssue[] };
  if (fastifyError.validation) {
    return make('VALIDATION_FAILED', error.message, fieldErrors(fastifyError.validationContext, fastifyError.validation));
  }
  if (fastifyError.code && FASTIFY_CODES[fastifyError.code]) return make(FASTIFY_CODES[fastifyError.code], error.message);
  if (error.name === 'StrictModeError' || error.name === 'CastError') return make('VALIDATION_FAILED', error.message);
  if (isDatabaseUnavailable(error)) return make('DATABASE_UNAVAILABLE');
  if ((error as { code?: unknown }).code === 11000) return make('CONFLICT', 'a record with the same unique value exists');
  const status = fastifyError.statusCode ?? 500;
  if (status === 429) return make('RATE_LIMITED', error.message);
  if (status === 413) return make('PAYLOAD_TOO_LARGE', error.message);
  if (status === 415) return make('UNSUPPORTED_MEDIA_TYPE', error.message);
  const byStatus: Partial<Record<number, ErrorCode>> = { 401: 'UNAUTHENTICATED', 403: 'FORBIDDEN', 404: 'NOT_FOUND', 409: 'CONFLICT' };
  const known = byStatus[status];
  if (known) return make(known, error.message);
  if (status >= 400 && status < 500) {
    return { ...make('VALIDATION_FAILED', error.message), status, title: error.name === 'Error' ? 'Bad request' : error.name };
  }
  return make('INTERNAL');
}

export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  return reply.code(problem.status).type('application/problem+json; charset=utf-8').send(JSON.stringify(problem));
}

async function problemPlugin(fastify: FastifyInstance): Promise<void> {
  fastify.setErrorHandler((error: FastifyError, request, reply) => {
    const problem = toProblem(error, request);
    if (problem.status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: problem.code, errors: problem.errors }, 'request refused');
    return sendProblem(reply, problem);
  });
  fastify.setNotFoundHandler((request, reply) =>
    sendProblem(reply, toProblem(new DomainError('NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`), request)),
  );
}

export default fp(problemPlugin, { fastify: '5.x', name: 'problem' });
