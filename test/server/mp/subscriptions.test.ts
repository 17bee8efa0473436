import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMpTestApp, loginConsumer, openid, type ConsumerSession, type MpTestApp } from './mp-app.ts';

const TEMPLATE = 'ZLPQ3kZ0Ul9GtGK2eY0s3a6D6M3RTJmEnKC5g9I45mg';
const OTHER_TEMPLATE = 'bDmywsp2oEHjwAadTGKkUHpzd3DKXBvPGN2QX1pcOMk';

describe('subscribe-message grants', () => {
  let kit: MpTestApp;
  let consumer: ConsumerSession;

  beforeAll(async () => {
    kit = await buildMpTestApp();
  });
  afterAll(() => kit.close());

  const subscribe = (session: ConsumerSession, results: Record<string, unknown>) =>
    session.inject({ method: 'POST', url: '/api/mp/subscriptions', payload: { results } });

  it('counts one grant per accept; consuming uses them up one at a time', async () => {
    consumer = await loginConsumer(kit, { openid: openid('sub') });
    expect((await subscribe(consumer, { [TEMPLATE]: 'accept', [OTHER_TEMPLATE]: 'reject' })).statusCode).toBe(200);
    const second = await subscribe(consumer, { [TEMPLATE]: 'accept' });
    expect(second.json().items).toEqual([
      { templateId: TEMPLATE, available: 2, lastResult: 'accept', lastResultAt: expect.any(String) },
      { templateId: OTHER_TEMPLATE, available: 0, lastResult: 'reject', lastResultAt: expect.any(String) },
    ]);
    expect(await kit.app.mp.subscriptions.availableGrants(consumer.customerId)).toEqual({ [TEMPLATE]: 2 });

    const grant = { customerId: consumer.customerId, templateId: TEMPLATE };
    const consumed = [];
    for (let i = 0; i < 3; i++) consumed.push(await kit.app.mp.subscriptions.consumeGrant(grant));
    expect(consumed).toEqual([true, true, false]);
    expect(await kit.app.mp.subscriptions.consumeGrant({ customerId: consumer.customerId, templateId: OTHER_TEMPLATE })).toBe(false);
    expect(await kit.app.mp.subscriptions.availableGrants(consumer.customerId)).toEqual({});
  });

  it('a reject or ban keeps grants already given', async () => {
    const session = await loginConsumer(kit, { openid: openid('keep') });
    await subscribe(session, { [TEMPLATE]: 'accept' });
    await subscribe(session, { [TEMPLATE]: 'reject' });
    const listed = (await session.inject({ method: 'GET', url: '/api/mp/subscriptions' })).json();
    expect(listed.items).toEqual([expect.objectContaining({ templateId: TEMPLATE, available: 1, lastResult: 'reject' })]);
  });

  it('gives exactly 5 of 20 concurrent consumers a grant when 5 exist', async () => {
    const session = await loginConsumer(kit, { openid: openid('race') });
    for (let i = 0; i < 5; i++) await subscribe(session, { [TEMPLATE]: 'accept' });
    const results = await Promise.all(
      Array.from({ length: 20 }, () => kit.app.mp.subscriptions.consumeGrant({ customerId: session.customerId, templateId: TEMPLATE })),
    );
    expect(results.filter(Boolean)).toHaveLength(5);
    expect(await kit.app.db.collection('mp_subscriptions').countDocuments({ available: { $lt: 0 } })).toBe(0);
    expect(await kit.app.mp.subscriptions.availableGrants(session.customerId)).toEqual({});
  });

  it('records concurrent first accepts of one template without losing any', async () => {
    const session = await loginConsumer(kit, { openid: openid('first') });
    await Promise.all(Array.from({ length: 5 }, () => subscribe(session, { [TEMPLATE]: 'accept' })));
    expect(await kit.app.mp.subscriptions.availableGrants(session.customerId)).toEqual({ [TEMPLATE]: 5 });
  });

  it('keeps grants per customer: one consumer never sees or spends another one\'s', async () => {
    const alice = await loginConsumer(kit, { openid: openid('alice') });
    const bob = await loginConsumer(kit, { openid: openid('bob') });
    await subscribe(alice, { [TEMPLATE]: 'accept' });
    expect((await bob.inject({ method: 'GET', url: '/api/mp/subscriptions' })).json().items).toEqual([]);
    expect(await kit.app.mp.subscriptions.consumeGrant({ customerId: bob.customerId, templateId: TEMPLATE })).toBe(false);
    expect(await kit.app.mp.subscriptions.availableGrants(alice.customerId)).toEqual({ [TEMPLATE]: 1 });
  });

  it.each([
    ['an empty result', {}],
    ['wx errMsg left in', { errMsg: 'requestSubscribeMessage:ok', [TEMPLATE]: 'accept' }],
    ['an unknown decision', { [TEMPLATE]: 'maybe' }],
    ['a template id with operators', { $where: 'accept' }],
    ['a template id too short', { abc: 'accept' }],
  ])('rejects %s with 400 and stores nothing', async (_label, results) => {
    const session = await loginConsumer(kit, { openid: openid('bad') });
    const response = await subscribe(session, results);
    expect(response.statusCode).toBe(400);
    expect(await kit.app.mp.subscriptions.list(session.customerId)).toEqual([]);
  });
});
