/**
 * Shifts on a log scale, shared by the noise-aware comparison and the calibration. A shift is the
 * log of a ratio with its sign chosen so that positive always means worse: slower for latency,
 * lower for throughput.
 */
import type { EndpointResult, EndpointRunFigures } from '../result/types.js';
import { studentTQuantile } from '../stats/student-t.js';
import type { MetricDefinition } from './metrics.js';

/** Power that the smallest detectable change is computed for. */
export const POWER = 0.8;

export function worseSign(definition: MetricDefinition): 1 | -1 {
  return definition.better === 'lower' ? 1 : -1;
}

/** Converts a log shift (positive when worse) into the displayed change of the metric. */
export function toChange(definition: MetricDefinition, shift: number): number {
  return Math.expm1(worseSign(definition) * shift);
}

/**
 * The log shift that a relative margin allows: an increase for latency, a drop for throughput.
 */
export function logThreshold(definition: MetricDefinition, margin: number): number {
  return definition.better === 'lower' ? Math.log1p(margin) : -Math.log1p(-Math.min(margin, 0.99));
}

/** One run's value of a metric. */
export function readRun(
  definition: MetricDefinition,
  run: EndpointRunFigures | undefined,
): number | undefined {
  if (!run) return undefined;
  switch (definition.id) {
    case 'p50':
      return run.p50Ms;
    case 'p90':
      return run.p90Ms;
    case 'p95':
      return run.p95Ms;
    case 'p99':
      return run.p99Ms;
    case 'max':
      return run.maxMs;
    case 'throughput':
      return run.throughputPerSecond;
    case 'errorRatio':
      return run.requests > 0 ? run.failures / run.requests : undefined;
  }
}

/**
 * Log ratios of head to base for each pair of runs, positive when head is worse. Pairs in which
 * either side has no positive value are left out.
 */
export function pairLogRatios(
  definition: MetricDefinition,
  head: EndpointResult,
  base: EndpointResult,
): number[] {
  const ratios: number[] = [];
  for (const [index, headRun] of (head.runs ?? []).entries()) {
    const headValue = readRun(definition, headRun);
    const baseValue = readRun(definition, base.runs?.[index]);
    if (headValue === undefined || baseValue === undefined || headValue <= 0 || baseValue <= 0)
      continue;
    ratios.push(worseSign(definition) * Math.log(headValue / baseValue));
  }
  return ratios;
}

/**
 * The smallest shift a one-sided t-test at `level` detects with probability POWER, given the
 * threshold it must clear and the standard error of the estimate.
 */
export function detectableShift(
  threshold: number,
  standardError: number,
  degreesOfFreedom: number,
  level: number,
): number {
  return (
    threshold +
    standardError *
      (studentTQuantile(1 - level, degreesOfFreedom) + studentTQuantile(POWER, degreesOfFreedom))
  );
}
