import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { StaffPluginOptions } from './index.ts';
import { SESSION_COOKIE, tokenFrom } from './session-token.util.ts';
import { LoginBody, StaffIdentitySchema } from './staff.schemas.ts';

export async function authRoutes(fastify: FastifyInstance, options: StaffPluginOptions): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    '/api/auth/login',
    {
      config: { rateLimit: { max: options.loginRateLimitPerMinute, timeWindow: '1 minute' } },
      schema: {
        tags: ['auth'],
        summary: 'Sign in: sets an httpOnly session cookie and returns the same session as a bearer token',
        security: [],
        body: LoginBody,
        response: { 200: Type.Object({ token: Type.String(), expiresAt: Type.String(), staff: StaffIdentitySchema }) },
      },
    },
    async (request, reply) => {
      const session = await app.staff.login({ ...request.body, ip: request.ip, userAgent: request.headers['user-agent'] });
      reply.setCookie(SESSION_COOKIE, session.token, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: options.cookieSecure,
        expires: session.expiresAt,
      });
      return { token: session.token, expiresAt: session.expiresAt.toISOString(), staff: session.staff };
    },
  );

  app.post(
    '/api/auth/logout',
    { schema: { tags: ['auth'], summary: 'Revoke the current session', response: { 204: Type.Null() } } },
    async (request, reply) => {
      const token = tokenFrom(request);
      if (token) await app.staff.logout(token);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/auth/me',
    {
      onRequest: app.authorize('customers:read'),
      schema: { tags: ['auth'], summary: 'Who is signed in', response: { 200: StaffIdentitySchema } },
    },
    async (request) => request.staff!,
  );
}
