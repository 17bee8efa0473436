import { DomainError } from '../../lib/errors.ts';
import { DEFAULT_BOT_SETTINGS, type BotSettings } from './bots.schemas.ts';
import type { BotModels } from './models.ts';

const ID = 'bots';
const CACHE_MS = 5000;

export function createBotSettingsService({ BotSettings }: BotModels) {
  let cache: { value: BotSettings; until: number } | null = null;

  async function get(): Promise<BotSettings> {
    if (cache && cache.until > Date.now()) return cache.value;
    const doc = await BotSettings.findById(ID).lean();
    const stored = (doc?.value ?? {}) as Partial<BotSettings>;
    const value: BotSettings = {
      throttle: { ...DEFAULT_BOT_SETTINGS.throttle, ...stored.throttle },
      autoAcceptFriends: stored.autoAcceptFriends ?? DEFAULT_BOT_SETTINGS.autoAcceptFriends,
      autoReply: { ...DEFAULT_BOT_SETTINGS.autoReply, ...stored.autoReply },
    };
    cache = { value, until: Date.now() + CACHE_MS };
    return value;
  }

  /** Takes effect for bots at their next connection (the welcome frame carries the throttle). */
  async function update(next: BotSettings): Promise<{ before: BotSettings; after: BotSettings }> {
    if (next.throttle.proactiveMinGapMs > next.throttle.proactiveMaxGapMs) {
      throw new DomainError('VALIDATION_FAILED', 'proactive gaps out of order', [
        { path: '/body/throttle/proactiveMaxGapMs', message: 'must be at least proactiveMinGapMs' },
      ]);
    }
    const before = await get();
    await BotSettings.updateOne({ _id: ID }, { $set: { value: next } }, { upsert: true });
    cache = null;
    return { before, after: next };
  }

  return { get, update };
}

export type BotSettingsService = ReturnType<typeof createBotSettingsService>;
