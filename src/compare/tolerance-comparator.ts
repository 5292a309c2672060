/**
 * The plain tolerance rule: a metric regresses when this run is worse than the baseline by more
 * than its tolerance, and fails its budget when it is beyond the absolute limit. It compares one
 * run with one stored run and knows nothing of noise, so tolerances have to be wide enough to
 * absorb it.
 */
import { formatPointChange, formatRelativeChange, formatValue } from '../format.js';
import type { EndpointResult, RunResult, ScenarioResult } from '../result/types.js';
import { METRICS, type MetricDefinition } from './metrics.js';
import {
  FAILING_STATUSES,
  type Comparator,
  type Comparison,
  type EndpointComparison,
  type EndpointPolicy,
  type MetricComparison,
  type MetricStatus,
  type Policy,
  type ScenarioComparison,
} from './types.js';

/** Severity of statuses when one endpoint's status summarises its metrics: higher wins. */
const SEVERITY: Record<MetricStatus, number> = {
  'over-budget': 6,
  regression: 5,
  improvement: 4,
  pass: 3,
  'no-data': 2,
  'no-baseline': 1,
  'not-gated': 0,
};

export const toleranceComparator: Comparator = {
  compare(head: RunResult, base: RunResult | undefined, policy: Policy): Comparison {
    const scenarios = head.scenarios.map((scenario) =>
      compareScenario(
        scenario,
        base?.scenarios.find((candidate) => candidate.name === scenario.name),
        policy,
      ),
    );
    const missingScenarios = (base?.scenarios ?? [])
      .map((scenario) => scenario.name)
      .filter((name) => !head.scenarios.some((scenario) => scenario.name === name));

    const failures: string[] = [];
    const counts = { regressions: 0, overBudget: 0, improvements: 0, endpoints: 0 };
    for (const scenario of scenarios) {
      failures.push(...scenario.failures.map((failure) => `${scenario.name}: ${failure}`));
      for (const endpoint of scenario.endpoints) {
        counts.endpoints += 1;
        for (const metric of endpoint.metrics) {
          if (metric.status === 'regression') counts.regressions += 1;
          if (metric.status === 'over-budget') counts.overBudget += 1;
          if (metric.status === 'improvement') counts.improvements += 1;
          if (FAILING_STATUSES.has(metric.status) && metric.reason) {
            failures.push(`${scenario.name}, ${endpoint.key}: ${metric.reason}`);
          }
        }
      }
    }

    let verdict: Comparison['verdict'] = failures.length > 0 ? 'fail' : 'pass';
    let baseline: Comparison['baseline'] = 'present';
    if (!base) {
      baseline = policy.onMissingBaseline === 'fail' ? 'missing-fails' : 'missing';
      if (baseline === 'missing-fails') {
        verdict = 'fail';
        failures.push(
          'No baseline was found, and the configuration says a missing baseline fails (baseline.missing: fail).',
        );
      } else if (verdict === 'pass') {
        verdict = 'no-baseline';
      }
    }
    return { verdict, baseline, failures, scenarios, missingScenarios, counts };
  },
};

function compareScenario(
  head: ScenarioResult,
  base: ScenarioResult | undefined,
  policy: Policy,
): ScenarioComparison {
  const failures: string[] = [];
  if (head.total.requests === 0) {
    failures.push('no requests were measured; check the warm-up, the duration and the tool output');
  }
  if (head.thresholdsFailed.length > 0) {
    failures.push(`k6 thresholds crossed: ${head.thresholdsFailed.join('; ')}`);
  }
  const endpoints = head.endpoints.map((endpoint) =>
    compareEndpoint(
      endpoint,
      base?.endpoints.find((candidate) => candidate.key === endpoint.key),
      policy.forEndpoint(endpoint.key),
    ),
  );
  const missingEndpoints = (base?.endpoints ?? [])
    .map((endpoint) => endpoint.key)
    .filter((key) => !head.endpoints.some((endpoint) => endpoint.key === key));
  return { name: head.name, inBaseline: base !== undefined, endpoints, missingEndpoints, failures };
}

function compareEndpoint(
  head: EndpointResult,
  base: EndpointResult | undefined,
  policy: EndpointPolicy,
): EndpointComparison {
  const metrics = METRICS.map((definition) => compareMetric(definition, head, base, policy));
  const status = metrics.reduce<MetricStatus>(
    (worst, metric) => (SEVERITY[metric.status] > SEVERITY[worst] ? metric.status : worst),
    'not-gated',
  );
  return {
    key: head.key,
    status,
    inBaseline: base !== undefined,
    requests: head.requests,
    metrics,
  };
}

/** Judges one metric of one endpoint. */
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
  if (tolerance !== undefined) comparison.tolerance = tolerance;

  if (value === undefined) {
    comparison.status = 'no-data';
    return comparison;
  }

  if (baseValue !== undefined) {
    const change = changeOf(definition, value, baseValue);
    if (change !== undefined) comparison.change = change;
    if (tolerance !== undefined) {
      comparison.status = judgeChange(
        definition,
        value,
        baseValue,
        tolerance,
        policy.tolerances.minLatencyChangeMs,
      );
      if (comparison.status === 'regression')
        comparison.reason = regressionReason(definition, value, baseValue, tolerance);
    } else if (budget !== undefined) {
      comparison.status = 'pass';
    }
  } else if (tolerance !== undefined || budget !== undefined) {
    comparison.status = budget !== undefined ? 'pass' : 'no-baseline';
  }

  if (budget !== undefined && beyondBudget(definition, value, budget)) {
    comparison.status = 'over-budget';
    const relation = definition.better === 'lower' ? 'above' : 'below';
    comparison.reason = `${definition.label} is ${formatValue(definition.unit, value)}, ${relation} the budget of ${formatValue(definition.unit, budget)}`;
  }
  return comparison;
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
  if (-worsening > limit && limit >= 0 && !(definition.toleranceKind === 'relative' && base === 0))
    return 'improvement';
  return 'pass';
}

function beyondBudget(definition: MetricDefinition, value: number, budget: number): boolean {
  return definition.better === 'lower' ? value > budget : value < budget;
}

function regressionReason(
  definition: MetricDefinition,
  value: number,
  base: number,
  tolerance: number,
): string {
  const from = formatValue(definition.unit, base);
  const to = formatValue(definition.unit, value);
  if (definition.toleranceKind === 'absolute') {
    return `${definition.label} rose from ${from} to ${to} (${formatPointChange(value - base)}), beyond the allowed ${formatPointChange(tolerance)}`;
  }
  const change = base === 0 ? '' : ` (${formatRelativeChange((value - base) / base)})`;
  const verb = definition.better === 'lower' ? 'rose' : 'fell';
  const allowed =
    definition.better === 'lower'
      ? `+${formatTolerance(tolerance)}`
      : `-${formatTolerance(tolerance)}`;
  return `${definition.label} ${verb} from ${from} to ${to}${change}, beyond the allowed ${allowed}`;
}

function formatTolerance(fraction: number): string {
  return formatRelativeChange(fraction).replace(/^\+/u, '');
}
