import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { can } from '../staff/permissions.ts';
import { dictionary } from './console-i18n.ts';
import { SECTIONS } from './console-nav.ts';
import { renderPage } from './console-page.ts';
import { HtmlPage, NoticeQuery } from './console.schemas.ts';
import { requireConsoleStaff } from './console-session.ts';
import { rulesClientData, rulesView } from './rules.view.ts';

export async function rulePages(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const editors = requireConsoleStaff(app, SECTIONS.rules.permission);

  app.get('/rules', { onRequest: editors, schema: { hide: true, querystring: NoticeQuery, response: { 200: HtmlPage } } }, async (request, reply) => {
    const mayConfigureBots = can(request.staff!.role, 'bots:manage');
    const [rules, botSettings] = await Promise.all([app.botRules.list(), mayConfigureBots ? app.botSettings.get() : null]);
    const t = dictionary(request.consoleLocale);
    const page = { section: 'rules', script: 'rules-page.js', clientData: rulesClientData(t), notice: request.query.notice } as const;
    return renderPage(reply, 'rules', rulesView({ rules, botSettings, t }), page);
  });
}
