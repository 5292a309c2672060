/**
 * The plain tolerance rule, for one run against one baseline run, where there is no sample to
 * estimate noise from: a metric regresses when this run is worse than the baseline by more than
 * its margin, and fails its budget when it is beyond the absolute limit. The margin is the
 * tolerance, widened to the noise this rule assumes because it cannot see any.
 */
import { ASSUMED_NOISE_FLOOR } from '../config/defaults.js';
import { formatPointChange, formatRelativeChange, formatValue } from '../format.js';
import { judgeResources } from './resources.js';
import type { EndpointResult, RunResult, ScenarioResult } from '../result/types.js';
import { environmentDifferences } from './environment.js';
import { METRICS, type MetricDefinition } from './metrics.js';
import { buildComparison, worstStatus } from './outcome.js';
import { scenarioPolicy } from './policy.js';
import type {
  Comparator,
  Comparison,
  EndpointComparison,
  EndpointPolicy,
  MetricComparison,
  MetricStatus,
  Policy,
  ScenarioComparison,
} from './types.js';
import { validityProblems } from './validity.js';

export const toleranceComparator: Comparator = {
  compare(head: RunResult, base: RunResult | undefined, policy: Policy): Comparison {
    const scenarios = head.scenarios.map((scenario) =>
      compareScenario(
        scenario,
        base?.scenarios.find((candidate) => candidate.name === scenario.name),
        policy,
      ),
    );
    return buildComparison({
      scenarios,
      method: {
        kind: 'tolerance',
        samples: base ? 1 : 0,
        headRuns: 1,
        note: 'One run against one baseline run: no estimate of noise, so the margins are at least the noise assumed for such runs.',
      },
      hasBaseline: base !== undefined,
      onMissingBaseline: policy.onMissingBaseline,
      missingScenarios: missingScenarios(head, base),
      resources: judgeResources(head, base ? [base] : [], policy.resourceBudgets),
      environmentWarnings: base ? environmentDifferences(head, base) : [],
    });
  },
};

/** Lists the scenarios `base` had that `head` did not run. */
export function missingScenarios(head: RunResult, base: RunResult | undefined): string[] {
  return (base?.scenarios ?? [])
    .map((scenario) => scenario.name)
    .filter((name) => !head.scenarios.some((scenario) => scenario.name === name));
}

/** Returns the failures of a scenario outside its metrics: crossed k6 thresholds. */
export function scenarioFailures(head: ScenarioResult): string[] {
  return head.thresholdsFailed.length > 0
    ? [`k6 thresholds crossed: ${head.thresholdsFailed.join('; ')}`]
    : [];
}

function compareScenario(
  head: ScenarioResult,
  base: ScenarioResult | undefined,
  policy: Policy,
): ScenarioComparison {
  const forScenario = scenarioPolicy(policy, head);
  const endpoints = head.endpoints.map((endpoint) =>
    compareEndpoint(
      endpoint,
      base?.endpoints.find((candidate) => candidate.key === endpoint.key),
      forScenario.forEndpoint(endpoint.key),
      forScenario,
    ),
  );
  return {
    name: head.name,
    inBaseline: base !== undefined,
    endpoints,
    missingEndpoints: missingEndpoints(head, base),
    failures: scenarioFailures(head),
    invalid: validityProblems(head),
  };
}

/** Lists the endpoints `base` had that `head` did not request. */
export function missingEndpoints(head: ScenarioResult, base: ScenarioResult | undefined): string[] {
  return (base?.endpoints ?? [])
    .map((endpoint) => endpoint.key)
    .filter((key) => !head.endpoints.some((endpoint) => endpoint.key === key));
}

function compareEndpoint(
  head: EndpointResult,
  base: EndpointResult | undefined,
  endpointPolicy: EndpointPolicy,
  policy: Policy,
): EndpointComparison {
  const metrics = METRICS.map((definition) => {
    const comparison = compareMetric(definition, head, base, endpointPolicy);
    return policy.advisory.has(definition.id) ? asAdvisory(comparison) : comparison;
  });
  return {
    key: head.key,
    status: worstStatus(metrics.map((metric) => metric.status)),
    inBaseline: base !== undefined,
    requests: head.requests,
    metrics,
  };
}

/**
 * Turns a metric's failing status into "advisory": shown, never failing the gate. An advisory
 * metric that got better does not make the verdict "improvement" either, as in the noise-aware
 * comparison: a tail percentile swings most between identical runs.
 */
export function asAdvisory(comparison: MetricComparison): MetricComparison {
  if (comparison.status === 'regression' || comparison.status === 'inconclusive') {
    const advisory: MetricComparison = { ...comparison, status: 'advisory' };
    delete advisory.reason;
    return advisory;
  }
  if (comparison.status === 'pass' || comparison.status === 'improvement') {
    return { ...comparison, status: comparison.budget === undefined ? 'not-gated' : 'pass' };
  }
  return comparison;
}

/** Judges one metric of one endpoint with the plain rule. */
export function compareMetric(
  definition: MetricDefinition,
  head: EndpointResult,
  base: EndpointResult | undefined,
  policy: EndpointPolicy,
): MetricComparison {
  const value = definition.read(head);
  const baseValue = base ? definition.read(base) : undefined;
  const budget = definition.budget(policy.budgets);
  const tolerance = definition.tolerance(policy.tolerances);
  const comparison: MetricComparison = { metric: definition.id, status: 'not-gated' };
  if (value !== undefined) comparison.head = value;
  if (baseValue !== undefined) comparison.base = baseValue;
  if (budget !== undefined) comparison.budget = budget;
  const margin =
    tolerance === undefined
      ? undefined
      : Math.max(
          tolerance,
          ASSUMED_NOISE_FLOOR[definition.id as keyof typeof ASSUMED_NOISE_FLOOR] ?? 0,
        );
  if (tolerance !== undefined) comparison.tolerance = tolerance;
  if (margin !== undefined) comparison.margin = margin;

  if (value === undefined) {
    comparison.status = 'no-data';
    return comparison;
  }

  if (baseValue !== undefined) {
    const change = changeOf(definition, value, baseValue);
    if (change !== undefined) comparison.change = change;
    const floor = policy.tolerances.minLatencyChangeMs;
    if (definition.unit === 'ms' && Math.abs(value - baseValue) < floor) comparison.floorMs = floor;
    if (margin !== undefined) {
      comparison.status = judgeChange(
        definition,
        value,
        baseValue,
        margin,
        policy.tolerances.minLatencyChangeMs,
      );
      if (comparison.status === 'regression')
        comparison.reason = regressionReason(definition, value, baseValue, margin);
    } else if (budget !== undefined) {
      comparison.status = 'pass';
    }
  } else if (tolerance !== undefined || budget !== undefined) {
    comparison.status = budget !== undefined ? 'pass' : 'no-baseline';
  }

  return applyBudget(definition, comparison, value, budget);
}

/** Marks a metric over budget, with the reason, when its value is beyond the budget. */
export function applyBudget(
  definition: MetricDefinition,
  comparison: MetricComparison,
  value: number,
  budget: number | undefined,
): MetricComparison {
  if (budget === undefined) return comparison;
  const beyond = definition.better === 'lower' ? value > budget : value < budget;
  if (!beyond) return comparison;
  const relation = definition.better === 'lower' ? 'above' : 'below';
  return {
    ...comparison,
    status: 'over-budget',
    reason: `${definition.label} is ${formatValue(definition.unit, value)}, ${relation} the budget of ${formatValue(definition.unit, budget)}`,
  };
}

function changeOf(definition: MetricDefinition, value: number, base: number): number | undefined {
  if (definition.toleranceKind === 'absolute') return value - base;
  return base === 0 ? undefined : (value - base) / base;
}

function judgeChange(
  definition: MetricDefinition,
  value: number,
  base: number,
  tolerance: number,
  minLatencyChangeMs: number,
): MetricStatus {
  // Positive means worse, whichever direction the metric improves in.
  const worsening = definition.better === 'lower' ? value - base : base - value;
  const limit = definition.toleranceKind === 'absolute' ? tolerance : Math.abs(base) * tolerance;
  // Tiny latency changes can be large in percent; below the floor they never count.
  if (definition.unit === 'ms' && Math.abs(value - base) < minLatencyChangeMs) return 'pass';
  if (worsening > limit) return 'regression';
  if (-worsening > limit && !(definition.toleranceKind === 'relative' && base === 0))
    return 'improvement';
  return 'pass';
}

/** Describes a change that failed: "p95 rose from 20.0 ms to 30.0 ms (+50.0 %), beyond the allowed +15.0 %". */
export function regressionReason(
  definition: MetricDefinition,
  value: number,
  base: number,
  allowed: number,
): string {
  const from = formatValue(definition.unit, base);
  const to = formatValue(definition.unit, value);
  if (definition.toleranceKind === 'absolute') {
    return `${definition.label} rose from ${from} to ${to} (${formatPointChange(value - base)}), beyond the allowed ${formatPointChange(allowed)}`;
  }
  const change = base === 0 ? '' : ` (${formatRelativeChange((value - base) / base)})`;
  const verb = definition.better === 'lower' ? 'rose' : 'fell';
  const limit = `${definition.better === 'lower' ? '+' : '-'}${formatRelativeChange(allowed).replace(/^\+/u, '')}`;
  return `${definition.label} ${verb} from ${from} to ${to}${change}, beyond the allowed ${limit}`;
}
