import type { Connection } from 'mongoose';
import { createCheckinModel } from './checkin.model.ts';
import { createLoyaltySettingsModel } from './loyalty-settings.model.ts';
import { createMemberModel } from './member.model.ts';
import { createPointsEntryModel } from './points-ledger.model.ts';

/** The collections the loyalty feature owns; other features go through `fastify.loyalty`. */
export function createLoyaltyModels(db: Connection) {
  return {
    Member: createMemberModel(db),
    PointsEntry: createPointsEntryModel(db),
    Checkin: createCheckinModel(db),
    LoyaltySettings: createLoyaltySettingsModel(db),
  };
}

export type LoyaltyModels = ReturnType<typeof createLoyaltyModels>;
