/**
 * Builds the comparison policy (budgets and tolerances per endpoint) from the configuration, or
 * from the defaults when `perf-gate compare` runs without one.
 */
import { DEFAULT_TOLERANCES } from '../config/defaults.js';
import type { Config } from '../config/types.js';
import type { EndpointPolicy, Policy } from './types.js';

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
  };
}

/** The default policy: default tolerances, no budgets, and a missing baseline passes. */
export function defaultPolicy(): Policy {
  const policy: EndpointPolicy = { budgets: {}, tolerances: { ...DEFAULT_TOLERANCES } };
  return { forEndpoint: () => policy, onMissingBaseline: 'pass' };
}
