import type { BotDto } from '../bots/bots.schemas.ts';
import type { BotStatusKey } from './bots.i18n.ts';
import type { Dictionary, Locale } from './console-i18n.ts';
import { formatDateTime } from './format-date-time.util.ts';

export interface BotsInput {
  bots: BotDto[];
  /** Login QR images of the bots waiting for a scan, by bot id. */
  qrImages: Map<string, string>;
  t: Dictionary;
  locale: Locale;
  timeZone: string;
}

/** Mirrored by updateRow() in assets/bots-page.js, which applies the same rules to each refresh. */
function botRow(bot: BotDto, qrDataUrl: string | null, t: Dictionary, when: (iso: string | null) => string | null) {
  const status: BotStatusKey = bot.revokedAt ? 'revoked' : bot.status;
  return {
    id: bot.id,
    name: bot.name,
    status,
    statusLabel: t.bots.statuses[status],
    revoked: Boolean(bot.revokedAt),
    online: bot.online,
    onlineLabel: bot.online ? t.bots.online : t.bots.offline,
    account: bot.account ? bot.account.name || bot.account.id : t.bots.noAccount,
    since: when(bot.statusSince),
    lastSeen: when(bot.lastSeenAt) ?? t.common.never,
    error: bot.status === 'error' ? bot.error : null,
    qrcode: status === 'scanning' ? (bot.qrcode ?? '') : '',
    qrDataUrl: status === 'scanning' ? qrDataUrl : null,
    revokeConfirm: t.bots.revokeConfirm.replace('{name}', bot.name),
  };
}

export function botsView({ bots, qrImages, t, locale, timeZone }: BotsInput) {
  const when = (iso: string | null) => formatDateTime(iso, locale, timeZone);
  return {
    title: t.bots.title,
    timeZone,
    rows: bots.map((bot) => botRow(bot, qrImages.get(bot.id) ?? null, t, when)),
  };
}

/** What bots-page.js needs to render a refresh the way the server renders the page. */
export function botsClientData(t: Dictionary, refreshMs: number) {
  const { statuses, online, offline, noAccount, revokeConfirm, refreshFailed, autoRefresh } = t.bots;
  return { statuses, online, offline, noAccount, never: t.common.never, revokeConfirm, refreshFailed, autoRefresh, refreshMs };
}
