/**
 * Builds the comparison policy (budgets and tolerances per endpoint, the family's false alarm
 * rate, advisory metrics) from the configuration, or from the defaults when `perf-gate compare`
 * runs without one.
 */
import { DEFAULT_ADVISORY, DEFAULT_FAMILY_ALPHA, DEFAULT_TOLERANCES } from '../config/defaults.js';
import type { Config, MetricName } from '../config/types.js';
import type { ScenarioResult } from '../result/types.js';
import type { MetricId } from './metrics.js';
import type { EndpointPolicy, Policy } from './types.js';

/** Maps a metric's name in perf-gate.yml to its id. */
export function metricIdOf(name: MetricName): MetricId {
  return name === 'error-rate' ? 'errorRatio' : name;
}

/** The policy of a configuration: an endpoint's own limits, else the top-level ones. */
export function policyFromConfig(config: Config): Policy {
  const byKey = new Map(config.endpoints.map((endpoint) => [endpoint.key, endpoint]));
  const fallback: EndpointPolicy = { budgets: config.budgets, tolerances: config.tolerances };
  return {
    forEndpoint: (key) => {
      const endpoint = byKey.get(key);
      return endpoint ? { budgets: endpoint.budgets, tolerances: endpoint.tolerances } : fallback;
    },
    onMissingBaseline: config.onMissingBaseline,
    familyAlpha: config.familyAlpha,
    advisory: new Set(config.advisory.map(metricIdOf)),
    resourceBudgets: config.monitor.budgets,
  };
}

/** The default policy: default tolerances, no budgets, and a missing baseline passes. */
export function defaultPolicy(): Policy {
  const policy: EndpointPolicy = { budgets: {}, tolerances: { ...DEFAULT_TOLERANCES } };
  return {
    forEndpoint: () => policy,
    onMissingBaseline: 'pass',
    familyAlpha: DEFAULT_FAMILY_ALPHA,
    advisory: new Set(DEFAULT_ADVISORY.map(metricIdOf)),
  };
}

/**
 * The policy for one scenario's endpoints. When the scenario fixed the arrival rate (a vegeta
 * attack, a k6 arrival-rate scenario), throughput is the rate that was asked for, not a property
 * of the code: a slower service still receives every request, and requests it fails are counted
 * by the error rate. Such throughput is shown but not tested, so it does not widen the family of
 * tests that the other metrics share. A throughput budget still applies.
 */
export function scenarioPolicy(policy: Policy, scenario: ScenarioResult): Policy {
  if (scenario.requestedRatePerSecond === undefined) return policy;
  return {
    ...policy,
    forEndpoint: (key) => {
      const endpoint = policy.forEndpoint(key);
      const tolerances = { ...endpoint.tolerances };
      delete tolerances.throughputDecrease;
      return { ...endpoint, tolerances };
    },
  };
}
