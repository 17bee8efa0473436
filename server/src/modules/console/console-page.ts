import type { FastifyReply, FastifyRequest } from 'fastify';
import { dictionary, type Locale } from './console-i18n.ts';

function withLang(url: string, lang: Locale): string {
  const parsed = new URL(url, 'http://console.invalid');
  parsed.searchParams.set('lang', lang);
  return parsed.pathname + parsed.search;
}

/** What the layout needs on every page: language, dictionary, who is signed in, the strings the browser script shows. */
function layoutContext(request: FastifyRequest) {
  const locale = request.consoleLocale;
  const t = dictionary(locale);
  const other: Locale = locale === 'en' ? 'zh-CN' : 'en';
  const scriptData = { locale, strings: t.script, interactions: t.interactions, layers: t.layers };
  return {
    locale,
    t,
    staff: request.staff,
    langSwitch: { href: withLang(request.url, other), lang: other },
    // Read by console.js from a JSON data block; `<` is escaped so no text can close the block early.
    scriptData: JSON.stringify(scriptData).replaceAll('<', '\\u003c'),
  };
}

export function renderPage(reply: FastifyReply, template: string, data: { title: string } & Record<string, unknown>): FastifyReply {
  return reply.type('text/html; charset=utf-8').view(template, { ...layoutContext(reply.request), ...data });
}
