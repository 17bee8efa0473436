/**
 * Purchase points: floor(yuan × pointsPerYuan × tier multiplier). Rates count to 0.01 and the product is taken
 * in integers (BigInt), so 5.00 yuan × 1.2 is exactly 6 and never 5.999… → 5.
 */
export function purchasePoints({ amountCents, pointsPerYuan, multiplier }: { amountCents: number; pointsPerYuan: number; multiplier: number }): number {
  const rate = BigInt(Math.round(pointsPerYuan * 100));
  const factor = BigInt(Math.round(multiplier * 100));
  return Number((BigInt(amountCents) * rate * factor) / 1_000_000n);
}
