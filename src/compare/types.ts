/**
 * The comparison's output, and the interface every comparison rule implements, so that rules can
 * be swapped without touching the report.
 */
import type { Budgets, ResourceBudgets, Tolerances } from '../config/types.js';
import type { JudgedFinding } from './resources.js';
import type { RunResult } from '../result/types.js';
import type { MetricId } from './metrics.js';

/**
 * - pass: within budget, and no change beyond the margin was found
 * - improvement: better than the baseline beyond the margin, with confidence
 * - regression: worse than the baseline beyond the margin, with confidence
 * - inconclusive: the estimate is beyond the margin, but the confidence bound is not
 * - over-budget: beyond an absolute budget
 * - advisory: an advisory metric (p99 by default) estimated beyond its margin; never fails
 * - no-baseline: no baseline value to compare with, and within budget
 * - no-data: this run has no value (for example no p99 in a summary)
 * - not-gated: neither a budget nor a tolerance applies; shown for information
 */
export type MetricStatus =
  | 'pass'
  | 'improvement'
  | 'regression'
  | 'inconclusive'
  | 'over-budget'
  | 'advisory'
  | 'no-baseline'
  | 'no-data'
  | 'not-gated';

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
  /** Two-sided 95 % confidence interval of the change, in the unit of `change`. */
  interval?: [number, number];
  budget?: number;
  /** Tolerance the user configured, in the metric's tolerance kind. */
  tolerance?: number;
  /** Margin the decision used: the tolerance, or the measured noise floor when that is larger. */
  margin?: number;
  /** Smallest change that this comparison would detect with 80 % power; an estimate. */
  detectable?: number;
  /** One-sided p-value for "worse than the margin", before the family-wise adjustment. */
  pValue?: number;
  status: MetricStatus;
  /** Why the status was given, in a sentence, for failing and notable statuses. */
  reason?: string;
  /**
   * The latency floor (regression.min-latency-change), set when the change in milliseconds was
   * smaller: such a change never counts, whatever its percentage.
   */
  floorMs?: number;
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
  /** Why this run's measurement (or the baseline's) cannot be trusted; empty when valid. */
  invalid: string[];
}

/**
 * The overall answer, most severe first: invalid (the measurement cannot be trusted), regression,
 * faults (the monitoring found a fault the baseline did not have, such as a connection leak),
 * over-budget, inconclusive (neutral), improvement, pass, or no-baseline.
 */
export type Verdict =
  | 'invalid'
  | 'regression'
  | 'faults'
  | 'over-budget'
  | 'inconclusive'
  | 'improvement'
  | 'pass'
  | 'no-baseline';

/** Verdicts that fail the gate. */
export const FAILING_VERDICTS: ReadonlySet<Verdict> = new Set([
  'invalid',
  'regression',
  'faults',
  'over-budget',
]);

/** How the comparison was made. */
export interface ComparisonMethod {
  /**
   * paired: alternating runs of base and head on one machine; history: this run against the
   * baseline runs of the base branch; tolerance: one run against one baseline run.
   */
  kind: 'paired' | 'history' | 'tolerance';
  /** Pairs, or baseline runs in the history, or 1. */
  samples: number;
  /** Runs of this measurement. */
  headRuns: number;
  /** Chance of any false regression in the whole comparison that the test allows. */
  familyAlpha?: number;
  /** Gated tests in the family. */
  tests?: number;
  /** A sentence for the report, such as why the plain rule was used. */
  note?: string;
}

export interface Comparison {
  verdict: Verdict;
  method: ComparisonMethod;
  /** Whether a baseline was given, and whether its absence fails the gate. */
  baseline: 'present' | 'missing' | 'missing-fails';
  /** One sentence per reason the verdict fails, for logs and the report's headline. */
  failures: string[];
  scenarios: ScenarioComparison[];
  /** Scenarios the baseline had that this run did not run. */
  missingScenarios: string[];
  /** Differences between the machines or tools of base and head that make the comparison weaker. */
  environmentWarnings: string[];
  /** Findings of the container monitoring; those the baseline also had do not fail. */
  findings: JudgedFinding[];
  counts: {
    regressions: number;
    overBudget: number;
    improvements: number;
    inconclusive: number;
    endpoints: number;
  };
}

/** Budgets and tolerances for one endpoint. */
export interface EndpointPolicy {
  budgets: Budgets;
  tolerances: Tolerances;
}

/** Looks up the policy of an endpoint by its key, and the settings of the whole comparison. */
export interface Policy {
  forEndpoint(key: string): EndpointPolicy;
  /** Verdict when no baseline exists. */
  onMissingBaseline: 'pass' | 'fail';
  /** Chance of any false regression per comparison, for the noise-aware rules (0.05). */
  familyAlpha: number;
  /** Metrics shown with their test but never failing the gate (p99 and max by default). */
  advisory: ReadonlySet<MetricId>;
  /** Limits on each container's peak memory and mean CPU; none when absent. */
  resourceBudgets?: ResourceBudgets;
}

/** What a comparison may draw on besides the two results. */
export interface ComparisonContext {
  /** Earlier baseline runs of the base branch, newest last. */
  history?: readonly RunResult[];
}

/** A comparison rule. */
export interface Comparator {
  compare(
    head: RunResult,
    base: RunResult | undefined,
    policy: Policy,
    context?: ComparisonContext,
  ): Comparison;
}
