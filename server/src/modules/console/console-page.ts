import type { FastifyReply, FastifyRequest } from 'fastify';
import { dictionary, type Dictionary, type Locale } from './console-i18n.ts';
import { navItems, type Section } from './console-nav.ts';
import type { NOTICES, PageScript } from './console.schemas.ts';

export interface PageOptions {
  section?: Section;
  /** The page's own script, loaded after console.js, which it builds on. */
  script?: PageScript;
  /** What the page script needs besides the common strings: labels, ids, a time zone. */
  clientData?: Record<string, unknown>;
  /** A one-line confirmation after a save that reloaded the page (`?notice=`). */
  notice?: (typeof NOTICES)[number];
}

function withLang(url: string, lang: Locale): string {
  const parsed = new URL(url, 'http://console.invalid');
  parsed.searchParams.set('lang', lang);
  parsed.searchParams.delete('notice');
  return parsed.pathname + parsed.search;
}

function scriptDataFor(locale: Locale, t: Dictionary, page: PageOptions): string {
  const data = { locale, strings: t.script, common: t.common, interactions: t.interactions, layers: t.layers, page: page.clientData ?? {} };
  // Read by console.js from a JSON data block; `<` is escaped so no text can close the block early.
  return JSON.stringify(data).replaceAll('<', '\\u003c');
}

/** What the layout needs on every page: language, dictionary, who is signed in and what they may open, the page's script. */
function layoutContext(request: FastifyRequest, page: PageOptions) {
  const locale = request.consoleLocale;
  const t = dictionary(locale);
  const other: Locale = locale === 'en' ? 'zh-CN' : 'en';
  return {
    locale,
    t,
    staff: request.staff,
    nav: request.staff ? navItems(request.staff.role, page.section ?? 'customers', t.nav) : [],
    notice: page.notice ? t.common.notices[page.notice] : null,
    pageScript: page.script ?? null,
    langSwitch: { href: withLang(request.url, other), lang: other },
    scriptData: scriptDataFor(locale, t, page),
  };
}

export function renderPage(reply: FastifyReply, template: string, data: { title: string } & Record<string, unknown>, page: PageOptions = {}): FastifyReply {
  return reply.type('text/html; charset=utf-8').view(template, { ...layoutContext(reply.request, page), ...data });
}
