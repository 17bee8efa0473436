import type { FastifyRequest } from 'fastify';

export const SESSION_COOKIE = 'siyu_session';

/** The console sends the httpOnly cookie; API clients send the same session as a bearer token. */
export function tokenFrom(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice('Bearer '.length).trim() || null;
  return request.cookies?.[SESSION_COOKIE] ?? null;
}
