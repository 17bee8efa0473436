import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { DEFAULT_LOCALE, isLocale, type Locale } from './console-i18n.ts';

declare module 'fastify' {
  interface FastifyRequest {
    consoleLocale: Locale;
  }
}

export const LANG_COOKIE = 'siyu_lang';
const ONE_YEAR_SECONDS = 365 * 24 * 3600;

/** `?lang=` switches the console's language and remembers it in a cookie; otherwise the cookie, else Chinese. */
export function chooseLocale(options: { cookieSecure: boolean }): onRequestAsyncHookHandler {
  return async function chooseConsoleLocale(request: FastifyRequest, reply: FastifyReply) {
    const asked = (request.query as { lang?: unknown }).lang;
    if (isLocale(asked)) {
      reply.setCookie(LANG_COOKIE, asked, { path: '/', httpOnly: true, sameSite: 'lax', secure: options.cookieSecure, maxAge: ONE_YEAR_SECONDS });
      request.consoleLocale = asked;
      return;
    }
    const saved = request.cookies[LANG_COOKIE];
    request.consoleLocale = isLocale(saved) ? saved : DEFAULT_LOCALE;
  };
}
