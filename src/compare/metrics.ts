/**
 * The metrics perf-gate compares: where each value comes from, its unit, which direction is
 * better, and which budget and tolerance apply. Every other module reads these definitions
 * rather than knowing about metrics itself.
 */
import type { Budgets, Tolerances } from '../config/types.js';
import type { EndpointResult } from '../result/types.js';

export type MetricId = 'p50' | 'p90' | 'p95' | 'p99' | 'max' | 'errorRatio' | 'throughput';

export type MetricUnit = 'ms' | 'ratio' | 'per-second';

export interface MetricDefinition {
  id: MetricId;
  /** Name in reports: `p95`, `error rate`. */
  label: string;
  unit: MetricUnit;
  better: 'lower' | 'higher';
  /** Reads the value from an endpoint's result; undefined when unknown. */
  read: (endpoint: EndpointResult) => number | undefined;
  /** The absolute limit on this metric. */
  budget: (budgets: Budgets) => number | undefined;
  /** The allowed change against the baseline. */
  tolerance: (tolerances: Tolerances) => number | undefined;
  /** Whether the tolerance is a fraction of the baseline or an absolute difference. */
  toleranceKind: 'relative' | 'absolute';
}

const latency = (
  id: 'p50' | 'p90' | 'p95' | 'p99' | 'max',
  field: 'p50Ms' | 'p90Ms' | 'p95Ms' | 'p99Ms' | 'maxMs',
  budget: keyof Budgets,
): MetricDefinition => ({
  id,
  label: id,
  unit: 'ms',
  better: 'lower',
  read: (endpoint) => endpoint.latency[field],
  budget: (budgets) => budgets[budget],
  tolerance: (tolerances) => tolerances[id],
  toleranceKind: 'relative',
});

/** In report order. */
export const METRICS: readonly MetricDefinition[] = [
  latency('p50', 'p50Ms', 'p50Ms'),
  latency('p90', 'p90Ms', 'p90Ms'),
  latency('p95', 'p95Ms', 'p95Ms'),
  latency('p99', 'p99Ms', 'p99Ms'),
  latency('max', 'maxMs', 'maxMs'),
  {
    id: 'errorRatio',
    label: 'error rate',
    unit: 'ratio',
    better: 'lower',
    read: (endpoint) => endpoint.errorRatio,
    budget: (budgets) => budgets.errorRatio,
    tolerance: (tolerances) => tolerances.errorRatioIncrease,
    toleranceKind: 'absolute',
  },
  {
    id: 'throughput',
    label: 'throughput',
    unit: 'per-second',
    better: 'higher',
    read: (endpoint) => endpoint.throughputPerSecond,
    budget: (budgets) => budgets.throughputPerSecond,
    tolerance: (tolerances) => tolerances.throughputDecrease,
    toleranceKind: 'relative',
  },
];

/** Returns the definition of `id`; an unknown id is a programming error. */
export function metricDefinition(id: MetricId): MetricDefinition {
  const definition = METRICS.find((metric) => metric.id === id);
  if (!definition) throw new Error(`Unknown metric ${id}`);
  return definition;
}
