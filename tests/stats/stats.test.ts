import { describe, expect, it } from 'vitest';

import { holmAdjusted, holmRejections } from '../../src/stats/holm.js';
import { moreFailuresPValue } from '../../src/stats/proportions.js';
import { studentTCdf, studentTQuantile } from '../../src/stats/student-t.js';
import { rankSumCriticalValue, rankSumInterval, rankSumPValue } from '../../src/stats/rank-sum.js';
import {
  hodgesLehmann,
  signedRankCdf,
  signedRankCriticalValue,
  signedRankDistribution,
  signedRankInterval,
  signedRankPValue,
  walshAverages,
} from '../../src/stats/signed-rank.js';

// One-sided critical values of Wilcoxon's signed-rank test for n = 5..20, as printed in standard
// tables (reject when T <= value; "-" where no value reaches the level).
const SIGNED_RANK_05 = [0, 2, 3, 5, 8, 10, 13, 17, 21, 25, 30, 35, 41, 47, 53, 60];
const SIGNED_RANK_01 = [-1, -1, 0, 1, 3, 5, 7, 9, 12, 15, 19, 23, 27, 32, 37, 43];

describe('signed-rank distribution', () => {
  it.each(SIGNED_RANK_05.map((value, index) => [index + 5, value]))(
    'n = %i, alpha 0.05: %i',
    (n, value) => {
      expect(signedRankCriticalValue(n, 0.05)).toBe(value);
    },
  );

  it.each(SIGNED_RANK_01.map((value, index) => [index + 5, value]))(
    'n = %i, alpha 0.01: %i',
    (n, value) => {
      expect(signedRankCriticalValue(n, 0.01)).toBe(value);
    },
  );

  it('sums to one and is symmetric', () => {
    const distribution = signedRankDistribution(12);
    expect(distribution.reduce((sum, p) => sum + p, 0)).toBeCloseTo(1, 12);
    for (let w = 0; w < distribution.length; w += 1)
      expect(distribution[w]).toBeCloseTo(distribution[distribution.length - 1 - w] ?? 0, 15);
  });

  it('smallest p with n pairs is one over 2^n', () => {
    expect(signedRankCdf(7, 0)).toBe(1 / 128);
    expect(signedRankPValue([1, 2, 3, 4, 5, 6, 7], 0)).toBe(1 / 128);
  });
});

describe('Hodges–Lehmann one-sample estimate', () => {
  it('is the median of the Walsh averages', () => {
    expect(walshAverages([-1, 2, 3])).toEqual([-1, 0.5, 1, 2, 2.5, 3]);
    expect(hodgesLehmann([-1, 2, 3])).toBe(1.5);
  });

  it('bound of seven positive differences is the smallest at 0.01', () => {
    // The critical value for n = 7 at 0.01 is 0, so the lower bound is the smallest Walsh average.
    const interval = signedRankInterval([0.3, 0.1, 0.2, 0.5, 0.4, 0.25, 0.15], 0.01);
    expect(interval.lower).toBeCloseTo(0.1, 12);
    expect(interval.upper).toBeCloseTo(0.5, 12);
    expect(interval.estimate).toBeCloseTo(0.2625, 12);
  });

  it('has no bound with five pairs at 0.01', () => {
    expect(signedRankInterval([1, 2, 3, 4, 5], 0.01).lower).toBe(Number.NEGATIVE_INFINITY);
  });

  it('moves with a constant shift', () => {
    const values = [0.03, -0.01, 0.05, 0.02, 0.04, -0.02, 0.01, 0.06];
    const shifted = values.map((value) => value + 0.1);
    const before = signedRankInterval(values, 0.05);
    const after = signedRankInterval(shifted, 0.05);
    expect(after.estimate).toBeCloseTo(before.estimate + 0.1, 12);
    expect(after.lower).toBeCloseTo(before.lower + 0.1, 12);
    expect(after.upper).toBeCloseTo(before.upper + 0.1, 12);
  });

  it('flips sign when base and head swap', () => {
    const values = [0.03, -0.01, 0.05, 0.02, 0.04, -0.02, 0.01, 0.06];
    const flipped = signedRankInterval(
      values.map((value) => -value),
      0.05,
    );
    const original = signedRankInterval(values, 0.05);
    expect(flipped.estimate).toBeCloseTo(-original.estimate, 12);
    expect(flipped.lower).toBeCloseTo(-original.upper, 12);
  });

  it('p-value against a margin uses the shifted differences', () => {
    const values = [0.12, 0.15, 0.11, 0.14, 0.13, 0.16, 0.12];
    expect(signedRankPValue(values, 0.05)).toBe(1 / 128);
    expect(signedRankPValue(values, 0.2)).toBe(1);
  });
});

// One-sided critical values of the Mann–Whitney U test for equal sample sizes, as tabled.
const RANK_SUM_05: [number, number][] = [
  [5, 4],
  [6, 7],
  [7, 11],
  [8, 15],
  [9, 21],
  [10, 27],
];
const RANK_SUM_01: [number, number][] = [
  [5, 1],
  [6, 3],
  [7, 6],
  [8, 9],
  [10, 19],
];

describe('rank-sum distribution', () => {
  it.each(RANK_SUM_05)('m = n = %i, alpha 0.05: %i', (size, value) => {
    expect(rankSumCriticalValue(size, size, 0.05)).toBe(value);
  });

  it.each(RANK_SUM_01)('m = n = %i, alpha 0.01: %i', (size, value) => {
    expect(rankSumCriticalValue(size, size, 0.01)).toBe(value);
  });

  it('is the same with the samples swapped', () => {
    expect(rankSumCriticalValue(3, 9, 0.05)).toBe(rankSumCriticalValue(9, 3, 0.05));
  });
});

describe('Hodges–Lehmann two-sample estimate', () => {
  it('is the median of pairwise differences', () => {
    expect(rankSumInterval([1, 2], [3, 5], 0.05).estimate).toBe(2.5);
  });

  it('moves with a constant shift of the second sample', () => {
    const before = [1.0, 1.2, 0.9, 1.1, 1.05, 0.95, 1.15, 1.0, 1.08, 0.98];
    const after = [1.1, 1.3, 1.05];
    const base = rankSumInterval(before, after, 0.05);
    const shifted = rankSumInterval(
      before,
      after.map((value) => value + 0.5),
      0.05,
    );
    expect(shifted.estimate).toBeCloseTo(base.estimate + 0.5, 12);
    expect(shifted.lower).toBeCloseTo(base.lower + 0.5, 12);
  });

  it('flips sign when the samples swap', () => {
    const before = [1.0, 1.2, 0.9, 1.1, 1.05];
    const after = [1.3, 1.25, 1.4];
    expect(rankSumInterval(after, before, 0.05).estimate).toBeCloseTo(
      -rankSumInterval(before, after, 0.05).estimate,
      12,
    );
  });

  it('p-value falls as the shift grows', () => {
    const before = [1.0, 1.2, 0.9, 1.1, 1.05, 0.95, 1.15, 1.0, 1.08, 0.98];
    expect(rankSumPValue(before, [2, 2.1, 2.2], 0)).toBeCloseTo(1 / 286, 12);
    expect(rankSumPValue(before, [1.0, 1.1, 0.95], 0)).toBeGreaterThan(0.3);
  });
});

describe('Holm step-down', () => {
  it('rejects in order until one fails its level', () => {
    expect(holmRejections([0.01, 0.04, 0.03, 0.005], 0.05)).toEqual([true, false, false, true]);
  });

  it('adjusts p-values monotonically', () => {
    const adjusted = holmAdjusted([0.01, 0.04, 0.03, 0.005]);
    expect(adjusted[0]).toBeCloseTo(0.03, 12);
    expect(adjusted[1]).toBeCloseTo(0.06, 12);
    expect(adjusted[2]).toBeCloseTo(0.06, 12);
    expect(adjusted[3]).toBeCloseTo(0.02, 12);
  });
});

describe('failure counts', () => {
  it.each([
    [10, 100, 2, 100, 0.016520054662092488],
    [3, 10, 0, 10, 0.10526315789473684],
    [0, 1000, 0, 1000, 1],
    [5, 100_000, 1, 100_000, 0.10937148433984346],
  ])(
    '%i of %i against %i of %i',
    (headFailures, headRequests, baseFailures, baseRequests, expected) => {
      expect(
        moreFailuresPValue(headFailures, headRequests, baseFailures, baseRequests),
      ).toBeCloseTo(expected, 10);
    },
  );
});

// Quantiles of Student's t as printed in standard tables (one-sided upper tail probabilities).
const T_QUANTILES: [number, number, number][] = [
  [0.95, 6, 1.943],
  [0.99, 6, 3.143],
  [0.975, 10, 2.228],
  [0.995, 4, 4.604],
  [0.9, 30, 1.31],
  [0.999, 9, 4.297],
];

describe('Student t distribution', () => {
  it.each(T_QUANTILES)('quantile %d with %i degrees of freedom is %d', (p, df, t) => {
    expect(studentTQuantile(p, df)).toBeCloseTo(t, 3);
    expect(studentTCdf(t, df)).toBeCloseTo(p, 3);
  });

  it('is symmetric around zero', () => {
    expect(studentTCdf(0, 5)).toBeCloseTo(0.5, 12);
    expect(studentTCdf(-1.5, 7) + studentTCdf(1.5, 7)).toBeCloseTo(1, 12);
  });

  it('approaches the normal distribution', () => {
    expect(studentTCdf(1.959964, 100_000)).toBeCloseTo(0.975, 5);
  });
});
