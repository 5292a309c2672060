/**
 * Holm's step-down method: decides which of several one-sided tests reject while keeping the
 * chance of any false rejection (the family-wise error rate) at most alpha (Holm, "A simple
 * sequentially rejective multiple test procedure", 1979).
 */

/**
 * Returns, for each p-value, whether it is rejected at family-wise level `alpha`. The i-th smallest
 * p-value (from 0) is compared with alpha / (m − i), stopping at the first that is not below it.
 */
export function holmRejections(pValues: readonly number[], alpha: number): boolean[] {
  const order = pValues.map((p, index) => ({ p, index })).sort((a, b) => a.p - b.p);
  const rejected = pValues.map(() => false);
  for (const [rank, entry] of order.entries()) {
    if (entry.p > alpha / (pValues.length - rank)) break;
    rejected[entry.index] = true;
  }
  return rejected;
}

/** Returns Holm-adjusted p-values: the smallest family-wise level at which each would be rejected. */
export function holmAdjusted(pValues: readonly number[]): number[] {
  const order = pValues.map((p, index) => ({ p, index })).sort((a, b) => a.p - b.p);
  const adjusted = pValues.map(() => 1);
  let running = 0;
  for (const [rank, entry] of order.entries()) {
    running = Math.max(running, Math.min(1, (pValues.length - rank) * entry.p));
    adjusted[entry.index] = running;
  }
  return adjusted;
}
