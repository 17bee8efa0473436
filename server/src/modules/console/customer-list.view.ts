import type { Static } from 'typebox';
import { LAYERS, LIFECYCLE_STAGES, type Layer, type LifecycleStage } from '../../../../shared/src/customer.ts';
import type { CustomerFilter } from '../customers/customer-filter.util.ts';
import type { toCustomerSummary } from '../customers/customer-dto.util.ts';
import type { LayerCounts } from '../customers/layer-stats.service.ts';
import type { Dictionary, Locale } from './console-i18n.ts';
import { HOME_PATH } from './console-session.ts';
import { LIST_SORTS, type CustomerListQuery } from './console.schemas.ts';
import { formatDateTime } from './format-date-time.util.ts';
import { layerBars } from './layer-chart.util.ts';

export type ListQuery = Static<typeof CustomerListQuery>;
type CustomerSummary = ReturnType<typeof toCustomerSummary>;

const LINK_KEYS = ['q', 'tag', 'layer', 'lifecycle', 'province', 'sort', 'cursor'] as const;

/** The form's filters as the customer service takes them; blank fields filter nothing. */
export function listFilter(query: ListQuery): CustomerFilter {
  return {
    q: query.q?.trim() || undefined,
    tags: query.tag ? [query.tag] : undefined,
    layer: query.layer ? [query.layer as Layer] : undefined,
    lifecycle: (query.lifecycle || undefined) as LifecycleStage | undefined,
    province: query.province?.trim() || undefined,
  };
}

export function listHref(query: Partial<ListQuery>): string {
  const params = new URLSearchParams();
  for (const key of LINK_KEYS) {
    const value = query[key];
    if (value && !(key === 'sort' && value === 'newest')) params.set(key, String(value));
  }
  const search = params.toString();
  return search ? `${HOME_PATH}?${search}` : HOME_PATH;
}

function choices(values: readonly string[], labels: Record<string, string>, selected: string | undefined, anyLabel?: string) {
  const listed = values.map((value) => ({ value, label: labels[value], selected: value === selected }));
  return anyLabel ? [{ value: '', label: anyLabel, selected: !selected }, ...listed] : listed;
}

function customerRow(summary: CustomerSummary, t: Dictionary, locale: Locale, timeZone: string) {
  return {
    href: `${HOME_PATH}/${summary.id}`,
    displayName: summary.name ?? summary.nickname ?? t.list.noName,
    secondary: summary.name && summary.nickname ? summary.nickname : null,
    phone: summary.phone,
    layer: summary.layer,
    layerLabel: t.layers[summary.layer as Layer] ?? summary.layer,
    lifecycle: summary.lifecycle,
    lifecycleLabel: t.lifecycle[summary.lifecycle],
    region: [summary.region.province, summary.region.city].filter(Boolean).join(' '),
    tags: summary.tags,
    lastActive: formatDateTime(summary.lastActiveAt, locale, timeZone) ?? t.list.never,
  };
}

export interface CustomerListInput {
  query: ListQuery;
  customers: CustomerSummary[];
  nextCursor: string | null;
  layerCounts: LayerCounts;
  tagNames: string[];
  t: Dictionary;
  locale: Locale;
  timeZone: string;
}

export function customerListView({ query, customers, nextCursor, layerCounts, tagNames, t, locale, timeZone }: CustomerListInput) {
  const filter = listFilter(query);
  const sortLabels = { newest: t.list.sortNewest, oldest: t.list.sortOldest, lastActive: t.list.sortLastActive };
  const chart = layerBars(layerCounts, t.layers);
  return {
    title: t.list.title,
    filters: {
      q: query.q ?? '',
      tag: query.tag ?? '',
      province: query.province ?? '',
      layers: choices(LAYERS, t.layers, query.layer, t.list.any),
      lifecycles: choices(LIFECYCLE_STAGES, t.lifecycle, query.lifecycle, t.list.any),
      sorts: choices(LIST_SORTS, sortLabels, query.sort),
      active: Object.values(filter).some((value) => value !== undefined),
    },
    tagNames,
    rows: customers.map((summary) => customerRow(summary, t, locale, timeZone)),
    pager:
      nextCursor || query.cursor
        ? { next: nextCursor ? listHref({ ...query, cursor: nextCursor }) : null, first: query.cursor ? listHref({ ...query, cursor: undefined }) : null }
        : null,
    chart: {
      bars: chart.bars.map((bar) => ({ ...bar, href: listHref({ layer: bar.layer }), current: bar.layer === query.layer })),
      total: t.list.chartTotal.replace('{count}', String(chart.total)),
    },
  };
}
