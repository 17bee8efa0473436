import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { dictionary } from './console-i18n.ts';
import { SECTIONS } from './console-nav.ts';
import { renderPage } from './console-page.ts';
import { HtmlPage, RedemptionsPageQuery, RewardsPageQuery } from './console.schemas.ts';
import { requireConsoleStaff } from './console-session.ts';
import { redemptionsClientData, redemptionsView } from './redemptions.view.ts';
import { rewardsClientData, rewardsView } from './rewards.view.ts';

const PAGE_SIZE = 20;

export async function rewardPages(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const managers = requireConsoleStaff(app, SECTIONS.rewards.permission);

  app.get('/rewards', { onRequest: managers, schema: { hide: true, querystring: RewardsPageQuery, response: { 200: HtmlPage } } }, async (request, reply) => {
    const { cursor, notice } = request.query;
    const [page, settings, brand] = await Promise.all([app.rewards.listRewards({ cursor, limit: PAGE_SIZE }), app.loyalty.getSettings(), app.settings.getBrand()]);
    const t = dictionary(request.consoleLocale);
    const view = rewardsView({ page, cursor, tiers: settings.tiers, t, locale: request.consoleLocale, timeZone: brand.timezone });
    return renderPage(reply, 'rewards', view, { section: 'rewards', script: 'rewards-page.js', clientData: rewardsClientData(t), notice });
  });

  app.get('/redemptions', { onRequest: managers, schema: { hide: true, querystring: RedemptionsPageQuery, response: { 200: HtmlPage } } }, async (request, reply) => {
    const status = request.query.status || undefined;
    const { cursor } = request.query;
    const [page, brand] = await Promise.all([app.rewards.listRedemptions({ status, cursor, limit: PAGE_SIZE }), app.settings.getBrand()]);
    const customerIds = [...new Set(page.items.map((item) => item.customerId))];
    const customers = await Promise.all(customerIds.map((id) => app.customers.get(id)));
    const names = new Map(customers.flatMap((customer) => (customer ? [[String(customer._id), customer.name ?? customer.nickname ?? '']] : [])));
    const t = dictionary(request.consoleLocale);
    const view = redemptionsView({ page, names, query: { status, cursor }, t, locale: request.consoleLocale, timeZone: brand.timezone });
    return renderPage(reply, 'redemptions', view, { section: 'redemptions', script: 'redemptions-page.js', clientData: redemptionsClientData(t) });
  });
}
