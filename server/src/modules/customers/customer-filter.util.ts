import type { Layer, LifecycleStage } from '../../../../shared/src/customer.ts';
import { lifecycleFilter, type LifecycleThresholds } from './lifecycle.util.ts';
import { normalizePhone } from './phone.util.ts';

export interface CustomerFilter {
  q?: string;
  tags?: string[];
  layer?: Layer[];
  lifecycle?: LifecycleStage;
  province?: string;
  city?: string;
  createdFrom?: string;
  createdTo?: string;
  activeFrom?: string;
  activeTo?: string;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function range(from?: string, to?: string): Record<string, Date> | undefined {
  if (!from && !to) return undefined;
  return { ...(from ? { $gte: new Date(from) } : {}), ...(to ? { $lte: new Date(to) } : {}) };
}

/** Compiles the whitelisted list filters into a query; every value is already typed by the route schema. */
export function compileCustomerFilter(filter: CustomerFilter, now: Date, thresholds: LifecycleThresholds): Record<string, unknown> {
  const and: Record<string, unknown>[] = [{ mergedInto: null }];
  if (filter.q) {
    const pattern = new RegExp(escapeRegex(filter.q.trim()), 'i');
    const phone = normalizePhone(filter.q);
    and.push({ $or: [{ name: pattern }, { nickname: pattern }, { remark: pattern }, ...(phone ? [{ phone }] : [])] });
  }
  if (filter.tags?.length) and.push(filter.tags.length === 1 ? { tags: filter.tags[0] } : { tags: { $all: filter.tags } });
  if (filter.layer?.length) and.push({ layer: { $in: filter.layer } });
  if (filter.lifecycle) and.push(lifecycleFilter(filter.lifecycle, now, thresholds));
  if (filter.province) and.push({ 'region.province': filter.province });
  if (filter.city) and.push({ 'region.city': filter.city });
  const created = range(filter.createdFrom, filter.createdTo);
  if (created) and.push({ createdAt: created });
  const active = range(filter.activeFrom, filter.activeTo);
  if (active) and.push({ lastActiveAt: active });
  return and.length === 1 ? and[0] : { $and: and };
}
