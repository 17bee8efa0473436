import type { MpConsentState, MpMeReply } from '../../../../shared/src/mp-api.ts';
import type { CustomerRecord } from '../customers/customer-dto.util.ts';
import { maskPhone } from '../customers/phone.util.ts';

/** What the consumer sees of their own record: no identities, unionid, tags or staff notes. */
export function toMe(customer: CustomerRecord, isMember: boolean): MpMeReply {
  const consent = customer.consents?.find((entry) => entry.channel === 'mp');
  const state: MpConsentState = {
    marketing: consent?.status === 'granted',
    wordingVersion: consent?.wordingVersion ?? null,
    at: consent?.at ? consent.at.toISOString() : null,
  };
  return {
    id: String(customer._id),
    nickname: customer.nickname ?? null,
    avatarUrl: customer.avatarUrl ?? null,
    phone: customer.phone ? maskPhone(customer.phone) : null,
    isMember,
    consent: state,
  };
}
