/**
 * The noise-aware comparison. The unit of analysis is one run, not one request: per-request
 * latencies are correlated within a run, and a test over thousands of them calls trivial shifts
 * significant. Each metric becomes one value per run, compared on a log scale, so a shift is a
 * ratio and positive always means worse.
 *
 * - Paired: base and head ran alternately on one machine. Each pair gives a log ratio; a one-sample
 *   t-test asks whether their mean exceeds the margin. With seven pairs a rank test cannot reach
 *   the small per-test levels that a family of a few dozen tests needs (its smallest p-value is
 *   2^-7), while the t-test can, and an outlying pair widens its interval rather than shifting the
 *   verdict.
 * - History: this run against the last K runs of the base branch, usually on other machines. The
 *   spread of the history is the noise between runs; this run must stand out from it by more than
 *   the margin (a t prediction test), and the margin is at least that noise.
 *
 * Holm's method over every gated test bounds the chance of any false regression in a comparison
 * by the family alpha. A change beyond the margin whose bound does not clear it is inconclusive,
 * which does not fail the gate.
 */
import { mean, sampleStandardDeviation } from 'simple-statistics';

import { formatPointChange, formatRelativeChange } from '../format.js';
import { judgeResources } from './resources.js';
import type { EndpointResult, RunResult, ScenarioResult } from '../result/types.js';
import { holmRejections } from '../stats/holm.js';
import { moreFailuresPValue } from '../stats/proportions.js';
import { studentTCdf, studentTQuantile } from '../stats/student-t.js';
import { environmentDifferences } from './environment.js';
import { detectableShift, logThreshold, pairLogRatios, toChange, worseSign } from './log-shift.js';
import { METRICS, type MetricDefinition } from './metrics.js';
import { buildComparison, worstStatus } from './outcome.js';
import { scenarioPolicy } from './policy.js';
import {
  applyBudget,
  missingEndpoints,
  missingScenarios,
  scenarioFailures,
} from './tolerance-comparator.js';
import type {
  Comparison,
  ComparisonContext,
  EndpointComparison,
  MetricComparison,
  MetricStatus,
  Policy,
  ScenarioComparison,
} from './types.js';
import { validityProblems } from './validity.js';

/** Fewest baseline runs in the history for the history test; with fewer, the plain rule runs. */
export const MIN_HISTORY = 5;
/** Fewest pairs for the paired test. */
export const MIN_PAIRS = 3;

/** A shift on the log scale, positive when worse, with its standard error. */
interface Effect {
  estimate: number;
  standardError: number;
  degreesOfFreedom: number;
  /** Value shown as "baseline": the base side's merged figure or the history's geometric mean. */
  baseValue: number;
  /** Noise of one run, as a fraction, for a history comparison's margin. */
  noiseFloor?: number;
}

/** One gated or advisory test, before the family-wise decision. */
interface Candidate {
  comparison: MetricComparison;
  definition: MetricDefinition;
  advisory: boolean;
  /** Threshold the shift must exceed to be a regression, in the scale of `estimate`. */
  threshold: number;
  /** Shift, positive when worse: a log ratio, or a difference of error ratios. */
  estimate: number;
  /** Upper end of the shift's 95 % interval; below -threshold means a clear improvement. */
  upper: number;
  pValue: number;
  /** Standard error and degrees of freedom of a log shift, for the smallest detectable change. */
  standardError?: number;
  degreesOfFreedom?: number;
  /** Latency change too small in absolute terms to count, whatever the statistics say. */
  belowFloor: boolean;
}

export type NoiseAwareKind = 'paired' | 'history';

/** Compares `head` with `base` (paired) or with `context.history` (history). */
export function compareNoiseAware(
  kind: NoiseAwareKind,
  head: RunResult,
  base: RunResult | undefined,
  policy: Policy,
  context: ComparisonContext,
): Comparison {
  const history = context.history ?? [];
  const candidates: Candidate[] = [];
  const scenarios: ScenarioComparison[] = head.scenarios.map((scenario) => {
    const baseScenario = base?.scenarios.find((candidate) => candidate.name === scenario.name);
    const historyScenarios = history
      .map((run) => run.scenarios.find((candidate) => candidate.name === scenario.name))
      .filter((candidate): candidate is ScenarioResult => candidate !== undefined);
    const endpoints = scenario.endpoints.map((endpoint) =>
      compareEndpoint(
        kind,
        endpoint,
        baseScenario,
        historyScenarios,
        scenarioPolicy(policy, scenario),
        candidates,
      ),
    );
    const invalid = validityProblems(scenario);
    if (kind === 'paired' && baseScenario)
      invalid.push(...validityProblems(baseScenario).map((problem) => `baseline: ${problem}`));
    return {
      name: scenario.name,
      inBaseline: kind === 'paired' ? baseScenario !== undefined : historyScenarios.length > 0,
      endpoints,
      missingEndpoints: missingEndpoints(
        scenario,
        kind === 'paired' ? baseScenario : historyScenarios.at(-1),
      ),
      failures: scenarioFailures(scenario),
      invalid,
    };
  });

  decide(candidates, policy.familyAlpha);
  for (const scenario of scenarios) {
    for (const endpoint of scenario.endpoints)
      endpoint.status = worstStatus(endpoint.metrics.map((metric) => metric.status));
  }

  const reference = kind === 'paired' ? base : history.at(-1);
  const gated = candidates.filter((candidate) => !candidate.advisory).length;
  // A fault is known when the base side (paired) or any baseline run (history) had it.
  const knownRuns = kind === 'paired' ? [] : [...history];
  if (base) knownRuns.push(base);
  return buildComparison({
    scenarios,
    method: {
      kind,
      samples: kind === 'paired' ? (head.design?.runs ?? 1) : history.length,
      headRuns: head.design?.runs ?? 1,
      familyAlpha: policy.familyAlpha,
      tests: gated,
    },
    hasBaseline: reference !== undefined,
    onMissingBaseline: policy.onMissingBaseline,
    resources: judgeResources(head, knownRuns, policy.resourceBudgets),
    missingScenarios: missingScenarios(head, reference),
    environmentWarnings: reference ? environmentDifferences(head, reference) : [],
  });
}

function compareEndpoint(
  kind: NoiseAwareKind,
  head: EndpointResult,
  baseScenario: ScenarioResult | undefined,
  history: readonly ScenarioResult[],
  policy: Policy,
  candidates: Candidate[],
): EndpointComparison {
  const endpointPolicy = policy.forEndpoint(head.key);
  const base = baseScenario?.endpoints.find((candidate) => candidate.key === head.key);
  const historyEndpoints = history
    .map((scenario) => scenario.endpoints.find((candidate) => candidate.key === head.key))
    .filter((candidate): candidate is EndpointResult => candidate !== undefined);
  const inBaseline = kind === 'paired' ? base !== undefined : historyEndpoints.length > 0;

  const metrics = METRICS.map((definition) => {
    const value = definition.read(head);
    const budget = definition.budget(endpointPolicy.budgets);
    const tolerance = definition.tolerance(endpointPolicy.tolerances);
    const comparison: MetricComparison = { metric: definition.id, status: 'not-gated' };
    if (value !== undefined) comparison.head = value;
    if (budget !== undefined) comparison.budget = budget;
    if (tolerance !== undefined) comparison.tolerance = tolerance;
    if (value === undefined) {
      comparison.status = 'no-data';
      return comparison;
    }
    if (!inBaseline)
      comparison.status =
        budget !== undefined ? 'pass' : tolerance !== undefined ? 'no-baseline' : 'not-gated';

    if (inBaseline && tolerance !== undefined) {
      const candidate =
        definition.id === 'errorRatio'
          ? errorCandidate(
              comparison,
              definition,
              head,
              kind === 'paired' && base ? [base] : historyEndpoints,
              tolerance,
            )
          : shiftCandidate(
              comparison,
              definition,
              kind === 'paired'
                ? pairedEffect(definition, head, base)
                : historyEffect(definition, head, historyEndpoints),
              tolerance,
              endpointPolicy.tolerances.minLatencyChangeMs,
            );
      if (candidate) {
        candidate.advisory = policy.advisory.has(definition.id);
        candidates.push(candidate);
        // decide() sets the status, budget included, once the whole family is known.
        return comparison;
      }
      comparison.status = 'no-data';
    }
    return applyBudget(definition, comparison, value, budget);
  });
  return { key: head.key, status: 'not-gated', inBaseline, requests: head.requests, metrics };
}

/** Log ratios of each pair, positive when head is worse. */
function pairedEffect(
  definition: MetricDefinition,
  head: EndpointResult,
  base: EndpointResult | undefined,
): Effect | undefined {
  if (!base?.runs || !head.runs) return undefined;
  const ratios = pairLogRatios(definition, head, base);
  const baseValue = definition.read(base);
  if (ratios.length < MIN_PAIRS || baseValue === undefined) return undefined;
  return {
    estimate: mean(ratios),
    standardError: sampleStandardDeviation(ratios) / Math.sqrt(ratios.length),
    degreesOfFreedom: ratios.length - 1,
    baseValue,
  };
}

/** This run against the spread of the history's runs, positive when worse. */
function historyEffect(
  definition: MetricDefinition,
  head: EndpointResult,
  history: readonly EndpointResult[],
): Effect | undefined {
  const headValue = definition.read(head);
  const logs = history
    .map((endpoint) => definition.read(endpoint))
    .filter((value): value is number => value !== undefined && value > 0)
    .map((value) => Math.log(value));
  if (headValue === undefined || headValue <= 0 || logs.length < MIN_HISTORY) return undefined;
  const center = mean(logs);
  const spread = sampleStandardDeviation(logs);
  return {
    estimate: worseSign(definition) * (Math.log(headValue) - center),
    // This run is one more draw from the history's spread, whose center is itself estimated.
    standardError: spread * Math.sqrt(1 + 1 / logs.length),
    degreesOfFreedom: logs.length - 1,
    baseValue: Math.exp(center),
    noiseFloor: Math.exp(spread) - 1,
  };
}

function shiftCandidate(
  comparison: MetricComparison,
  definition: MetricDefinition,
  effect: Effect | undefined,
  tolerance: number,
  minLatencyChangeMs: number,
): Candidate | undefined {
  if (!effect || comparison.head === undefined) return undefined;
  const margin = Math.max(tolerance, effect.noiseFloor ?? 0);
  // A tolerance is an increase for latency and a drop for throughput; both become log thresholds.
  const threshold = logThreshold(definition, margin);
  const { estimate, standardError, degreesOfFreedom } = effect;
  const pValue =
    standardError > 0
      ? 1 - studentTCdf((estimate - threshold) / standardError, degreesOfFreedom)
      : estimate > threshold
        ? 0
        : 1;
  const halfWidth = standardError * studentTQuantile(0.975, degreesOfFreedom);

  comparison.base = effect.baseValue;
  comparison.margin = margin;
  comparison.pValue = pValue;
  comparison.change = toChange(definition, estimate);
  const ends = [
    toChange(definition, estimate - halfWidth),
    toChange(definition, estimate + halfWidth),
  ].sort((a, b) => a - b);
  comparison.interval = [ends[0] ?? Number.NaN, ends[1] ?? Number.NaN];
  // The absolute change that the estimate implies, so paired and history runs are judged alike.
  const belowFloor =
    definition.unit === 'ms' &&
    Math.abs(effect.baseValue * Math.expm1(worseSign(definition) * estimate)) < minLatencyChangeMs;
  if (belowFloor) comparison.floorMs = minLatencyChangeMs;
  return {
    comparison,
    definition,
    advisory: false,
    threshold,
    estimate,
    upper: estimate + halfWidth,
    pValue,
    standardError,
    degreesOfFreedom,
    belowFloor,
  };
}

function errorCandidate(
  comparison: MetricComparison,
  definition: MetricDefinition,
  head: EndpointResult,
  base: readonly EndpointResult[],
  floor: number,
): Candidate | undefined {
  const baseRequests = base.reduce((sum, endpoint) => sum + endpoint.requests, 0);
  const baseFailures = base.reduce((sum, endpoint) => sum + endpoint.failures, 0);
  if (baseRequests === 0 || head.requests === 0) return undefined;
  const headRatio = head.failures / head.requests;
  const baseRatio = baseFailures / baseRequests;
  const difference = headRatio - baseRatio;
  // Normal approximation of the difference's interval, for display; the decision uses exact counts.
  const spread =
    1.96 *
    Math.sqrt(
      (headRatio * (1 - headRatio)) / head.requests + (baseRatio * (1 - baseRatio)) / baseRequests,
    );
  comparison.base = baseRatio;
  comparison.change = difference;
  comparison.interval = [difference - spread, difference + spread];
  comparison.margin = floor;
  // An increase within the floor cannot be a regression, so its test never rejects.
  const pValue =
    difference > floor
      ? moreFailuresPValue(head.failures, head.requests, baseFailures, baseRequests)
      : 1;
  comparison.pValue = pValue;
  return {
    comparison,
    definition,
    advisory: false,
    threshold: floor,
    estimate: difference,
    upper: difference + spread,
    pValue,
    belowFloor: false,
  };
}

/** Applies Holm's method to the gated tests and sets every candidate's status. */
function decide(candidates: Candidate[], familyAlpha: number): void {
  const gated = candidates.filter((candidate) => !candidate.advisory);
  const rejected = holmRejections(
    gated.map((candidate) => candidate.pValue),
    familyAlpha,
  );
  const regressions = new Set(gated.filter((_, index) => rejected[index]));
  // The first step of Holm's method tests at alpha / m; a change must clear that to be detected.
  const firstLevel = familyAlpha / Math.max(1, gated.length);

  for (const candidate of candidates) {
    const { comparison, definition, estimate, threshold } = candidate;
    if (candidate.standardError !== undefined && candidate.degreesOfFreedom !== undefined) {
      comparison.detectable = toChange(
        definition,
        detectableShift(threshold, candidate.standardError, candidate.degreesOfFreedom, firstLevel),
      );
    }
    let status: MetricStatus = 'pass';
    const worse = estimate > threshold && !candidate.belowFloor;
    if (candidate.advisory) {
      // Advisory metrics are shown with their test and never fail the gate.
      status = worse ? 'advisory' : 'not-gated';
    } else if (regressions.has(candidate) && !candidate.belowFloor) {
      status = 'regression';
      comparison.reason = describeRegression(comparison, definition);
    } else if (worse) {
      status = 'inconclusive';
    } else if (candidate.upper < -threshold) {
      status = 'improvement';
    }
    comparison.status = status;
    if (comparison.head !== undefined && comparison.budget !== undefined) {
      const budgeted = applyBudget(definition, comparison, comparison.head, comparison.budget);
      comparison.status = budgeted.status;
      if (budgeted.reason !== undefined) comparison.reason = budgeted.reason;
    }
  }
}

function describeRegression(comparison: MetricComparison, definition: MetricDefinition): string {
  const change = comparison.change ?? 0;
  const format = definition.toleranceKind === 'absolute' ? formatPointChange : formatRelativeChange;
  const interval = comparison.interval
    ? ` (95 % CI ${format(comparison.interval[0])} to ${format(comparison.interval[1])})`
    : '';
  const margin =
    comparison.margin === undefined
      ? ''
      : `, beyond the ${definition.toleranceKind === 'absolute' ? formatPointChange(comparison.margin) : `${definition.better === 'lower' ? '+' : '-'}${formatRelativeChange(comparison.margin).replace(/^\+/u, '')}`} margin`;
  return `${definition.label} changed by ${format(change)}${interval}${margin}`;
}
