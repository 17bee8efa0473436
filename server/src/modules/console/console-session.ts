import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { DomainError } from '../../lib/errors.ts';
import { can, type Permission } from '../staff/permissions.ts';
import { SESSION_COOKIE, tokenFrom } from '../staff/session-token.util.ts';

export const LOGIN_PATH = '/console/login';
export const HOME_PATH = '/console/customers';

/** Same cookie as POST /api/auth/login sets, so the console's fetch calls to /api/* are authenticated by it. */
export function setSessionCookie(reply: FastifyReply, session: { token: string; expiresAt: Date }, secure: boolean): void {
  reply.setCookie(SESSION_COOKIE, session.token, { path: '/', httpOnly: true, sameSite: 'lax', secure, expires: session.expiresAt });
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
}

/** A person is at the other end of a console page: without a session they get the login form, not a 401. */
export function requireConsoleStaff(app: FastifyInstance, permission: Permission): onRequestAsyncHookHandler {
  return async function requireStaff(request: FastifyRequest, reply: FastifyReply) {
    const token = tokenFrom(request);
    const staff = token ? await app.staff.authenticate(token) : null;
    if (!staff) return reply.redirect(LOGIN_PATH);
    request.staff = staff;
    request.sessionToken = token;
    if (!can(staff.role, permission)) throw new DomainError('FORBIDDEN', `your role (${staff.role}) lacks ${permission}`);
  };
}
