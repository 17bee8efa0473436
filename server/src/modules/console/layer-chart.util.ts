import { LAYERS, type Layer } from '../../../../shared/src/customer.ts';
import type { LayerCounts } from '../customers/layer-stats.service.ts';

export interface LayerBar {
  layer: Layer;
  label: string;
  count: number;
  /** Bar length relative to the largest layer, so the biggest bar fills the row. */
  percent: number;
}

/** One bar per layer, weakest first, with lengths the template writes straight into a width style. */
export function layerBars(counts: LayerCounts, labels: Record<Layer, string>): { bars: LayerBar[]; total: number } {
  const largest = Math.max(0, ...LAYERS.map((layer) => counts[layer]));
  const bars = LAYERS.map((layer) => ({
    layer,
    label: labels[layer],
    count: counts[layer],
    percent: largest ? Math.round((counts[layer] / largest) * 1000) / 10 : 0,
  }));
  return { bars, total: bars.reduce((sum, bar) => sum + bar.count, 0) };
}
