import { DomainError, type FieldError } from '../../lib/errors.ts';
import { DEFAULT_LOYALTY_SETTINGS, type LoyaltySettings } from './loyalty-settings.schemas.ts';
import type { LoyaltyModels } from './models.ts';

const ID = 'loyalty';
const CACHE_MS = 5000;

function ruleErrors(settings: LoyaltySettings): FieldError[] {
  const errors: FieldError[] = [];
  const { tiers } = settings;
  if (tiers[0].threshold !== 0) errors.push({ path: '/body/tiers/0/threshold', message: 'the first tier starts at 0' });
  tiers.forEach((tier, index) => {
    if (index > 0 && tier.threshold <= tiers[index - 1].threshold) {
      errors.push({ path: `/body/tiers/${index}/threshold`, message: 'thresholds must increase' });
    }
    if (tiers.findIndex((other) => other.code === tier.code) !== index) {
      errors.push({ path: `/body/tiers/${index}/code`, message: 'tier codes must be unique' });
    }
  });
  return errors;
}

export function createLoyaltySettingsService({ LoyaltySettings }: LoyaltyModels) {
  let cache: { value: LoyaltySettings; until: number } | null = null;

  async function getSettings(): Promise<LoyaltySettings> {
    if (cache && cache.until > Date.now()) return cache.value;
    const doc = await LoyaltySettings.findById(ID).lean();
    const value = { ...DEFAULT_LOYALTY_SETTINGS, ...((doc?.value as Partial<LoyaltySettings> | undefined) ?? {}) };
    cache = { value, until: Date.now() + CACHE_MS };
    return value;
  }

  /** Replaces the given sections; returns before and after for the audit log. */
  async function updateSettings(change: Partial<LoyaltySettings>): Promise<{ before: LoyaltySettings; after: LoyaltySettings }> {
    const before = await getSettings();
    const after = { ...before, ...change };
    const errors = ruleErrors(after);
    if (errors.length) throw new DomainError('VALIDATION_FAILED', 'loyalty settings are inconsistent', errors);
    await LoyaltySettings.updateOne({ _id: ID }, { $set: { value: after } }, { upsert: true });
    cache = null;
    return { before, after };
  }

  return { getSettings, updateSettings };
}

export type LoyaltySettingsService = ReturnType<typeof createLoyaltySettingsService>;
