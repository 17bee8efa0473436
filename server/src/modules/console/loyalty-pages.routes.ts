import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { toLedgerEntryDto, toMemberCardDto } from '../loyalty/loyalty-dto.util.ts';
import { can } from '../staff/permissions.ts';
import { dictionary } from './console-i18n.ts';
import { SECTIONS } from './console-nav.ts';
import { renderPage } from './console-page.ts';
import { HtmlPage, MemberPageParams, NoticeQuery, PageQuery } from './console.schemas.ts';
import { requireConsoleStaff } from './console-session.ts';
import { loyaltySettingsView } from './loyalty-settings.view.ts';
import { memberClientData, memberView } from './member.view.ts';

const LEDGER_PAGE = 20;

export async function loyaltyPages(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const managers = requireConsoleStaff(app, SECTIONS.members.permission);

  app.get('/loyalty/settings', { onRequest: managers, schema: { hide: true, querystring: NoticeQuery, response: { 200: HtmlPage } } }, async (request, reply) => {
    const t = dictionary(request.consoleLocale);
    const view = loyaltySettingsView({ settings: await app.loyalty.getSettings(), t });
    return renderPage(reply, 'loyalty-settings', view, { section: 'loyaltySettings', script: 'loyalty-settings-page.js', notice: request.query.notice });
  });

  app.get('/loyalty/members', { onRequest: managers, schema: { hide: true, querystring: PageQuery, response: { 200: HtmlPage } } }, async (request, reply) => {
    const t = dictionary(request.consoleLocale);
    return renderPage(reply, 'members', { title: t.loyalty.members.title }, { section: 'members', script: 'member-page.js', clientData: memberClientData(t, []) });
  });

  app.get(
    '/loyalty/members/:customerId',
    { onRequest: managers, schema: { hide: true, params: MemberPageParams, querystring: PageQuery, response: { 200: HtmlPage, 404: HtmlPage } } },
    async (request, reply) => {
      const { customerId } = request.params;
      const [member, customer, ledger, settings, brand] = await Promise.all([
        app.loyalty.getMember(customerId),
        app.customers.get(customerId),
        app.loyalty.ledger({ customerId, limit: LEDGER_PAGE }),
        app.loyalty.getSettings(),
        app.settings.getBrand(),
      ]);
      if (!member || !customer) return reply.callNotFound();
      const t = dictionary(request.consoleLocale);
      const view = memberView({
        card: toMemberCardDto(member),
        displayName: customer.name ?? customer.nickname ?? t.list.noName,
        ledger: { items: ledger.items.map(toLedgerEntryDto), nextCursor: ledger.nextCursor },
        tiers: settings.tiers,
        mayAdjust: can(request.staff!.role, 'loyalty:manage'),
        t,
        locale: request.consoleLocale,
        timeZone: brand.timezone,
      });
      return renderPage(reply, 'member', view, { section: 'members', script: 'member-page.js', clientData: memberClientData(t, settings.tiers) });
    },
  );
}
