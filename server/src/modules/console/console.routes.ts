import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ListSort } from '../customers/customer.service.ts';
import { toCustomerProfile, toCustomerSummary, type DtoContext } from '../customers/customer-dto.util.ts';
import { can } from '../staff/permissions.ts';
import { dictionary } from './console-i18n.ts';
import { renderPage } from './console-page.ts';
import { CustomerListQuery, CustomerPageParams, HtmlPage, PageQuery } from './console.schemas.ts';
import { HOME_PATH, requireConsoleStaff } from './console-session.ts';
import { customer360View } from './customer-360.view.ts';
import { customerListView, listFilter } from './customer-list.view.ts';

const PAGE_SIZE = 20;

export async function consoleRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const read = requireConsoleStaff(app, 'customers:read');

  async function pageContext(request: FastifyRequest) {
    const { lifecycle, timezone } = await app.settings.getBrand();
    const role = request.staff!.role;
    const dto: DtoContext = { now: new Date(), thresholds: lifecycle, revealPhone: can(role, 'customers:phone') };
    return { dto, role, timeZone: timezone, locale: request.consoleLocale, t: dictionary(request.consoleLocale) };
  }

  app.get('/', { onRequest: read, schema: { hide: true, querystring: PageQuery } }, async (_request, reply) => reply.redirect(HOME_PATH));

  app.get(
    '/customers',
    { onRequest: read, schema: { hide: true, querystring: CustomerListQuery, response: { 200: HtmlPage } } },
    async (request, reply) => {
      const { query } = request;
      const [context, page, layerCounts, tagGroups] = await Promise.all([
        pageContext(request),
        app.customers.list({ ...listFilter(query), sort: query.sort as ListSort, cursor: query.cursor, limit: PAGE_SIZE }),
        app.customerLayerStats.countByLayer(),
        app.customers.tagGroups(),
      ]);
      const customers = page.items.map((doc) => toCustomerSummary(doc, context.dto));
      const view = customerListView({ ...context, query, customers, nextCursor: page.nextCursor, layerCounts, tagNames: Object.keys(tagGroups).sort() });
      return renderPage(reply, 'customers', view, { section: 'customers' });
    },
  );

  app.get(
    '/customers/:id',
    { onRequest: read, schema: { hide: true, params: CustomerPageParams, querystring: PageQuery, response: { 200: HtmlPage, 404: HtmlPage } } },
    async (request, reply) => {
      const { id } = request.params;
      const [context, customer, timeline, notes, reminders] = await Promise.all([
        pageContext(request),
        app.customers.get(id),
        app.interactions.page(id, { limit: PAGE_SIZE }),
        app.notes.listNotes(id),
        app.notes.listReminders(id),
      ]);
      if (!customer) return reply.callNotFound();
      const allowed = { tags: can(context.role, 'tags:write'), notes: can(context.role, 'notes:write'), reminders: can(context.role, 'reminders:write') };
      const profile = toCustomerProfile(customer, context.dto);
      const view = customer360View({ ...context, profile, timeline, notes, reminders, allowed, now: context.dto.now });
      return renderPage(reply, 'customer', view, { section: 'customers', script: 'customer-page.js' });
    },
  );
}
