import type { FastifyInstance, onRequestAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import type { AppConfig } from '../../config.ts';
import { checkinRoutes } from './checkins.routes.ts';
import { createConsumerAuthenticator, type ConsumerIdentity } from './consumer-auth.ts';
import { createConsumerTokens, type ConsumerTokens } from './consumer-token.service.ts';
import { createConsumerService, type ConsumerService } from './consumer.service.ts';
import { createMemberCodes, type MemberCodes } from './member-code.service.ts';
import { membershipRoutes } from './membership.routes.ts';
import { createMembershipService, type MembershipService, type ReferralPort } from './membership.service.ts';
import { profileRoutes } from './profile.routes.ts';
import { scanRoutes } from './scan.routes.ts';
import { createScanService, type ScanService } from './scan.service.ts';
import { sessionRoutes } from './session.routes.ts';
import { createSubscriptionModel } from './subscription.model.ts';
import { createSubscriptionService, type SubscriptionService } from './subscription.service.ts';
import { subscriptionRoutes } from './subscriptions.routes.ts';
import { createWechatClient, type WechatClient } from './wechat-client.ts';

export interface MpServices {
  wechat: WechatClient;
  tokens: ConsumerTokens;
  memberCodes: MemberCodes;
  subscriptions: SubscriptionService;
  consumers: ConsumerService;
  membership: MembershipService;
  scan: ScanService;
}

declare module 'fastify' {
  interface FastifyInstance {
    mp: MpServices;
    /** onRequest hook of consumer routes: 401 without a valid consumer token; sets request.consumer. */
    authenticateConsumer: onRequestAsyncHookHandler;
  }
  interface FastifyRequest {
    consumer: ConsumerIdentity | null;
  }
}

export type MpPluginOptions = Pick<
  AppConfig,
  | 'wechatApiBaseUrl'
  | 'wechatMpAppId'
  | 'wechatMpSecret'
  | 'memberCodeSecret'
  | 'consumerTokenSecret'
  | 'consumerTokenTtlMinutes'
  | 'generatedSecrets'
>;

/** The plugin's part of the app config (not all of it: `logLevel` would become the plugin's own log level). */
export function mpOptions(config: AppConfig): MpPluginOptions {
  return {
    wechatApiBaseUrl: config.wechatApiBaseUrl,
    wechatMpAppId: config.wechatMpAppId,
    wechatMpSecret: config.wechatMpSecret,
    memberCodeSecret: config.memberCodeSecret,
    consumerTokenSecret: config.consumerTokenSecret,
    consumerTokenTtlMinutes: config.consumerTokenTtlMinutes,
    generatedSecrets: config.generatedSecrets,
  };
}

function required(name: string, value: string | undefined): string {
  if (!value) throw new Error(`${name} is required when NODE_ENV=production: set it to a random string of at least 32 characters`);
  return value;
}

/** The mini-program API (`/api/mp/*`) and the staff scan of member codes. */
async function mpPlugin(fastify: FastifyInstance, options: MpPluginOptions): Promise<void> {
  const tokens = createConsumerTokens({ secret: required('CONSUMER_TOKEN_SECRET', options.consumerTokenSecret), ttlMinutes: options.consumerTokenTtlMinutes });
  const memberCodes = createMemberCodes({ secret: required('MEMBER_CODE_SECRET', options.memberCodeSecret) });
  if (options.generatedSecrets.length) {
    fastify.log.warn({ variables: options.generatedSecrets }, 'secrets generated for this process: consumer tokens and member codes stop working on restart');
  }
  if (!options.wechatMpAppId || !options.wechatMpSecret) fastify.log.warn('WECHAT_MP_APPID and WECHAT_MP_SECRET are not set: mini-program login answers 503');

  const wechat = createWechatClient({
    baseUrl: options.wechatApiBaseUrl,
    appId: options.wechatMpAppId,
    secret: options.wechatMpSecret,
    log: fastify.log.child({ module: 'wechat' }),
  });
  const Subscription = createSubscriptionModel(fastify.db);
  await Subscription.init();
  const { customers, loyalty } = fastify;
  const isMember = async (customerId: string) => (await loyalty.getMember(customerId)) !== null;
  const consumers = createConsumerService({ wechat, tokens, customers, customerMerge: fastify.customerMerge, isMember });
  const referrals = () => (fastify.hasDecorator('rewards') ? fastify.getDecorator<ReferralPort>('rewards') : null);
  const membership = createMembershipService({ wechat, customers, interactions: fastify.interactions, consumers, loyalty, memberCodes, referrals });
  const scan = createScanService({ memberCodes, loyalty, customers });

  fastify.decorate('mp', { wechat, tokens, memberCodes, subscriptions: createSubscriptionService(Subscription), consumers, membership, scan });
  fastify.decorate('authenticateConsumer', createConsumerAuthenticator(tokens));
  fastify.decorateRequest('consumer', null);

  await fastify.register(sessionRoutes);
  await fastify.register(profileRoutes);
  await fastify.register(membershipRoutes);
  await fastify.register(checkinRoutes);
  await fastify.register(subscriptionRoutes);
  await fastify.register(scanRoutes);
}

export default fp(mpPlugin, { fastify: '5.x', name: 'mp', dependencies: ['database', 'staff', 'customers', 'loyalty'] });
