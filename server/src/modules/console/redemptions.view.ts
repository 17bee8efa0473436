import type { RedemptionsPageDto } from '../rewards/rewards.schemas.ts';
import type { Dictionary, Locale } from './console-i18n.ts';
import { formatDateTime } from './format-date-time.util.ts';

const STATUSES = ['reserving', 'charging', 'issued', 'failed'] as const;

export interface RedemptionsInput {
  page: RedemptionsPageDto;
  names: Map<string, string>;
  query: { status?: string; cursor?: string };
  t: Dictionary;
  locale: Locale;
  timeZone: string;
}

function pageHref(status: string | undefined, cursor: string | undefined): string {
  const params = new URLSearchParams();
  if (status) params.set('status', status);
  if (cursor) params.set('cursor', cursor);
  const search = params.toString();
  return search ? `/console/redemptions?${search}` : '/console/redemptions';
}

export function redemptionsView({ page, names, query, t, locale, timeZone }: RedemptionsInput) {
  const text = t.rewards.redemptions;
  const when = (iso: string | null) => formatDateTime(iso, locale, timeZone);
  return {
    title: text.title,
    timeZone,
    statuses: [{ value: '', label: text.any, selected: !query.status }, ...STATUSES.map((value) => ({ value, label: text.statuses[value], selected: value === query.status }))],
    rows: page.items.map((item) => ({
      ...item,
      at: when(item.at),
      statusLabel: text.statuses[item.status],
      customerName: names.get(item.customerId) || t.list.noName,
      customerHref: `/console/customers/${item.customerId}`,
      coupon: item.coupon && {
        ...item.coupon,
        statusLabel: text.couponStatuses[item.coupon.status],
        expires: when(item.coupon.expiresAt),
        used: item.coupon.usedAt ? text.usedAt.replace('{date}', when(item.coupon.usedAt) ?? '') : '',
      },
    })),
    pager:
      page.nextCursor || query.cursor
        ? { next: page.nextCursor ? pageHref(query.status, page.nextCursor) : null, first: query.cursor ? pageHref(query.status, undefined) : null }
        : null,
  };
}

export const redemptionsClientData = (t: Dictionary) => {
  const { verified, notFound, badCode, couponStatuses, usedAt } = t.rewards.redemptions;
  return { verified, notFound, badCode, usedLabel: couponStatuses.used, usedAt };
};
