import { Type, type Static } from 'typebox';
import { StrictObject } from '../../../../shared/src/schema.ts';

export const BrandSettingsSchema = StrictObject({
  brandName: Type.String({ minLength: 1, maxLength: 60 }),
  timezone: Type.String({ minLength: 1, maxLength: 60, pattern: '^[A-Za-z_]+(/[A-Za-z0-9_+-]+)*$' }),
  lifecycle: StrictObject({
    newDays: Type.Integer({ minimum: 1, maximum: 365, description: 'a customer is new for this many days after first contact' }),
    activeDays: Type.Integer({ minimum: 1, maximum: 365, description: 'active while the last activity is at most this old' }),
    churnDays: Type.Integer({ minimum: 2, maximum: 3650, description: 'churned once the last activity is older than this' }),
  }),
  tagGroups: Type.Array(Type.String({ minLength: 1, maxLength: 20 }), { maxItems: 50, uniqueItems: true }),
});

export type BrandSettings = Static<typeof BrandSettingsSchema>;

export const DEFAULT_BRAND_SETTINGS: BrandSettings = {
  brandName: '私域示例品牌',
  timezone: 'Asia/Shanghai',
  lifecycle: { newDays: 7, activeDays: 30, churnDays: 90 },
  tagGroups: ['兴趣', '价值', '来源'],
};
