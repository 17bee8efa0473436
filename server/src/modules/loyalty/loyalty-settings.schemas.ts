import { Type, type Static } from 'typebox';
import { StrictObject } from '../../../../shared/src/schema.ts';

const Points = (description: string) => Type.Integer({ minimum: 0, maximum: 1_000_000, description });

export const TierSchema = StrictObject({
  code: Type.String({ pattern: '^[a-z][a-z0-9_-]{0,19}$', description: 'stable identifier, e.g. gold' }),
  name: Type.String({ minLength: 1, maxLength: 20 }),
  threshold: Type.Integer({ minimum: 0, maximum: 100_000_000, description: 'lifetime points needed' }),
  multiplier: Type.Number({ minimum: 1, maximum: 10, description: 'purchase points multiplier, counted to 0.01' }),
});

export const LoyaltySettingsSchema = StrictObject({
  checkinCycle: Type.Array(Points('points for this day of the streak cycle'), {
    minItems: 1,
    maxItems: 31,
    description: 'points for day 1…N of a streak; after day N the cycle starts again',
  }),
  makeupCost: Points('points a make-up check-in (补签) costs'),
  makeupPerMonth: Type.Integer({ minimum: 0, maximum: 31 }),
  tiers: Type.Array(TierSchema, { minItems: 1, maxItems: 10, description: 'ascending thresholds, the first at 0' }),
  pointsPerYuan: Type.Number({ minimum: 0, maximum: 100, description: 'purchase points per yuan, counted to 0.01' }),
  returnWindowDays: Type.Integer({ minimum: 0, maximum: 90, description: 'purchase points stay frozen this long' }),
  expiryMonths: Type.Integer({ minimum: 0, maximum: 120, description: 'points expire at the end of the Nth month after earning; 0 never' }),
  referralInviterPoints: Points('points for the member who invited'),
  referralInviteePoints: Points('points for the member who joined by invitation'),
});

export type LoyaltySettings = Static<typeof LoyaltySettingsSchema>;
export type Tier = Static<typeof TierSchema>;

export const DEFAULT_LOYALTY_SETTINGS: LoyaltySettings = {
  checkinCycle: [5, 5, 10, 5, 5, 10, 30],
  makeupCost: 20,
  makeupPerMonth: 2,
  tiers: [
    { code: 'regular', name: '普通会员', threshold: 0, multiplier: 1 },
    { code: 'silver', name: '银卡', threshold: 1000, multiplier: 1.2 },
    { code: 'gold', name: '金卡', threshold: 5000, multiplier: 1.5 },
    { code: 'diamond', name: '钻石', threshold: 20000, multiplier: 2 },
  ],
  pointsPerYuan: 1,
  returnWindowDays: 7,
  expiryMonths: 12,
  referralInviterPoints: 100,
  referralInviteePoints: 50,
};
