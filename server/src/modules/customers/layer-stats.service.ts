import { LAYERS, type Layer } from '../../../../shared/src/customer.ts';
import type { CustomerModel } from './customer.model.ts';

declare module 'fastify' {
  interface FastifyInstance {
    customerLayerStats: LayerStatsService;
  }
}

export type LayerCounts = Record<Layer, number>;

/** The chart is an overview: counting every customer on each list page load would cost more than it tells. */
const FRESH_FOR_MS = 30_000;

export function createLayerStatsService(Customer: CustomerModel, options: { freshForMs?: number; now?: () => number } = {}) {
  const { freshForMs = FRESH_FOR_MS, now = Date.now } = options;
  let latest: { at: number; counts: Promise<LayerCounts> } | null = null;

  async function count(): Promise<LayerCounts> {
    const rows = await Customer.aggregate<{ _id: string; count: number }>([
      { $match: { mergedInto: null } },
      { $group: { _id: '$layer', count: { $sum: 1 } } },
    ]);
    const counts = Object.fromEntries(LAYERS.map((layer) => [layer, 0])) as LayerCounts;
    for (const row of rows) if (Object.hasOwn(counts, row._id)) counts[row._id as Layer] = row.count;
    return counts;
  }

  /**
   * How many live (unmerged) customers sit in each relationship layer; every layer is present, empty ones as 0.
   * Counted at most once per 30 s, and page loads that arrive while a count runs share it; a failed count is not kept.
   */
  function countByLayer(): Promise<LayerCounts> {
    if (!latest || now() - latest.at >= freshForMs) {
      const counts = count();
      const entry = { at: now(), counts };
      latest = entry;
      counts.catch(() => {
        if (latest === entry) latest = null;
      });
    }
    return latest.counts;
  }

  return { countByLayer };
}

export type LayerStatsService = ReturnType<typeof createLayerStatsService>;
