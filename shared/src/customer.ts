/** Relationship layers, weakest first: the field's model of how strongly a person is connected to the brand. */
export const LAYERS = ['visitor', 'guest', 'fan', 'friend', 'customer', 'member'] as const;
export type Layer = (typeof LAYERS)[number];

export const LIFECYCLE_STAGES = ['new', 'active', 'at-risk', 'churned'] as const;
export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];

export const IDENTITY_TYPES = ['bot', 'oa', 'mp', 'wecom', 'import'] as const;
export type IdentityType = (typeof IDENTITY_TYPES)[number];

export const CONSENT_CHANNELS = ['bot', 'oa', 'mp', 'sms'] as const;
export type ConsentChannel = (typeof CONSENT_CHANNELS)[number];

export const GENDERS = ['male', 'female', 'unknown'] as const;
export type Gender = (typeof GENDERS)[number];

/** The Chinese names people see, wherever they see them: console pages, CSV exports, the mini-program. */
export const LAYER_NAMES_ZH: Record<Layer, string> = { visitor: '访客', guest: '互动客', fan: '粉丝', friend: '好友', customer: '客户', member: '会员' };
export const LIFECYCLE_NAMES_ZH: Record<LifecycleStage, string> = { new: '新客', active: '活跃', 'at-risk': '沉睡风险', churned: '流失' };
export const GENDER_NAMES_ZH: Record<Gender, string> = { male: '男', female: '女', unknown: '未知' };

export function layerRank(layer: Layer): number {
  return LAYERS.indexOf(layer);
}

export function strongerLayer(a: Layer, b: Layer): Layer {
  return layerRank(a) >= layerRank(b) ? a : b;
}
