import view from '@fastify/view';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import Handlebars from 'handlebars';
import path from 'node:path';
import { toProblem } from '../../plugins/problem.ts';
import { assetRoutes, loadConsoleAssets } from './assets.routes.ts';
import { botPages } from './bots-pages.routes.ts';
import { DEFAULT_LOCALE, dictionary } from './console-i18n.ts';
import { chooseLocale } from './console-locale.ts';
import { renderPage } from './console-page.ts';
import { consoleRoutes } from './console.routes.ts';
import { LOGIN_PATH } from './console-session.ts';
import { loginRoutes } from './login.routes.ts';
import { loyaltyPages } from './loyalty-pages.routes.ts';
import { rewardPages } from './rewards-pages.routes.ts';
import { rulePages } from './rules-pages.routes.ts';

export interface ConsolePluginOptions {
  cookieSecure: boolean;
  loginRateLimitPerMinute: number;
}

const PARTIALS = ['tag-chip', 'timeline-item', 'note-item', 'reminder-item', 'bot-row', 'tier-row', 'member-lookup', 'ledger-row'];

function renderNotFound(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const t = dictionary(request.consoleLocale);
  return renderPage(reply.code(404), 'not-found', { title: t.notFound.title });
}

/** Console pages answer in HTML: a login redirect for 401, a page for everything else, never problem+json. */
function renderError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const problem = toProblem(error, request);
  if (problem.status >= 500) request.log.error({ err: error }, 'console page failed');
  else request.log.info({ code: problem.code, errors: problem.errors }, 'console page refused');
  if (problem.status === 401) return reply.redirect(LOGIN_PATH);
  // A malformed id in the path names a page that does not exist, the same as an unknown id.
  if (problem.status === 404 || problem.errors?.some((issue) => issue.path.startsWith('/params'))) return renderNotFound(request, reply);
  const t = dictionary(request.consoleLocale);
  const message = problem.status === 403 ? t.error.forbidden : problem.status === 429 ? t.error.rateLimited : t.error.body;
  return renderPage(reply.code(problem.status), 'error', { title: t.error.title, status: problem.status, message });
}

async function consolePages(fastify: FastifyInstance, options: ConsolePluginOptions): Promise<void> {
  const assets = await loadConsoleAssets(path.join(import.meta.dirname, 'assets'));
  await fastify.register(view, {
    // A private Handlebars instance, so our partials never meet another module's.
    engine: { handlebars: Handlebars.create() },
    root: path.join(import.meta.dirname, 'views'),
    layout: 'layout',
    viewExt: 'hbs',
    defaultContext: { assetVersion: assets.version },
    options: { partials: Object.fromEntries(PARTIALS.map((name) => [name, `partials/${name}.hbs`])) },
  });
  fastify.decorateRequest('consoleLocale', DEFAULT_LOCALE);
  fastify.addHook('onRequest', chooseLocale({ cookieSecure: options.cookieSecure }));
  fastify.setErrorHandler(renderError);
  fastify.setNotFoundHandler(renderNotFound);
  await fastify.register(assetRoutes, { assets });
  // Not `options` itself: it carries this scope's prefix, which would nest the login routes under /console/console.
  await fastify.register(loginRoutes, { cookieSecure: options.cookieSecure, loginRateLimitPerMinute: options.loginRateLimitPerMinute });
  await fastify.register(consoleRoutes);
  await fastify.register(botPages);
  await fastify.register(rulePages);
  await fastify.register(loyaltyPages);
  await fastify.register(rewardPages);
}

async function consolePlugin(fastify: FastifyInstance, options: ConsolePluginOptions): Promise<void> {
  await fastify.register(consolePages, { ...options, prefix: '/console' });
}

export default fp(consolePlugin, { fastify: '5.x', name: 'console', dependencies: ['staff', 'customers', 'settings', 'bots', 'loyalty', 'rewards'] });
