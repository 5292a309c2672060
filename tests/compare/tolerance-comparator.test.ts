import { describe, expect, it } from 'vitest';

import { metricDefinition, type MetricId } from '../../src/compare/metrics.js';
import { defaultPolicy } from '../../src/compare/policy.js';
import { renderScenario } from '../../src/report/markdown.js';
import { compareMetric, toleranceComparator } from '../../src/compare/tolerance-comparator.js';
import type { EndpointPolicy, MetricStatus, Policy } from '../../src/compare/types.js';
import { DEFAULT_TOLERANCES } from '../../src/config/defaults.js';
import type { EndpointResult } from '../../src/result/types.js';
import { endpoint, run, scenario } from '../helpers/results.js';

const policy: EndpointPolicy = { budgets: {}, tolerances: { ...DEFAULT_TOLERANCES } };

interface MetricCase {
  name: string;
  metric: MetricId;
  head: Partial<EndpointResult> & { p50?: number; p95?: number };
  base?: Partial<EndpointResult> & { p50?: number; p95?: number };
  policy?: EndpointPolicy;
  status: MetricStatus;
  change?: number;
  reason?: string;
}

const cases: MetricCase[] = [
  {
    name: 'p95 within tolerance',
    metric: 'p95',
    head: { p95: 22 },
    base: { p95: 20 },
    status: 'pass',
    change: 0.1,
  },
  {
    name: 'p95 beyond tolerance',
    metric: 'p95',
    head: { p95: 30 },
    base: { p95: 20 },
    status: 'regression',
    change: 0.5,
    reason: 'p95 rose from 20.0 ms to 30.0 ms (+50.0 %), beyond the allowed +15.0 %',
  },
  {
    name: 'p50 beyond a narrow tolerance but within the assumed noise',
    metric: 'p50',
    head: { p50: 108 },
    base: { p50: 100 },
    policy: { budgets: {}, tolerances: { ...DEFAULT_TOLERANCES, p50: 0.02 } },
    status: 'pass',
    change: 0.08,
  },
  {
    name: 'p50 beyond a wide tolerance',
    metric: 'p50',
    head: { p50: 125 },
    base: { p50: 100 },
    policy: { budgets: {}, tolerances: { ...DEFAULT_TOLERANCES, p50: 0.2 } },
    status: 'regression',
    change: 0.25,
    reason: 'p50 rose from 100 ms to 125 ms (+25.0 %), beyond the allowed +20.0 %',
  },
  {
    name: 'p95 beyond tolerance but under the floor',
    metric: 'p95',
    head: { p95: 1.5 },
    base: { p95: 1 },
    status: 'pass',
    change: 0.5,
  },
  {
    name: 'p50 faster beyond tolerance',
    metric: 'p50',
    head: { p50: 5 },
    base: { p50: 10 },
    status: 'improvement',
    change: -0.5,
  },
  {
    name: 'p95 over budget without baseline',
    metric: 'p95',
    head: { p95: 120 },
    policy: { budgets: { p95Ms: 100 }, tolerances: { ...DEFAULT_TOLERANCES } },
    status: 'over-budget',
    reason: 'p95 is 120 ms, above the budget of 100 ms',
  },
  {
    name: 'p95 over budget outweighs a pass',
    metric: 'p95',
    head: { p95: 120 },
    base: { p95: 119 },
    policy: { budgets: { p95Ms: 100 }, tolerances: { ...DEFAULT_TOLERANCES } },
    status: 'over-budget',
  },
  {
    name: 'p95 within budget without baseline',
    metric: 'p95',
    head: { p95: 50 },
    policy: { budgets: { p95Ms: 100 }, tolerances: { ...DEFAULT_TOLERANCES } },
    status: 'pass',
  },
  {
    name: 'p95 without baseline or budget',
    metric: 'p95',
    head: { p95: 50 },
    status: 'no-baseline',
  },
  {
    name: 'p99 missing from this run',
    metric: 'p99',
    head: { latency: { p50Ms: 1, p95Ms: 2 } },
    base: { p95: 2 },
    status: 'no-data',
  },
  {
    name: 'error rate rise beyond the points allowed',
    metric: 'errorRatio',
    head: { errorRatio: 0.02, failures: 20 },
    base: { errorRatio: 0.001 },
    status: 'regression',
    change: 0.019,
    reason: 'error rate rose from 0.10 % to 2.00 % (+1.90 pp), beyond the allowed +0.50 pp',
  },
  {
    name: 'error rate rise within the points allowed',
    metric: 'errorRatio',
    head: { errorRatio: 0.004 },
    base: { errorRatio: 0 },
    status: 'pass',
    change: 0.004,
  },
  {
    name: 'error rate zero both times',
    metric: 'errorRatio',
    head: {},
    base: {},
    status: 'pass',
    change: 0,
  },
  {
    name: 'throughput drop beyond tolerance',
    metric: 'throughput',
    head: { throughputPerSecond: 8 },
    base: { throughputPerSecond: 10 },
    status: 'regression',
    change: -0.2,
    reason: 'throughput fell from 10.0/s to 8.0/s (-20.0 %), beyond the allowed -10.0 %',
  },
  {
    name: 'throughput rise beyond tolerance',
    metric: 'throughput',
    head: { throughputPerSecond: 12 },
    base: { throughputPerSecond: 10 },
    status: 'improvement',
    change: 0.2,
  },
  {
    name: 'throughput below budget',
    metric: 'throughput',
    head: { throughputPerSecond: 8 },
    policy: { budgets: { throughputPerSecond: 9 }, tolerances: { ...DEFAULT_TOLERANCES } },
    status: 'over-budget',
    reason: 'throughput is 8.0/s, below the budget of 9.0/s',
  },
  {
    name: 'max is not gated by default',
    metric: 'max',
    head: { p95: 100 },
    base: { p95: 10 },
    status: 'not-gated',
    change: 9,
  },
  {
    name: 'tolerance switched off',
    metric: 'p95',
    head: { p95: 100 },
    base: { p95: 10 },
    policy: { budgets: {}, tolerances: { ...DEFAULT_TOLERANCES, p95: undefined } },
    status: 'not-gated',
  },
];

describe('tolerance rule per metric', () => {
  it.each(cases)('$name', (testCase) => {
    const head = endpoint('GET /x', testCase.head);
    const base = testCase.base ? endpoint('GET /x', testCase.base) : undefined;
    const result = compareMetric(
      metricDefinition(testCase.metric),
      head,
      base,
      testCase.policy ?? policy,
    );
    expect(result.status).toBe(testCase.status);
    if (testCase.change !== undefined) expect(result.change).toBeCloseTo(testCase.change, 10);
    if (testCase.reason !== undefined) expect(result.reason).toBe(testCase.reason);
  });

  it('marks changes under the latency floor', () => {
    const definition = metricDefinition('p95');
    const floored = compareMetric(
      definition,
      endpoint('GET /x', { p95: 1.5 }),
      endpoint('GET /x', { p95: 1 }),
      policy,
    );
    expect(floored.floorMs).toBe(2);
    const counted = compareMetric(
      definition,
      endpoint('GET /x', { p95: 30 }),
      endpoint('GET /x', { p95: 20 }),
      policy,
    );
    expect(counted.floorMs).toBeUndefined();
    const report = renderScenario(
      {
        name: 'k6 baseline',
        inBaseline: true,
        endpoints: [
          { key: 'GET /x', status: 'pass', inBaseline: true, requests: 1000, metrics: [floored] },
        ],
        missingEndpoints: [],
        failures: [],
        invalid: [],
      },
      undefined,
      true,
    );
    expect(report).toContain('✅ pass, change under 2 ms');
  });
});

describe('tolerance rule over runs', () => {
  const base = run([scenario('k6 baseline', [endpoint('GET /a'), endpoint('GET /b')])]);

  it('advisory p99 drop is no improvement', () => {
    const steady = endpoint('GET /a');
    const calmerTail = { ...steady, latency: { ...steady.latency, p99Ms: 3 } };
    const head = run([scenario('k6 baseline', [calmerTail, endpoint('GET /b')])]);
    const comparison = toleranceComparator.compare(head, base, defaultPolicy());
    const p99 = comparison.scenarios[0]?.endpoints[0]?.metrics.find(
      (metric) => metric.metric === 'p99',
    );
    expect(p99?.change).toBeCloseTo(-0.9, 10);
    expect(p99?.status).toBe('not-gated');
    expect(comparison.counts.improvements).toBe(0);
    expect(comparison.verdict).toBe('pass');
  });

  it('identical runs pass', () => {
    const comparison = toleranceComparator.compare(base, base, defaultPolicy());
    expect(comparison.verdict).toBe('pass');
    expect(comparison.failures).toEqual([]);
    expect(comparison.counts).toEqual({
      regressions: 0,
      overBudget: 0,
      improvements: 0,
      inconclusive: 0,
      endpoints: 2,
    });
    expect(comparison.method.kind).toBe('tolerance');
  });

  it('slow endpoint fails alone', () => {
    const head = run([
      scenario('k6 baseline', [endpoint('GET /a', { p50: 60, p95: 70 }), endpoint('GET /b')]),
    ]);
    const comparison = toleranceComparator.compare(head, base, defaultPolicy());
    expect(comparison.verdict).toBe('regression');
    const [a, b] = comparison.scenarios[0]?.endpoints ?? [];
    expect(a?.status).toBe('regression');
    expect(b?.status).toBe('pass');
    // p50, p90 and p95 regress; p99 is advisory by default.
    expect(comparison.failures).toHaveLength(3);
    expect(
      comparison.failures.every((failure) => failure.startsWith('k6 baseline, GET /a: ')),
    ).toBe(true);
    expect(a?.metrics.find((metric) => metric.metric === 'p99')?.status).toBe('advisory');
  });

  it('no baseline passes with its own verdict', () => {
    const comparison = toleranceComparator.compare(base, undefined, defaultPolicy());
    expect(comparison.verdict).toBe('no-baseline');
    expect(comparison.baseline).toBe('missing');
  });

  it('no baseline fails when configured to', () => {
    const failing: Policy = { ...defaultPolicy(), onMissingBaseline: 'fail' };
    const comparison = toleranceComparator.compare(base, undefined, failing);
    expect(comparison.verdict).toBe('over-budget');
    expect(comparison.baseline).toBe('missing-fails');
  });

  it('budget failure without baseline fails', () => {
    const strict: Policy = {
      ...defaultPolicy(),
      forEndpoint: () => ({ budgets: { p95Ms: 5 }, tolerances: { ...DEFAULT_TOLERANCES } }),
    };
    const comparison = toleranceComparator.compare(base, undefined, strict);
    expect(comparison.verdict).toBe('over-budget');
    expect(comparison.counts.overBudget).toBe(2);
  });

  it('tests throughput only where the tool did not fix the arrival rate', () => {
    const halved = (overrides: Parameters<typeof scenario>[2]) =>
      run([scenario('k6 baseline', [endpoint('GET /a', { throughputPerSecond: 5 })], overrides)]);
    const closedBase = run([scenario('k6 baseline', [endpoint('GET /a')])]);
    const throughputOf = (comparison: ReturnType<typeof toleranceComparator.compare>) =>
      comparison.scenarios[0]?.endpoints[0]?.metrics.find(
        (metric) => metric.metric === 'throughput',
      );
    const closed = throughputOf(
      toleranceComparator.compare(halved({}), closedBase, defaultPolicy()),
    );
    expect(closed?.status).toBe('regression');
    const open = throughputOf(
      toleranceComparator.compare(
        halved({ requestedRatePerSecond: 10 }),
        closedBase,
        defaultPolicy(),
      ),
    );
    expect(open?.status).toBe('not-gated');
    expect(open?.change).toBeCloseTo(-0.5, 10);
  });

  it('crossed k6 thresholds fail the run', () => {
    const head = run([
      scenario('k6 baseline', [endpoint('GET /a'), endpoint('GET /b')], {
        thresholdsFailed: ['http_req_duration: p(95)<10'],
      }),
    ]);
    const comparison = toleranceComparator.compare(head, base, defaultPolicy());
    expect(comparison.verdict).toBe('over-budget');
    expect(comparison.failures).toEqual([
      'k6 baseline: k6 thresholds crossed: http_req_duration: p(95)<10',
    ]);
  });

  it('scenario without measured requests is invalid', () => {
    const head = run([scenario('k6 baseline', [])]);
    const comparison = toleranceComparator.compare(head, base, defaultPolicy());
    expect(comparison.verdict).toBe('invalid');
    expect(comparison.failures[0]).toContain('no requests were measured');
    expect(comparison.scenarios[0]?.missingEndpoints).toEqual(['GET /a', 'GET /b']);
  });

  it('new endpoint is listed and passes', () => {
    const head = run([
      scenario('k6 baseline', [endpoint('GET /a'), endpoint('GET /b'), endpoint('GET /c')]),
    ]);
    const comparison = toleranceComparator.compare(head, base, defaultPolicy());
    expect(comparison.verdict).toBe('pass');
    const added = comparison.scenarios[0]?.endpoints.find((item) => item.key === 'GET /c');
    expect(added?.inBaseline).toBe(false);
    expect(added?.status).toBe('no-baseline');
  });

  it('unmeasured part of the baseline is inconclusive', () => {
    const withTwo = run([...base.scenarios, scenario('vegeta baseline', [endpoint('GET /a')])]);
    const comparison = toleranceComparator.compare(base, withTwo, defaultPolicy());
    expect(comparison.verdict).toBe('inconclusive');
    expect(comparison.missingScenarios).toEqual(['vegeta baseline']);
  });

  it('renamed endpoints compare nothing and are invalid', () => {
    const renamed = run([
      scenario('k6 baseline', [endpoint('GET a by name'), endpoint('GET b by name')]),
    ]);
    const comparison = toleranceComparator.compare(renamed, base, defaultPolicy());
    expect(comparison.verdict).toBe('invalid');
    expect(comparison.failures[0]).toContain(
      "nothing was compared: none of this run's endpoints is in the baseline",
    );
  });

  it('too few requests per endpoint are invalid', () => {
    const sparse = run([
      scenario('k6 baseline', [endpoint('GET /a', { requests: 5 }), endpoint('GET /b')]),
    ]);
    const comparison = toleranceComparator.compare(sparse, base, defaultPolicy());
    expect(comparison.verdict).toBe('invalid');
    expect(comparison.scenarios[0]?.invalid).toEqual([
      'GET /a got only 5 request(s) in the run; at least 20 are needed; raise the rate or the duration',
    ]);
  });
});
