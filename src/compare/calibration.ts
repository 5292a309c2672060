/**
 * Calibration: the same revision measured against itself (A/A) in alternating runs. Every
 * difference between A and B is noise, so the runs tell how large the noise of each metric is,
 * which change the paired and the history designs can detect at that noise, and how often the
 * configured margins would raise a false alarm.
 *
 * The false-alarm rate comes from sign flips: with no real difference, each pair's log ratio is
 * as likely to be negative as positive, so flipping the signs of any subset of pairs gives another
 * equally likely A/A outcome. Each pattern of flips is judged like a real comparison (the same
 * t-tests, margins and Holm's method over the family), and the share of patterns that end in a
 * regression estimates the false-alarm rate of one comparison. Flipping whole pairs across every
 * metric at once keeps the correlation between metrics of one run.
 */
import { mean, sampleStandardDeviation } from 'simple-statistics';

import type { EndpointResult, RunResult } from '../result/types.js';
import { holmRejections } from '../stats/holm.js';
import { seededRandom } from '../stats/random.js';
import { studentTCdf } from '../stats/student-t.js';
import { noiseAwareComparator } from './compare-runs.js';
import { detectableShift, logThreshold, readRun, toChange, worseSign } from './log-shift.js';
import { METRICS, type MetricDefinition, type MetricId } from './metrics.js';
import { scenarioPolicy } from './policy.js';
import type { Comparison, Policy } from './types.js';

/** Sign patterns judged at most; with more pairs than this allows, a seeded sample is drawn. */
export const MAX_PATTERNS = 4096;

export interface MetricNoise {
  metric: MetricId;
  /** Pairs with a value on both sides. */
  pairs: number;
  /** Mean change of B against A: near zero unless the order of runs matters. */
  shift: number;
  /** Standard deviation of one pair's change, as a fraction (log scale, converted). */
  pairNoise: number;
  /** Standard deviation of one run around its side's mean, as a fraction. */
  runNoise: number;
  /** The configured margin. */
  margin: number;
  /** Smallest change the paired design detects with 80 % power, with `design.pairs` pairs. */
  detectablePaired: number;
  /** The same for the history design, with `design.history` baseline runs. */
  detectableHistory: number;
  /** Share of sign patterns in which this metric's own test reports a regression. */
  falseAlarms: number;
  advisory: boolean;
}

export interface EndpointNoise {
  scenario: string;
  key: string;
  metrics: MetricNoise[];
}

export interface Calibration {
  /** Pairs measured. */
  pairs: number;
  /** The designs that detectable changes are computed for. */
  design: { pairs: number; history: number };
  familyAlpha: number;
  /** Gated tests in one comparison, which sets each test's level under Holm's method. */
  tests: number;
  /** Sign patterns judged, and how many ended in a regression. */
  patterns: number;
  falseAlarmPatterns: number;
  /** The comparison of B with A as measured, which should pass. */
  comparison: Comparison;
  endpoints: EndpointNoise[];
}

/** One gated or advisory metric with its per-pair log ratios, by pair index. */
interface Series {
  definition: MetricDefinition;
  ratios: (number | undefined)[];
  threshold: number;
  advisory: boolean;
}

/**
 * Analyses an A/A calibration: `a` and `b` are the merged results of the two sides, measured in
 * alternating pairs, with `runs` kept per endpoint.
 */
export function calibrate(
  a: RunResult,
  b: RunResult,
  policy: Policy,
  design: { pairs: number; history: number },
): Calibration {
  const comparison = noiseAwareComparator.compare(b, a, policy);
  const tests = Math.max(1, comparison.method.tests ?? 1);
  const level = policy.familyAlpha / tests;
  const pairs = Math.min(a.design?.runs ?? 1, b.design?.runs ?? 1);

  const endpoints: EndpointNoise[] = [];
  const series: Series[] = [];
  const noiseOf = new Map<Series, MetricNoise>();
  for (const scenario of b.scenarios) {
    const baseScenario = a.scenarios.find((candidate) => candidate.name === scenario.name);
    for (const endpoint of scenario.endpoints) {
      const base = baseScenario?.endpoints.find((candidate) => candidate.key === endpoint.key);
      if (!base) continue;
      const tolerances = scenarioPolicy(policy, scenario).forEndpoint(endpoint.key).tolerances;
      const metrics: MetricNoise[] = [];
      for (const definition of METRICS) {
        // Error counts are tested by their counts, not by a shift, and have no noise to learn.
        if (definition.id === 'errorRatio') continue;
        const margin = definition.tolerance(tolerances);
        if (margin === undefined) continue;
        const ratios = indexedRatios(definition, endpoint, base, pairs);
        const present = ratios.filter((ratio): ratio is number => ratio !== undefined);
        if (present.length < 3) continue;
        const advisory = policy.advisory.has(definition.id);
        const threshold = logThreshold(definition, margin);
        const entry: Series = { definition, ratios, threshold, advisory };
        const noise = describeNoise(entry, present, runSpread(definition, endpoint, base), {
          margin,
          level,
          design,
        });
        series.push(entry);
        noiseOf.set(entry, noise);
        metrics.push(noise);
      }
      if (metrics.length > 0)
        endpoints.push({ scenario: scenario.name, key: endpoint.key, metrics });
    }
  }

  // The gated tests that sign flips cannot reach (error counts) keep the p-values they had.
  const gatedShifts = series.filter((entry) => !entry.advisory);
  const fixedPValues = fixedFamilyPValues(comparison, tests - gatedShifts.length);
  const patterns = signPatterns(pairs);
  let falseAlarmPatterns = 0;
  const alarms = new Map<Series, number>();
  for (const pattern of patterns) {
    const pValues = new Map(series.map((entry) => [entry, flippedPValue(entry, pattern)]));
    for (const [entry, pValue] of pValues) {
      if (pValue <= level) alarms.set(entry, (alarms.get(entry) ?? 0) + 1);
    }
    const family = [...gatedShifts.map((entry) => pValues.get(entry) ?? 1), ...fixedPValues];
    if (holmRejections(family, policy.familyAlpha).some(Boolean)) falseAlarmPatterns += 1;
  }
  for (const [entry, noise] of noiseOf)
    noise.falseAlarms = (alarms.get(entry) ?? 0) / patterns.length;

  return {
    pairs,
    design,
    familyAlpha: policy.familyAlpha,
    tests,
    patterns: patterns.length,
    falseAlarmPatterns,
    comparison,
    endpoints,
  };
}

function describeNoise(
  entry: Series,
  ratios: number[],
  runSd: number | undefined,
  settings: { margin: number; level: number; design: { pairs: number; history: number } },
): MetricNoise {
  const { definition, threshold } = entry;
  const { margin, level, design } = settings;
  const pairSd = sampleStandardDeviation(ratios);
  const runNoise = runSd ?? pairSd / Math.SQRT2;
  // The history design widens its margin to the noise of one run, as the comparison does.
  const historyThreshold = logThreshold(definition, Math.max(margin, Math.expm1(runNoise)));
  return {
    metric: definition.id,
    pairs: ratios.length,
    shift: toChange(definition, mean(ratios)),
    pairNoise: Math.expm1(pairSd),
    runNoise: Math.expm1(runNoise),
    margin,
    detectablePaired: toChange(
      definition,
      detectableShift(threshold, pairSd / Math.sqrt(design.pairs), design.pairs - 1, level),
    ),
    detectableHistory: toChange(
      definition,
      detectableShift(
        historyThreshold,
        runNoise * Math.sqrt(1 + 1 / design.history),
        design.history - 1,
        level,
      ),
    ),
    falseAlarms: 0,
    advisory: entry.advisory,
  };
}

/** Log ratios by pair index; undefined where a pair lacks a value. */
function indexedRatios(
  definition: MetricDefinition,
  head: EndpointResult,
  base: EndpointResult,
  pairs: number,
): (number | undefined)[] {
  return Array.from({ length: pairs }, (_, index) => {
    const headValue = readRun(definition, head.runs?.[index]);
    const baseValue = readRun(definition, base.runs?.[index]);
    if (headValue === undefined || baseValue === undefined || headValue <= 0 || baseValue <= 0)
      return undefined;
    return worseSign(definition) * Math.log(headValue / baseValue);
  });
}

/** Pooled standard deviation of single runs' log values around each side's own mean. */
function runSpread(
  definition: MetricDefinition,
  head: EndpointResult,
  base: EndpointResult,
): number | undefined {
  const logs = (endpoint: EndpointResult) =>
    (endpoint.runs ?? [])
      .map((run) => readRun(definition, run))
      .filter((value): value is number => value !== undefined && value > 0)
      .map((value) => Math.log(value));
  const sides = [logs(head), logs(base)].filter((side) => side.length >= 2);
  if (sides.length === 0) return undefined;
  let squares = 0;
  let degrees = 0;
  for (const side of sides) {
    const center = mean(side);
    squares += side.reduce((sum, value) => sum + (value - center) ** 2, 0);
    degrees += side.length - 1;
  }
  return Math.sqrt(squares / degrees);
}

/** p-value of a series' one-sided t-test against its threshold, with the pattern's signs. */
function flippedPValue(entry: Series, pattern: readonly boolean[]): number {
  const values: number[] = [];
  for (const [index, ratio] of entry.ratios.entries()) {
    if (ratio !== undefined) values.push(pattern[index] ? -ratio : ratio);
  }
  const center = mean(values);
  const standardError = sampleStandardDeviation(values) / Math.sqrt(values.length);
  if (standardError === 0) return center > entry.threshold ? 0 : 1;
  return 1 - studentTCdf((center - entry.threshold) / standardError, values.length - 1);
}

/** p-values of the gated tests that are not shifts, from the measured comparison. */
function fixedFamilyPValues(comparison: Comparison, count: number): number[] {
  const values = comparison.scenarios
    .flatMap((scenario) => scenario.endpoints)
    .flatMap((endpoint) => endpoint.metrics)
    .filter((metric) => metric.metric === 'errorRatio' && metric.pValue !== undefined)
    .map((metric) => metric.pValue ?? 1);
  return Array.from({ length: Math.max(0, count) }, (_, index) => values[index] ?? 1);
}

/** Every pattern of sign flips over `pairs` pairs, or a seeded sample of MAX_PATTERNS of them. */
export function signPatterns(pairs: number): boolean[][] {
  if (2 ** pairs <= MAX_PATTERNS) {
    return Array.from({ length: 2 ** pairs }, (_, bits) =>
      Array.from({ length: pairs }, (_, index) => ((bits >> index) & 1) === 1),
    );
  }
  const random = seededRandom(pairs);
  return Array.from({ length: MAX_PATTERNS }, () =>
    Array.from({ length: pairs }, () => random() < 0.5),
  );
}
