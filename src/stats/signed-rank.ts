/**
 * One-sample (paired) statistics on differences: the exact distribution of Wilcoxon's signed-rank
 * statistic, the Hodges–Lehmann estimate of the shift (the median of the Walsh averages), and
 * confidence bounds on the shift from that distribution (Hollander, Wolfe and Chicken,
 * "Nonparametric Statistical Methods", sections 3.1 to 3.3).
 */

const distributions = new Map<number, Float64Array>();

/**
 * Returns P(T+ = w) for w = 0 .. n(n+1)/2 under the null hypothesis, where T+ is the sum of the
 * ranks of the positive differences among n. Each of the 2^n sign patterns is equally likely, so
 * the counts follow from one knapsack over the ranks 1..n.
 */
export function signedRankDistribution(n: number): Float64Array {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a whole number, got ${n}`);
  const cached = distributions.get(n);
  if (cached) return cached;
  const max = (n * (n + 1)) / 2;
  const counts = new Float64Array(max + 1);
  counts[0] = 1;
  for (let rank = 1; rank <= n; rank += 1) {
    for (let sum = max; sum >= rank; sum -= 1)
      counts[sum] = (counts[sum] ?? 0) + (counts[sum - rank] ?? 0);
  }
  const total = 2 ** n;
  const probabilities = counts.map((count) => count / total);
  distributions.set(n, probabilities);
  return probabilities;
}

/** Returns P(T+ <= w). */
export function signedRankCdf(n: number, w: number): number {
  const distribution = signedRankDistribution(n);
  let sum = 0;
  for (let value = 0; value <= Math.min(w, distribution.length - 1); value += 1)
    sum += distribution[value] ?? 0;
  return Math.min(1, sum);
}

/**
 * Returns the largest w with P(T+ <= w) <= alpha: the one-sided critical value of published tables
 * (reject when T+ <= w), or -1 when even w = 0 has a larger probability, as for n < 5 at 0.05.
 */
export function signedRankCriticalValue(n: number, alpha: number): number {
  const distribution = signedRankDistribution(n);
  let cumulative = 0;
  let critical = -1;
  for (let w = 0; w < distribution.length; w += 1) {
    cumulative += distribution[w] ?? 0;
    // A little slack keeps sums of floating point probabilities from missing a tabled boundary.
    if (cumulative <= alpha * (1 + 1e-12)) critical = w;
    else break;
  }
  return critical;
}

/** Returns the Walsh averages (x_i + x_j) / 2 for i <= j, sorted. */
export function walshAverages(values: readonly number[]): number[] {
  const averages: number[] = [];
  for (let i = 0; i < values.length; i += 1) {
    for (let j = i; j < values.length; j += 1)
      averages.push(((values[i] ?? 0) + (values[j] ?? 0)) / 2);
  }
  return averages.sort((a, b) => a - b);
}

/** Returns the median of sorted values. */
export function medianOfSorted(sorted: readonly number[]): number {
  if (sorted.length === 0) return Number.NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? Number.NaN)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** Returns the Hodges–Lehmann estimate of the center of `values`: the median of their Walsh averages. */
export function hodgesLehmann(values: readonly number[]): number {
  return medianOfSorted(walshAverages(values));
}

export interface ShiftInterval {
  /** Hodges–Lehmann estimate of the shift. */
  estimate: number;
  /** One-sided (1 - alpha) lower bound; -Infinity when n is too small for that alpha. */
  lower: number;
  /** One-sided (1 - alpha) upper bound; +Infinity when n is too small for that alpha. */
  upper: number;
}

/**
 * Estimates the shift of paired differences with one-sided (1 - alpha) bounds. The number of Walsh
 * averages above a shift d is T+ of the differences minus d, so the k-th smallest Walsh average,
 * k = critical value + 1, is a lower bound that holds with probability at least 1 - alpha.
 */
export function signedRankInterval(differences: readonly number[], alpha: number): ShiftInterval {
  const n = differences.length;
  if (n === 0)
    return {
      estimate: Number.NaN,
      lower: Number.NEGATIVE_INFINITY,
      upper: Number.POSITIVE_INFINITY,
    };
  const averages = walshAverages(differences);
  const critical = signedRankCriticalValue(n, alpha);
  const lower =
    critical < 0 ? Number.NEGATIVE_INFINITY : (averages[critical] ?? Number.NEGATIVE_INFINITY);
  const upper =
    critical < 0
      ? Number.POSITIVE_INFINITY
      : (averages[averages.length - 1 - critical] ?? Number.POSITIVE_INFINITY);
  return { estimate: medianOfSorted(averages), lower, upper };
}

/**
 * Returns the one-sided p-value for "the differences are shifted above `margin`": P(T+ >= t) under
 * the null, where t is the signed-rank statistic of the differences minus the margin. Zero
 * differences are dropped, and tied magnitudes get average ranks with the exact distribution of
 * the untied case, which is conservative enough for run-level data.
 */
export function signedRankPValue(differences: readonly number[], margin: number): number {
  const shifted = differences.map((value) => value - margin).filter((value) => value !== 0);
  const n = shifted.length;
  if (n === 0) return 1;
  const order = shifted
    .map((value, index) => ({ magnitude: Math.abs(value), positive: value > 0, index }))
    .sort((a, b) => a.magnitude - b.magnitude);
  let statistic = 0;
  for (let start = 0; start < n;) {
    let end = start;
    while (end + 1 < n && order[end + 1]?.magnitude === order[start]?.magnitude) end += 1;
    const averageRank = (start + end) / 2 + 1;
    for (let index = start; index <= end; index += 1)
      if (order[index]?.positive) statistic += averageRank;
    start = end + 1;
  }
  // P(T+ >= t) = P(T+ <= n(n+1)/2 - t) by symmetry; average ranks make t a multiple of 0.5.
  const max = (n * (n + 1)) / 2;
  return signedRankCdf(n, Math.floor(max - statistic + 1e-9));
}
