/**
 * The comparison's output, and the interface any comparison rule implements, so that the plain
 * tolerance rule can be replaced by a noise-aware one without touching the report.
 */
import type { Budgets, Tolerances } from '../config/types.js';
import type { RunResult } from '../result/types.js';
import type { MetricId } from './metrics.js';

/**
 * - pass: within budget and tolerance
 * - improvement: better than the baseline by more than the tolerance
 * - regression: worse than the baseline by more than the tolerance
 * - over-budget: beyond an absolute budget
 * - no-baseline: no baseline value to compare with, and within budget
 * - no-data: this run has no value (for example no p99 in a summary)
 * - not-gated: neither a budget nor a tolerance applies; shown for information
 */
export type MetricStatus =
  'pass' | 'improvement' | 'regression' | 'over-budget' | 'no-baseline' | 'no-data' | 'not-gated';

/** Statuses that fail the gate. */
export const FAILING_STATUSES: ReadonlySet<MetricStatus> = new Set(['regression', 'over-budget']);

export interface MetricComparison {
  metric: MetricId;
  head?: number;
  base?: number;
  /**
   * Change against the baseline: a fraction for relative metrics (0.12 = +12 %), a difference for
   * absolute ones (error rate: 0.005 = +0.5 percentage points).
   */
  change?: number;
  budget?: number;
  /** Tolerance applied, in the metric's tolerance kind. */
  tolerance?: number;
  status: MetricStatus;
  /** Why the status was given, in a sentence, for failing and notable statuses. */
  reason?: string;
}

export interface EndpointComparison {
  key: string;
  /** Worst status of its metrics. */
  status: MetricStatus;
  /** Whether the baseline had this endpoint. */
  inBaseline: boolean;
  requests: number;
  metrics: MetricComparison[];
}

export interface ScenarioComparison {
  name: string;
  /** Whether the baseline had this scenario. */
  inBaseline: boolean;
  endpoints: EndpointComparison[];
  /** Endpoints the baseline had that this run did not request. */
  missingEndpoints: string[];
  /** Reasons that fail the scenario outside the metrics, such as crossed k6 thresholds. */
  failures: string[];
}

/** The overall answer: fail when any gated metric fails; no-baseline when nothing was compared. */
export type Verdict = 'pass' | 'fail' | 'no-baseline';

export interface Comparison {
  verdict: Verdict;
  /** Whether a baseline was given, and whether its absence fails the gate. */
  baseline: 'present' | 'missing' | 'missing-fails';
  /** One sentence per reason the verdict is fail, for logs and the report's headline. */
  failures: string[];
  scenarios: ScenarioComparison[];
  /** Scenarios the baseline had that this run did not run. */
  missingScenarios: string[];
  counts: { regressions: number; overBudget: number; improvements: number; endpoints: number };
}

/** Budgets and tolerances for one endpoint. */
export interface EndpointPolicy {
  budgets: Budgets;
  tolerances: Tolerances;
}

/** Looks up the policy of an endpoint by its key. */
export interface Policy {
  forEndpoint(key: string): EndpointPolicy;
  /** Verdict when no baseline exists. */
  onMissingBaseline: 'pass' | 'fail';
}

/** A comparison rule. */
export interface Comparator {
  compare(head: RunResult, base: RunResult | undefined, policy: Policy): Comparison;
}
