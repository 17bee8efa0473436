import type { FastifyInstance, onRequestAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import type { AppConfig } from '../../config.ts';
import { cardRoutes } from './card.routes.ts';
import { createConsumerAuthenticator, type ConsumerIdentity } from './consumer-auth.ts';
import { createConsumerTokens, type ConsumerTokens } from './consumer-token.service.ts';
import { createConsumerService, type ConsumerService } from './consumer.service.ts';
import { createMemberCodes, type MemberCodes } from './member-code.service.ts';
import { profileRoutes } from './profile.routes.ts';
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
  const isMember = async (customerId: string) => (await fastify.customers.get(customerId))?.layer === 'member';
  const consumers = createConsumerService({ wechat, tokens, customers: fastify.customers, customerMerge: fastify.customerMerge, isMember });

  fastify.decorate('mp', { wechat, tokens, memberCodes, subscriptions: createSubscriptionService(Subscription), consumers });
  fastify.decorate('authenticateConsumer', createConsumerAuthenticator(tokens));
  fastify.decorateRequest('consumer', null);

  await fastify.register(sessionRoutes);
  await fastify.register(profileRoutes);
  await fastify.register(cardRoutes);
  await fastify.register(subscriptionRoutes);
}

export default fp(mpPlugin, { fastify: '5.x', name: 'mp', dependencies: ['database', 'staff', 'customers'] });
