import type { ContactInfo } from '../../../../shared/src/bot-protocol.ts';
import type { ProfileFields } from '../customers/customer.service.ts';

interface KnownProfile {
  nickname?: string | null;
  remark?: string | null;
  avatarUrl?: string | null;
  gender?: string | null;
  region?: { province?: string | null; city?: string | null } | null;
}

/** The profile fields a WeChat contact card carries, and of those only what differs from what we know. */
export function contactProfileChanges(contact: ContactInfo, known: KnownProfile | null): ProfileFields {
  const changes: ProfileFields = {};
  if (contact.name && contact.name !== known?.nickname) changes.nickname = contact.name;
  if (contact.alias && contact.alias !== known?.remark) changes.remark = contact.alias;
  if (contact.avatarUrl && contact.avatarUrl !== known?.avatarUrl) changes.avatarUrl = contact.avatarUrl;
  // WeChat reports "unknown" for hidden fields: it never erases what we know.
  if (contact.gender && contact.gender !== 'unknown' && contact.gender !== known?.gender) changes.gender = contact.gender;
  const region: NonNullable<ProfileFields['region']> = {};
  if (contact.province && contact.province !== known?.region?.province) region.province = contact.province;
  if (contact.city && contact.city !== known?.region?.city) region.city = contact.city;
  if (Object.keys(region).length) changes.region = region;
  return changes;
}
