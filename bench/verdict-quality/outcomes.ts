/**
 * What one comparison of the benchmark ended in, and tallies of many. A detection is a regression
 * reported on the slowed endpoint; a regression reported on any other endpoint, or on any
 * endpoint when nothing was slowed, is a false alarm.
 */
import type { Comparison, Verdict } from '../../src/compare/types.js';
import { TARGET_ENDPOINT } from './real.js';

export interface Outcome {
  verdict: Verdict;
  /** A regression on the slowed endpoint. */
  detected: boolean;
  /** A regression on any other endpoint. */
  falseAlarm: boolean;
  /** Measured change of the slowed endpoint's p50 and p95, when compared. */
  p50Change?: number;
  p95Change?: number;
}

export function outcomeOf(comparison: Comparison): Outcome {
  const endpoints = comparison.scenarios.flatMap((scenario) => scenario.endpoints);
  const target = endpoints.filter((endpoint) => endpoint.key === TARGET_ENDPOINT);
  const outcome: Outcome = {
    verdict: comparison.verdict,
    detected: target.some((endpoint) => endpoint.status === 'regression'),
    falseAlarm: endpoints.some(
      (endpoint) => endpoint.key !== TARGET_ENDPOINT && endpoint.status === 'regression',
    ),
  };
  const metric = (id: string) =>
    target[0]?.metrics.find((candidate) => candidate.metric === id)?.change;
  const p50 = metric('p50');
  const p95 = metric('p95');
  if (p50 !== undefined) outcome.p50Change = p50;
  if (p95 !== undefined) outcome.p95Change = p95;
  return outcome;
}

export interface Tally {
  comparisons: number;
  /** Comparisons whose verdict is "regression". */
  regressions: number;
  detected: number;
  falseAlarms: number;
  inconclusive: number;
  invalid: number;
  /** Mean measured change of the slowed endpoint's p50 and p95. */
  p50Change: number;
  p95Change: number;
}

export function tally(outcomes: readonly Outcome[]): Tally {
  const mean = (values: number[]) =>
    values.length === 0
      ? Number.NaN
      : values.reduce((sum, value) => sum + value, 0) / values.length;
  return {
    comparisons: outcomes.length,
    regressions: outcomes.filter((outcome) => outcome.verdict === 'regression').length,
    detected: outcomes.filter((outcome) => outcome.detected).length,
    falseAlarms: outcomes.filter((outcome) => outcome.falseAlarm).length,
    inconclusive: outcomes.filter((outcome) => outcome.verdict === 'inconclusive').length,
    invalid: outcomes.filter((outcome) => outcome.verdict === 'invalid').length,
    p50Change: mean(outcomes.flatMap((outcome) => outcome.p50Change ?? [])),
    p95Change: mean(outcomes.flatMap((outcome) => outcome.p95Change ?? [])),
  };
}
