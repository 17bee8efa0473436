import type { MpCardReply, MpJoinBody, MpJoinReply } from '../../../../shared/src/mp-api.ts';
import { DomainError } from '../../lib/errors.ts';
import type { CustomerService } from '../customers/customer.service.ts';
import type { InteractionService } from '../customers/interaction.service.ts';
import type { LoyaltyService } from '../loyalty/loyalty.service.ts';
import { toCardSummary } from './consumer-dto.util.ts';
import type { ConsumerService } from './consumer.service.ts';
import type { MemberCodes } from './member-code.service.ts';
import type { WechatClient, WechatPhone } from './wechat-client.ts';

/** The slice of the rewards module that joining uses; the module is optional. */
export interface ReferralPort {
  applyReferral(input: { inviteeCustomerId: string; referralCode: string }): Promise<unknown>;
}

export interface MembershipDeps {
  wechat: WechatClient;
  customers: CustomerService;
  interactions: InteractionService;
  consumers: ConsumerService;
  loyalty: LoyaltyService;
  memberCodes: MemberCodes;
  /** Looked up per call: the rewards module may be registered after this one, or not at all. */
  referrals(): ReferralPort | null;
}

const storedPhone = (phone: WechatPhone) => (phone.countryCode === '86' || !phone.countryCode ? phone.purePhoneNumber : `+${phone.countryCode}${phone.purePhoneNumber}`);

/** Joining the loyalty program from the mini-program, and the member card. */
export function createMembershipService(deps: MembershipDeps) {
  async function applyReferral(inviteeCustomerId: string, referralCode: string): Promise<MpJoinReply['referral']> {
    const referrals = deps.referrals();
    if (!referrals) return 'refused';
    try {
      await referrals.applyReferral({ inviteeCustomerId, referralCode });
      return 'applied';
    } catch (error) {
      // A bad invite code must not undo the join: the member keeps the card, the code is refused.
      if (error instanceof DomainError && error.statusCode < 500) return 'refused';
      throw error;
    }
  }

  /**
   * Every step is idempotent, so a retry after a failure finishes the join. The phone exchange comes first:
   * when WeChat refuses the code, nothing is stored.
   */
  async function join(customerId: string, body: MpJoinBody): Promise<MpJoinReply> {
    const customer = await deps.consumers.current(customerId);
    const phone = await deps.wechat.getPhoneNumber(body.phoneCode);
    await deps.customers.update(customerId, { phone: storedPhone(phone) });
    await deps.interactions.append({
      customerId,
      type: 'profile_updated',
      channel: 'mp',
      summary: `accepted member terms ${body.termsVersion}`,
      data: { event: 'terms_accepted', termsVersion: body.termsVersion, acceptedAt: new Date().toISOString() },
      sourceKey: `mp-terms:${customerId}:${body.termsVersion}`,
    });
    if (body.marketingConsent !== undefined && body.consentWordingVersion) {
      await deps.customers.setConsent(customerId, {
        channel: 'mp',
        status: body.marketingConsent ? 'granted' : 'withdrawn',
        method: 'mp-join',
        wordingVersion: body.consentWordingVersion,
      });
    }
    const enrolled = await deps.loyalty.enroll({ customerId });
    // Only a first join counts as an invitation accepted; an existing member cannot attach a code later.
    const referral = body.referralCode && enrolled.created ? await applyReferral(customerId, body.referralCode) : 'none';
    return {
      customer: { id: customerId, nickname: customer.nickname ?? null, isMember: true },
      cardNumber: enrolled.cardNumber,
      joinedAt: enrolled.joinedAt.toISOString(),
      created: enrolled.created,
      referral,
    };
  }

  async function card(customerId: string): Promise<MpCardReply> {
    const member = await deps.loyalty.getMember(customerId);
    if (!member) throw new DomainError('NOT_A_MEMBER');
    return { ...toCardSummary(member), memberCode: await deps.memberCodes.display(customerId) };
  }

  return { join, card };
}

export type MembershipService = ReturnType<typeof createMembershipService>;
