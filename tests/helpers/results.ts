/** Builders of result documents for comparison and report tests. */
import type { EndpointResult, RunResult, ScenarioResult } from '../../src/result/types.js';

/** Builds an endpoint with 1,000 successful requests at 10/s and the given latencies. */
export function endpoint(
  key: string,
  overrides: Partial<EndpointResult> & { p50?: number; p95?: number } = {},
): EndpointResult {
  const { p50 = 10, p95 = 20, ...rest } = overrides;
  return {
    key,
    method: key.split(' ')[0] ?? 'GET',
    requests: 1000,
    failures: 0,
    errorRatio: 0,
    throughputPerSecond: 10,
    statusCodes: { '200': 1000 },
    errors: {},
    latency: {
      minMs: p50 / 2,
      meanMs: p50 * 1.1,
      p50Ms: p50,
      p90Ms: p95 * 0.9,
      p95Ms: p95,
      p99Ms: p95 * 1.5,
      maxMs: p95 * 3,
    },
    ...rest,
  };
}

export function scenario(
  name: string,
  endpoints: EndpointResult[],
  overrides: Partial<ScenarioResult> = {},
): ScenarioResult {
  const requests = endpoints.reduce((sum, item) => sum + item.requests, 0);
  const failures = endpoints.reduce((sum, item) => sum + item.failures, 0);
  return {
    name,
    tool: name.startsWith('vegeta') ? 'vegeta' : 'k6',
    origin: 'run',
    startedAt: '2026-12-01T10:00:00.000Z',
    warmupSeconds: 10,
    measuredSeconds: 100,
    settings: { rate: '50/s', duration: '1m40s' },
    total: {
      ...endpoint('(all endpoints)'),
      requests,
      failures,
      errorRatio: requests > 0 ? failures / requests : 0,
    },
    endpoints,
    warmup: { requests: 100, failures: 0 },
    thresholdsFailed: [],
    crossChecks: [{ metric: 'requests', ours: requests, tool: requests, status: 'match' }],
    notes: [],
    ...overrides,
  };
}

export function run(scenarios: ScenarioResult[], overrides: Partial<RunResult> = {}): RunResult {
  return {
    schemaVersion: 1,
    perfGateVersion: '0.1.0',
    createdAt: '2026-12-01T10:05:00.000Z',
    source: { commit: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678', ref: 'refs/heads/main' },
    tools: { k6: '2.2.0', vegeta: '12.13.0', compose: '2.40.3' },
    environment: {
      os: 'Linux',
      kernel: '6.8.0',
      cpuModel: 'Test CPU',
      cpuCount: 4,
      memoryBytes: 16 * 2 ** 30,
      node: 'v24.0.0',
    },
    scenarios,
    ...overrides,
  };
}
