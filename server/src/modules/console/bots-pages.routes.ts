import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { toBotDto } from '../bots/bots.service.ts';
import { botsClientData, botsView } from './bots.view.ts';
import { dictionary } from './console-i18n.ts';
import { SECTIONS } from './console-nav.ts';
import { renderPage } from './console-page.ts';
import { HtmlPage, IdPageParams, PageQuery } from './console.schemas.ts';
import { requireConsoleStaff } from './console-session.ts';
import { loginQrDataUrl } from './login-qr.util.ts';

const REFRESH_MS = 3000;
const QrImage = Type.Object({ dataUrl: Type.Union([Type.String(), Type.Null()]) });

export async function botPages(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const admin = requireConsoleStaff(app, SECTIONS.bots.permission);

  app.get('/bots', { onRequest: admin, schema: { hide: true, querystring: PageQuery, response: { 200: HtmlPage } } }, async (request, reply) => {
    const [bots, { timezone }] = await Promise.all([app.bots.list(), app.settings.getBrand()]);
    const scanning = bots.filter((bot) => bot.status === 'scanning' && bot.qrcode && !bot.revokedAt);
    const qrImages = new Map(await Promise.all(scanning.map(async (bot) => [bot.id, await loginQrDataUrl(bot.qrcode!)] as const)));
    const t = dictionary(request.consoleLocale);
    const view = botsView({ bots, qrImages, t, locale: request.consoleLocale, timeZone: timezone });
    return renderPage(reply, 'bots', view, { section: 'bots', script: 'bots-page.js', clientData: botsClientData(t, REFRESH_MS) });
  });

  // The page refreshes from /api/bots, which carries the QR code's content; this draws a new one as an image.
  app.get(
    '/bots/:id/qrcode',
    { onRequest: admin, schema: { hide: true, params: IdPageParams, response: { 200: QrImage } } },
    async (request, reply) => {
      const record = await app.bots.get(request.params.id);
      if (!record) return reply.callNotFound();
      const bot = toBotDto(record);
      return { dataUrl: bot.status === 'scanning' && bot.qrcode && !bot.revokedAt ? await loginQrDataUrl(bot.qrcode) : null };
    },
  );
}
