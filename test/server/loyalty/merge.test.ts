import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../../helpers/app.ts';
import { credit, newMember } from './helpers.ts';

describe('merging customers keeps their points', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildTestApp();
  });
  afterAll(() => app.close());

  it('moves a lone membership (card, balance, ledger) to the survivor', async () => {
    const source = await newMember(app, 'lone');
    await credit(app, source, 120);
    const card = (await app.loyalty.getMember(source))!.cardNumber;
    const target = String((await app.customerMerge.identify({ identity: { type: 'oa', accountId: 'wxoa', externalId: `t-${Date.now()}` } }))._id);
    await app.customerMerge.merge(target, source);
    const member = await app.loyalty.getMember(target);
    expect(member).toMatchObject({ cardNumber: card, balance: 120 });
    expect((await app.loyalty.ledger({ customerId: target, limit: 10 })).items.length).toBeGreaterThan(0);
  });

  it('adds a member’s spendable points to a member survivor exactly once, even when the merge is resumed', async () => {
    const target = await newMember(app, 'target');
    const source = await newMember(app, 'source');
    await credit(app, target, 100);
    await credit(app, source, 250);
    await app.customerMerge.merge(target, source);
    // A crash-resumed merge runs the handlers again: nothing moves twice.
    const sourceDoc = await app.db.collection('customers').findOne({ _id: new (await import('mongoose')).Types.ObjectId(source) });
    await app.db.collection('customers').updateOne({ _id: sourceDoc!._id }, { $set: { mergingInto: sourceDoc!.mergedInto } });
    await app.customerMerge.resumePendingMerges();
    expect((await app.loyalty.getMember(target))!.balance).toBe(350);
    expect((await app.loyalty.getMember(source))!.balance).toBe(0);
    const report = await app.loyalty.reconcile({ fix: false });
    expect(report.drifted).toEqual([]);
  });
});
