import { LAYERS, type Layer } from '../../../../shared/src/customer.ts';
import type { CustomerModel } from './customer.model.ts';

declare module 'fastify' {
  interface FastifyInstance {
    customerLayerStats: LayerStatsService;
  }
}

export type LayerCounts = Record<Layer, number>;

export function createLayerStatsService(Customer: CustomerModel) {
  /** How many live (unmerged) customers sit in each relationship layer; every layer is present, empty ones as 0. */
  async function countByLayer(): Promise<LayerCounts> {
    const rows = await Customer.aggregate<{ _id: string; count: number }>([
      { $match: { mergedInto: null } },
      { $group: { _id: '$layer', count: { $sum: 1 } } },
    ]);
    const counts = Object.fromEntries(LAYERS.map((layer) => [layer, 0])) as LayerCounts;
    for (const row of rows) if (Object.hasOwn(counts, row._id)) counts[row._id as Layer] = row.count;
    return counts;
  }

  return { countByLayer };
}

export type LayerStatsService = ReturnType<typeof createLayerStatsService>;
