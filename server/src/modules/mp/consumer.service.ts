import { DomainError } from '../../lib/errors.ts';
import type { CustomerService } from '../customers/customer.service.ts';
import type { MergeService } from '../customers/merge.service.ts';
import type { MpConsentBody, MpLoginReply, MpMeReply } from '../../../../shared/src/mp-api.ts';
import type { ConsumerTokens } from './consumer-token.service.ts';
import { toMe } from './consumer-dto.util.ts';
import type { WechatClient } from './wechat-client.ts';

export interface ConsumerServiceDeps {
  wechat: WechatClient;
  tokens: ConsumerTokens;
  customers: CustomerService;
  customerMerge: MergeService;
  isMember(customerId: string): Promise<boolean>;
}

/** Signing in from the mini-program and the consumer's own profile. */
export function createConsumerService(deps: ConsumerServiceDeps) {
  async function login(code: string): Promise<MpLoginReply> {
    const session = await deps.wechat.code2Session(code);
    const customer = await deps.customerMerge.identify({
      identity: { type: 'mp', accountId: session.appId, externalId: session.openId },
      unionId: session.unionId,
    });
    const customerId = String(customer._id);
    await deps.customers.raiseLayer(customerId, 'guest', 'mini-program login');
    await deps.customers.touch(customerId);
    const [{ token, expiresAt }, isMember] = await Promise.all([deps.tokens.issue(customerId), deps.isMember(customerId)]);
    return { token, expiresAt: expiresAt.toISOString(), customer: { id: customerId, nickname: customer.nickname ?? null, isMember } };
  }

  /**
   * The token's customer, which may have been merged into another record since the token was issued (a
   * unionid seen on another channel): signing in again resolves to the surviving record.
   */
  async function current(customerId: string) {
    const customer = await deps.customers.get(customerId);
    if (!customer) throw new DomainError('UNAUTHENTICATED', 'this account changed; sign in again');
    return customer;
  }

  async function me(customerId: string): Promise<MpMeReply> {
    const [customer, isMember] = await Promise.all([current(customerId), deps.isMember(customerId)]);
    return toMe(customer, isMember);
  }

  async function setMarketingConsent(customerId: string, body: MpConsentBody, method: string): Promise<MpMeReply> {
    await current(customerId);
    const updated = await deps.customers.setConsent(customerId, {
      channel: 'mp',
      status: body.marketing ? 'granted' : 'withdrawn',
      method,
      wordingVersion: body.wordingVersion,
    });
    if (!updated) throw new DomainError('UNAUTHENTICATED', 'this account changed; sign in again');
    return toMe(updated, await deps.isMember(customerId));
  }

  return { login, current, me, setMarketingConsent };
}

export type ConsumerService = ReturnType<typeof createConsumerService>;
