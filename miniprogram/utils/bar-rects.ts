export interface BarRect {
  x: number;
  width: number;
}

/**
 * Lays module widths (bar, space, bar…) across `width` pixels with a quiet zone of `quietModules` on each
 * side, and returns the bars only. Pixel positions are rounded so bars stay crisp.
 */
export function barRects({ widths, width, quietModules = 10 }: { widths: number[]; width: number; quietModules?: number }): BarRect[] {
  const modules = widths.reduce((sum, value) => sum + value, 0) + 2 * quietModules;
  const unit = width / modules;
  const rects: BarRect[] = [];
  let position = quietModules;
  widths.forEach((value, index) => {
    if (index % 2 === 0) {
      const x = Math.round(position * unit);
      rects.push({ x, width: Math.max(1, Math.round((position + value) * unit) - x) });
    }
    position += value;
  });
  return rects;
}
