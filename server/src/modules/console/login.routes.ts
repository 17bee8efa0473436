import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { DomainError, type ErrorCode } from '../../lib/errors.ts';
import { tokenFrom } from '../staff/session-token.util.ts';
import { dictionary, type Dictionary } from './console-i18n.ts';
import { renderPage } from './console-page.ts';
import { HtmlPage, LoginForm, PageQuery } from './console.schemas.ts';
import { clearSessionCookie, HOME_PATH, LOGIN_PATH, setSessionCookie } from './console-session.ts';
import type { ConsolePluginOptions } from './index.ts';

type LoginProblem = keyof Pick<Dictionary['login'], 'invalid' | 'malformed' | 'locked'>;

const FAILURES: Partial<Record<ErrorCode, { problem: LoginProblem; status: number }>> = {
  INVALID_CREDENTIALS: { problem: 'invalid', status: 401 },
  ACCOUNT_LOCKED: { problem: 'locked', status: 423 },
};

function showLogin(reply: FastifyReply, form: { email?: string; problem?: LoginProblem } = {}, status = 200): FastifyReply {
  const t = dictionary(reply.request.consoleLocale);
  return renderPage(reply.code(status), 'login', { title: t.login.title, email: form.email ?? '', error: form.problem ? t.login[form.problem] : null });
}

export async function loginRoutes(fastify: FastifyInstance, options: ConsolePluginOptions): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get('/login', { schema: { hide: true, querystring: PageQuery, response: { 200: HtmlPage } } }, async (request, reply) => {
    const token = tokenFrom(request);
    if (token && (await app.staff.authenticate(token))) return reply.redirect(HOME_PATH);
    return showLogin(reply);
  });

  app.post(
    '/login',
    {
      // The form shows what was wrong instead of a problem+json reply.
      attachValidation: true,
      config: { rateLimit: { max: options.loginRateLimitPerMinute, timeWindow: '1 minute' } },
      schema: { hide: true, body: LoginForm, response: { 401: HtmlPage, 400: HtmlPage, 423: HtmlPage } },
    },
    async (request, reply) => {
      const email = typeof request.body?.email === 'string' ? request.body.email : '';
      if (request.validationError) return showLogin(reply, { email, problem: 'malformed' }, 400);
      try {
        const session = await app.staff.login({ ...request.body, ip: request.ip, userAgent: request.headers['user-agent'] });
        setSessionCookie(reply, session, options.cookieSecure);
        return reply.redirect(HOME_PATH, 303);
      } catch (error) {
        const failure = error instanceof DomainError ? FAILURES[error.code] : undefined;
        if (!failure) throw error;
        return showLogin(reply, { email, problem: failure.problem }, failure.status);
      }
    },
  );

  app.post('/logout', { schema: { hide: true } }, async (request, reply) => {
    const token = tokenFrom(request);
    if (token) await app.staff.logout(token);
    clearSessionCookie(reply);
    return reply.redirect(LOGIN_PATH, 303);
  });
}
