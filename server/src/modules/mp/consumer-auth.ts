import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../../lib/errors.ts';
import type { ConsumerTokens } from './consumer-token.service.ts';

export interface ConsumerIdentity {
  customerId: string;
}

/**
 * The onRequest hook of every consumer route. It reads the bearer header only, never the staff session cookie,
 * and accepts only consumer tokens: a staff session token is not a JWT signed with our consumer key.
 */
export function createConsumerAuthenticator(tokens: ConsumerTokens) {
  return async function authenticateConsumer(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
    const header = request.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : '';
    const identity = token ? await tokens.verify(token) : null;
    if (!identity) throw new DomainError('UNAUTHENTICATED', 'sign in through the mini-program first');
    request.consumer = identity;
  };
}

/**
 * The signed-in consumer's customer id. Every consumer query filters by it, so a consumer can only ever reach
 * their own records; a resource id belonging to someone else reads as not found.
 */
export function consumerIdOf(request: FastifyRequest): string {
  if (!request.consumer) throw new DomainError('UNAUTHENTICATED');
  return request.consumer.customerId;
}
