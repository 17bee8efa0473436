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

export function layerRank(layer: Layer): number {
  return LAYERS.indexOf(layer);
}

export function strongerLayer(a: Layer, b: Layer): Layer {
  return layerRank(a) >= layerRank(b) ? a : b;
}
