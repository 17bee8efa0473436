import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLayerStatsService } from '../../../server/src/modules/customers/layer-stats.service.ts';
import { createCustomerModels } from '../../../server/src/modules/customers/models.ts';
import { buildTestApp } from '../../helpers/app.ts';

describe('layer chart counts', () => {
  let app: FastifyInstance;
  let clock = 0;
  let stats: ReturnType<typeof createLayerStatsService>;
  let aggregations: ReturnType<typeof vi.spyOn>;

  const addCustomer = (externalId: string, layer: string) =>
    app.customerMerge.identify({ identity: { type: 'bot', accountId: 'wxid_stats', externalId }, profile: { nickname: externalId } }).then((customer) =>
      app.db.collection('customers').updateOne({ _id: customer._id }, { $set: { layer } }),
    );

  beforeAll(async () => {
    app = await buildTestApp();
    const { Customer } = createCustomerModels(app.db);
    aggregations = vi.spyOn(Customer, 'aggregate');
    stats = createLayerStatsService(Customer, { freshForMs: 30_000, now: () => clock });
    await addCustomer('a', 'fan');
    await addCustomer('b', 'member');
  });
  afterAll(async () => {
    await app.close();
  });

  it('counts every layer, shares one count among concurrent page loads, and recounts only after 30 s', async () => {
    const [first, second] = await Promise.all([stats.countByLayer(), stats.countByLayer()]);
    expect(first).toEqual({ visitor: 0, guest: 0, fan: 1, friend: 0, customer: 0, member: 1 });
    expect(second).toBe(first);
    expect(aggregations).toHaveBeenCalledTimes(1);

    await addCustomer('c', 'fan');
    clock += 29_999;
    expect((await stats.countByLayer()).fan).toBe(1);
    clock += 1;
    expect((await stats.countByLayer()).fan).toBe(2);
    expect(aggregations).toHaveBeenCalledTimes(2);
  });

  it('does not keep a failed count', async () => {
    clock += 30_000;
    aggregations.mockImplementationOnce(() => Promise.reject(new Error('database went away')) as never);
    await expect(stats.countByLayer()).rejects.toThrow('database went away');
    expect((await stats.countByLayer()).fan).toBe(2);
  });
});
