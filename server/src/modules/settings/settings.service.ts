import type { Connection } from 'mongoose';
import { DomainError } from '../../lib/errors.ts';
import { createSettingsModel } from './settings.model.ts';
import { DEFAULT_BRAND_SETTINGS, type BrandSettings } from './settings.schemas.ts';

const BRAND = 'brand';
const CACHE_MS = 5000;

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return true;
  } catch {
    return false;
  }
}

export function createSettingsService(db: Connection) {
  const Settings = createSettingsModel(db);
  let cache: { value: BrandSettings; until: number } | null = null;

  async function getBrand(): Promise<BrandSettings> {
    if (cache && cache.until > Date.now()) return cache.value;
    const doc = await Settings.findById(BRAND).lean();
    const value = { ...DEFAULT_BRAND_SETTINGS, ...((doc?.value as Partial<BrandSettings> | undefined) ?? {}) };
    cache = { value, until: Date.now() + CACHE_MS };
    return value;
  }

  async function updateBrand(next: BrandSettings): Promise<{ before: BrandSettings; after: BrandSettings }> {
    if (!isValidTimeZone(next.timezone)) {
      throw new DomainError('VALIDATION_FAILED', 'unknown time zone', [{ path: '/body/timezone', message: 'not an IANA time zone' }]);
    }
    const { newDays, activeDays, churnDays } = next.lifecycle;
    if (!(activeDays < churnDays) || newDays > churnDays) {
      throw new DomainError('VALIDATION_FAILED', 'lifecycle thresholds out of order', [
        { path: '/body/lifecycle/churnDays', message: 'must be greater than activeDays and newDays' },
      ]);
    }
    const before = await getBrand();
    await Settings.updateOne({ _id: BRAND }, { $set: { value: next } }, { upsert: true });
    cache = null;
    return { before, after: next };
  }

  return { getBrand, updateBrand };
}

export type SettingsService = ReturnType<typeof createSettingsService>;
