import type { FastifyInstance } from 'fastify';

let seq = 0;

/** A customer from a mini-program identity, enrolled in the program; returns its id. */
export async function newMember(app: FastifyInstance, name = 'member'): Promise<string> {
  const customer = await app.customerMerge.identify({ identity: { type: 'mp', accountId: 'wxmp', externalId: `${name}-${++seq}-${Date.now()}` } });
  const customerId = String(customer._id);
  await app.loyalty.enroll({ customerId });
  return customerId;
}

/** Credits points straight through the ledger, as any earning feature would. */
export async function credit(app: FastifyInstance, customerId: string, amount: number): Promise<void> {
  await app.loyalty.postEntry({ customerId, amount, kind: 'earn', reason: 'test credit', idempotencyKey: `credit:${customerId}:${++seq}` });
}

/** An instant given as Shanghai wall-clock time, e.g. at('2026-03-10T23:59:59'). */
export function shanghai(wallClock: string): Date {
  return new Date(`${wallClock}+08:00`);
}
