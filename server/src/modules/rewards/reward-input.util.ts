import type { RewardChange, RewardInput } from './catalog.service.ts';
import type { CreateRewardBody, UpdateRewardBody } from './rewards.schemas.ts';

const toDate = (value: string | null | undefined) => (value === undefined ? undefined : value === null ? null : new Date(value));

/** A request body with its ISO dates as Dates; fields left out stay out, so a change touches only what was sent. */
export function toRewardFields<Body extends CreateRewardBody | UpdateRewardBody>(body: Body): Body extends CreateRewardBody ? RewardInput : RewardChange {
  const fields: Record<string, unknown> = { ...body };
  for (const key of ['validFrom', 'validTo'] as const) {
    if (key in body) fields[key] = toDate(body[key]);
  }
  return fields as Body extends CreateRewardBody ? RewardInput : RewardChange;
}
