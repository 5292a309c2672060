/**
 * Two-sample statistics for independent samples: the exact distribution of the Mann–Whitney
 * statistic, and the Hodges–Lehmann estimate of the shift between two samples (the median of all
 * pairwise differences) with confidence bounds from that distribution (Hollander, Wolfe and
 * Chicken, "Nonparametric Statistical Methods", sections 4.1 to 4.3).
 */
import { medianOfSorted, type ShiftInterval } from './signed-rank.js';

const distributions = new Map<string, Float64Array>();

/**
 * Returns P(U = u) for u = 0 .. m·n under the null hypothesis, where U counts the pairs (x, y)
 * with y > x for samples of sizes m and n. Uses the recurrence over the largest observation.
 */
export function rankSumDistribution(m: number, n: number): Float64Array {
  const key = `${m},${n}`;
  const cached = distributions.get(key);
  if (cached) return cached;
  // counts[i][j][u]: arrangements of i x's and j y's with statistic u; built for all i <= m, j <= n.
  let previous: Float64Array[] = Array.from({ length: n + 1 }, () => Float64Array.of(1));
  for (let i = 1; i <= m; i += 1) {
    const current: Float64Array[] = [Float64Array.of(1)];
    for (let j = 1; j <= n; j += 1) {
      const size = i * j + 1;
      const counts = new Float64Array(size);
      // The largest observation is an x (U unchanged) or a y (which beats all i x's).
      const withX = previous[j] ?? new Float64Array(1);
      const withY = current[j - 1] ?? new Float64Array(1);
      for (let u = 0; u < withX.length; u += 1) counts[u] = (counts[u] ?? 0) + (withX[u] ?? 0);
      for (let u = 0; u < withY.length; u += 1)
        counts[u + i] = (counts[u + i] ?? 0) + (withY[u] ?? 0);
      current.push(counts);
    }
    previous = current;
  }
  const counts = previous[n] ?? Float64Array.of(1);
  const total = counts.reduce((sum, value) => sum + value, 0);
  const probabilities = counts.map((count) => count / total);
  distributions.set(key, probabilities);
  return probabilities;
}

/** Returns the largest u with P(U <= u) <= alpha, or -1 when there is none. */
export function rankSumCriticalValue(m: number, n: number, alpha: number): number {
  const distribution = rankSumDistribution(m, n);
  let cumulative = 0;
  let critical = -1;
  for (let u = 0; u < distribution.length; u += 1) {
    cumulative += distribution[u] ?? 0;
    if (cumulative <= alpha * (1 + 1e-12)) critical = u;
    else break;
  }
  return critical;
}

/**
 * Estimates the shift of `after` over `before` (y − x) with one-sided (1 − alpha) bounds. The
 * number of pairwise differences above a shift d is U of the samples with d subtracted from
 * `after`, so the k-th smallest difference, k = critical value + 1, is a lower bound.
 */
export function rankSumInterval(
  before: readonly number[],
  after: readonly number[],
  alpha: number,
): ShiftInterval {
  const differences: number[] = [];
  for (const y of after) for (const x of before) differences.push(y - x);
  differences.sort((a, b) => a - b);
  if (differences.length === 0)
    return {
      estimate: Number.NaN,
      lower: Number.NEGATIVE_INFINITY,
      upper: Number.POSITIVE_INFINITY,
    };
  const critical = rankSumCriticalValue(before.length, after.length, alpha);
  return {
    estimate: medianOfSorted(differences),
    lower:
      critical < 0 ? Number.NEGATIVE_INFINITY : (differences[critical] ?? Number.NEGATIVE_INFINITY),
    upper:
      critical < 0
        ? Number.POSITIVE_INFINITY
        : (differences[differences.length - 1 - critical] ?? Number.POSITIVE_INFINITY),
  };
}

/**
 * Returns the one-sided p-value for "`after` is shifted above `before` by more than `margin`":
 * P(U >= u) under the null, with u counting pairs where after − margin beats before (ties count
 * one half, which the exact distribution treats conservatively).
 */
export function rankSumPValue(
  before: readonly number[],
  after: readonly number[],
  margin: number,
): number {
  let statistic = 0;
  for (const y of after) {
    for (const x of before) {
      const difference = y - margin - x;
      statistic += difference > 0 ? 1 : difference === 0 ? 0.5 : 0;
    }
  }
  const distribution = rankSumDistribution(before.length, after.length);
  const max = before.length * after.length;
  // P(U >= u) = P(U <= max − u) by symmetry.
  let cumulative = 0;
  for (let u = 0; u <= Math.floor(max - statistic + 1e-9); u += 1)
    cumulative += distribution[u] ?? 0;
  return Math.min(1, cumulative);
}
