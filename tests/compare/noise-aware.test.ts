/**
 * The noise-aware comparison on constructed runs whose noise is known: each verdict state for the
 * paired and the history designs, and the family-wise control over many endpoints.
 */
import { describe, expect, it } from 'vitest';

import { noiseAwareComparator } from '../../src/compare/compare-runs.js';
import { defaultPolicy } from '../../src/compare/policy.js';
import type { Policy } from '../../src/compare/types.js';
import { DEFAULT_TOLERANCES } from '../../src/config/defaults.js';
import type { EndpointResult, EndpointRunFigures, RunResult } from '../../src/result/types.js';
import { endpoint, run, scenario } from '../helpers/results.js';

/** Deterministic noise: a fixed sequence of multipliers around 1 with about 2 % spread. */
const NOISE = [1.0, 1.021, 0.982, 1.013, 0.991, 1.027, 0.976, 1.008, 0.995, 1.018, 0.987, 1.004];

/** An endpoint measured in `runs` runs, p50 = median × noise × shift, p95 = 2 × p50. */
function measured(
  key: string,
  runs: number,
  options: { median?: number; shift?: number; offset?: number; failures?: number } = {},
): EndpointResult {
  const { median = 10, shift = 1, offset = 0, failures = 0 } = options;
  const figures: EndpointRunFigures[] = Array.from({ length: runs }, (_, index) => {
    const p50 = median * shift * (NOISE[(index + offset) % NOISE.length] ?? 1);
    return {
      requests: 1000,
      failures,
      p50Ms: p50,
      p90Ms: 1.8 * p50,
      p95Ms: 2 * p50,
      p99Ms: 3 * p50,
      maxMs: 6 * p50,
      throughputPerSecond: 10,
    };
  });
  const p50 = median * shift;
  return {
    ...endpoint(key, { p50, p95: 2 * p50 }),
    requests: 1000 * runs,
    failures: failures * runs,
    errorRatio: failures / 1000,
    runs: figures,
  };
}

function paired(
  role: 'base' | 'head',
  endpoints: EndpointResult[],
  pairs: number,
  extra: Partial<RunResult> = {},
): RunResult {
  return run([scenario('vegeta baseline', endpoints, { runs: pairs })], {
    design: { kind: 'paired', runs: pairs, role },
    ...extra,
  });
}

const policy = defaultPolicy();

describe('paired comparison', () => {
  const keys = ['GET /a', 'GET /b', 'GET /c'];
  const base = paired(
    'base',
    keys.map((key) => measured(key, 7)),
    7,
  );

  it('passes an unchanged revision', () => {
    const head = paired(
      'head',
      keys.map((key) => measured(key, 7, { offset: 3 })),
      7,
    );
    const comparison = noiseAwareComparator.compare(head, base, policy);
    expect(comparison.method.kind).toBe('paired');
    expect(comparison.verdict).toBe('pass');
  });

  it('finds a 20 % slowdown on one endpoint and no other', () => {
    const head = paired(
      'head',
      [
        measured('GET /a', 7, { shift: 1.2, offset: 3 }),
        measured('GET /b', 7, { offset: 3 }),
        measured('GET /c', 7, { offset: 3 }),
      ],
      7,
    );
    const comparison = noiseAwareComparator.compare(head, base, policy);
    expect(comparison.verdict).toBe('regression');
    const [a, b, c] = comparison.scenarios[0]?.endpoints ?? [];
    expect(a?.status).toBe('regression');
    expect(b?.status).not.toBe('regression');
    expect(c?.status).not.toBe('regression');
    const p50 = a?.metrics.find((metric) => metric.metric === 'p50');
    expect(p50?.change).toBeCloseTo(0.2, 1);
    expect(p50?.interval?.[0]).toBeGreaterThan(0.1);
    expect(p50?.margin).toBeCloseTo(0.05, 10);
    expect(p50?.detectable).toBeGreaterThan(0.1);
    expect(p50?.reason).toMatch(
      /^p50 changed by \+\d+\.\d % \(95 % CI \+\d+\.\d % to \+\d+\.\d %\), beyond the \+5\.0 % margin$/u,
    );
  });

  it('calls a change near the margin inconclusive', () => {
    // An 11 % shift with wide noise in the head's runs clears the 5 % margin in estimate but not
    // in confidence.
    const noisy = measured('GET /a', 7, { median: 100, shift: 1.11, offset: 3 });
    noisy.runs = noisy.runs?.map((figures, index) => ({
      ...figures,
      p50Ms: (figures.p50Ms ?? 0) * (index % 2 === 0 ? 1.15 : 0.87),
    }));
    const head = paired('head', [noisy], 7);
    const comparison = noiseAwareComparator.compare(
      head,
      paired('base', [measured('GET /a', 7, { median: 100 })], 7),
      policy,
    );
    expect(
      comparison.scenarios[0]?.endpoints[0]?.metrics.find((metric) => metric.metric === 'p50')
        ?.status,
    ).toBe('inconclusive');
    expect(comparison.verdict).toBe('inconclusive');
  });

  it('reports a clear improvement', () => {
    const head = paired(
      'head',
      keys.map((key) => measured(key, 7, { shift: 0.7, offset: 3 })),
      7,
    );
    expect(noiseAwareComparator.compare(head, base, policy).verdict).toBe('improvement');
  });

  it('keeps p99 advisory', () => {
    const head = paired(
      'head',
      keys.map((key) => measured(key, 7, { offset: 3 })),
      7,
    );
    head.scenarios[0]?.endpoints.forEach((item) => {
      item.runs = item.runs?.map((figures) => ({ ...figures, p99Ms: (figures.p99Ms ?? 0) * 2 }));
    });
    const comparison = noiseAwareComparator.compare(head, base, policy);
    expect(comparison.verdict).toBe('pass');
    expect(
      comparison.scenarios[0]?.endpoints[0]?.metrics.find((metric) => metric.metric === 'p99')
        ?.status,
    ).toBe('advisory');
  });

  it('tests failures by their counts', () => {
    const head = paired(
      'head',
      [
        measured('GET /a', 7, { offset: 3, failures: 30 }),
        ...keys.slice(1).map((key) => measured(key, 7, { offset: 3 })),
      ],
      7,
    );
    const comparison = noiseAwareComparator.compare(head, base, policy);
    const errors = comparison.scenarios[0]?.endpoints[0]?.metrics.find(
      (metric) => metric.metric === 'errorRatio',
    );
    expect(errors?.status).toBe('regression');
    expect(errors?.change).toBeCloseTo(0.03, 10);
  });

  it('ignores a rise of failures within the margin', () => {
    const head = paired(
      'head',
      [
        measured('GET /a', 7, { offset: 3, failures: 3 }),
        ...keys.slice(1).map((key) => measured(key, 7, { offset: 3 })),
      ],
      7,
    );
    const errors = noiseAwareComparator
      .compare(head, base, policy)
      .scenarios[0]?.endpoints[0]?.metrics.find((metric) => metric.metric === 'errorRatio');
    expect(errors?.status).toBe('pass');
  });

  it('marks a run whose generator fell behind invalid', () => {
    const head = paired(
      'head',
      keys.map((key) => measured(key, 7, { offset: 3 })),
      7,
    );
    const first = head.scenarios[0];
    if (first) Object.assign(first, { requestedRatePerSecond: 100, achievedRatePerSecond: 80 });
    const comparison = noiseAwareComparator.compare(head, base, policy);
    expect(comparison.verdict).toBe('invalid');
    expect(comparison.failures[0]).toContain('vegeta sent 80.0/s of the requested 100/s');
  });

  it('marks errors in the warm-up invalid', () => {
    const head = paired(
      'head',
      keys.map((key) => measured(key, 7, { offset: 3 })),
      7,
    );
    const first = head.scenarios[0];
    if (first) first.warmup = { requests: 100, failures: 4, noResponse: 4 };
    expect(noiseAwareComparator.compare(head, base, policy).verdict).toBe('invalid');
  });

  it('marks a warm-up that failed far more than the measurement invalid', () => {
    const head = paired(
      'head',
      keys.map((key) => measured(key, 7, { offset: 3 })),
      7,
    );
    const first = head.scenarios[0];
    if (first) first.warmup = { requests: 100, failures: 12 };
    const comparison = noiseAwareComparator.compare(head, base, policy);
    expect(comparison.verdict).toBe('invalid');
    expect(comparison.failures[0]).toContain(
      '12 of 100 requests in the warm-up failed (12.00 %, against 0.00 % afterwards)',
    );
  });

  it('accepts warm-up failures at the rate the measurement has too', () => {
    const head = paired(
      'head',
      keys.map((key) => measured(key, 7, { offset: 3, failures: 50 })),
      7,
    );
    const first = head.scenarios[0];
    if (first) {
      first.total = { ...first.total, requests: 21_000, failures: 1050 };
      first.warmup = { requests: 100, failures: 5 };
    }
    expect(noiseAwareComparator.compare(head, base, policy).verdict).not.toBe('invalid');
  });

  it('warns when base and head ran on different machines', () => {
    const head = paired(
      'head',
      keys.map((key) => measured(key, 7, { offset: 3 })),
      7,
      {
        environment: {
          os: 'Linux',
          kernel: '6.8.0',
          cpuModel: 'Other CPU',
          cpuCount: 2,
          memoryBytes: 8 * 2 ** 30,
          node: 'v24.0.0',
        },
      },
    );
    const comparison = noiseAwareComparator.compare(head, base, policy);
    expect(comparison.environmentWarnings).toEqual([
      'CPU: the baseline ran on Test CPU, this run on Other CPU',
      'CPU count: 4 for the baseline, 2 for this run',
    ]);
  });
});

describe('properties of the paired estimate', () => {
  const base = paired('base', [measured('GET /a', 7)], 7);
  const p50Of = (comparison: ReturnType<typeof noiseAwareComparator.compare>) =>
    comparison.scenarios[0]?.endpoints[0]?.metrics.find((metric) => metric.metric === 'p50');

  it('moves by a constant factor applied to every head run', () => {
    const head = paired('head', [measured('GET /a', 7, { offset: 5 })], 7);
    const scaled = structuredClone(head);
    const endpointRuns = scaled.scenarios[0]?.endpoints[0];
    if (endpointRuns)
      endpointRuns.runs = endpointRuns.runs?.map((figures) => ({
        ...figures,
        p50Ms: (figures.p50Ms ?? 0) * 1.37,
      }));
    const before = p50Of(noiseAwareComparator.compare(head, base, policy));
    const after = p50Of(noiseAwareComparator.compare(scaled, base, policy));
    expect(1 + (after?.change ?? 0)).toBeCloseTo((1 + (before?.change ?? 0)) * 1.37, 10);
    expect(1 + (after?.interval?.[0] ?? 0)).toBeCloseTo(
      (1 + (before?.interval?.[0] ?? 0)) * 1.37,
      10,
    );
  });

  it('flips direction when base and head swap', () => {
    const head = paired('head', [measured('GET /a', 7, { median: 100, shift: 1.3, offset: 5 })], 7);
    const swappedHead = paired('head', [measured('GET /a', 7, { median: 100 })], 7);
    const swappedBase = paired(
      'base',
      [measured('GET /a', 7, { median: 100, shift: 1.3, offset: 5 })],
      7,
    );
    const forward = p50Of(
      noiseAwareComparator.compare(
        head,
        paired('base', [measured('GET /a', 7, { median: 100 })], 7),
        policy,
      ),
    );
    const backward = p50Of(noiseAwareComparator.compare(swappedHead, swappedBase, policy));
    expect((1 + (forward?.change ?? 0)) * (1 + (backward?.change ?? 0))).toBeCloseTo(1, 10);
    expect(forward?.status).toBe('regression');
    expect(backward?.status).toBe('improvement');
  });
});

describe('family-wise control', () => {
  it('needs more evidence as the family grows', () => {
    // A 12 % shift with small noise on one of many endpoints: the same evidence that fails with a
    // family of three passes Holm's step-down less easily with a family of sixty.
    const oneNoisyShift = (count: number) => {
      const keys = Array.from({ length: count }, (_, index) => `GET /e${index}`);
      const base = paired(
        'base',
        keys.map((key) => measured(key, 7)),
        7,
      );
      const head = paired(
        'head',
        keys.map((key, index) => measured(key, 7, { offset: 3, shift: index === 0 ? 1.12 : 1 })),
        7,
      );
      return noiseAwareComparator
        .compare(head, base, policy)
        .scenarios[0]?.endpoints[0]?.metrics.find((metric) => metric.metric === 'p50');
    };
    const small = oneNoisyShift(3);
    const large = oneNoisyShift(60);
    expect(small?.pValue).toBeCloseTo(large?.pValue ?? 0, 12);
    expect(small?.detectable).toBeLessThan(large?.detectable ?? 0);
  });
});

describe('history comparison', () => {
  const history = Array.from({ length: 10 }, (_, index) =>
    run([
      scenario('vegeta baseline', [
        measured('GET /a', 1, { offset: index }),
        measured('GET /b', 1, { offset: index + 5 }),
      ]),
    ]),
  );

  it('passes a run within the spread of the history', () => {
    const head = run([
      scenario('vegeta baseline', [
        measured('GET /a', 1, { offset: 4 }),
        measured('GET /b', 1, { offset: 2 }),
      ]),
    ]);
    const comparison = noiseAwareComparator.compare(head, history.at(-1), policy, { history });
    expect(comparison.method).toMatchObject({ kind: 'history', samples: 10 });
    expect(comparison.verdict).toBe('pass');
  });

  it('finds a doubling far outside the spread', () => {
    const head = run([
      scenario('vegeta baseline', [measured('GET /a', 1, { shift: 2 }), measured('GET /b', 1)]),
    ]);
    const comparison = noiseAwareComparator.compare(head, history.at(-1), policy, { history });
    expect(comparison.verdict).toBe('regression');
    expect(comparison.scenarios[0]?.endpoints.map((item) => item.status)).toEqual([
      'regression',
      'pass',
    ]);
  });

  it('widens the margin to the noise between runs', () => {
    const noisyHistory = history.map((entry, index) => {
      const copy = structuredClone(entry);
      const first = copy.scenarios[0]?.endpoints[0];
      if (first) first.latency.p50Ms = (first.latency.p50Ms ?? 0) * (index % 2 === 0 ? 1.3 : 0.7);
      return copy;
    });
    const head = run([
      scenario('vegeta baseline', [measured('GET /a', 1, { shift: 1.2 }), measured('GET /b', 1)]),
    ]);
    const p50 = noiseAwareComparator
      .compare(head, noisyHistory.at(-1), policy, { history: noisyHistory })
      .scenarios[0]?.endpoints[0]?.metrics.find((metric) => metric.metric === 'p50');
    expect(p50?.margin).toBeGreaterThan(0.3);
    expect(p50?.status).toBe('pass');
  });

  it('falls back to the plain rule while the history is short', () => {
    const head = run([scenario('vegeta baseline', [measured('GET /a', 1), measured('GET /b', 1)])]);
    const comparison = noiseAwareComparator.compare(head, history.at(-1), policy, {
      history: history.slice(0, 3),
    });
    expect(comparison.method.kind).toBe('tolerance');
    expect(comparison.method.note).toContain('the baseline has 3 of the 5 runs needed');
  });

  it('reports no baseline without one', () => {
    const head = run([scenario('vegeta baseline', [measured('GET /a', 1)])]);
    expect(noiseAwareComparator.compare(head, undefined, policy).verdict).toBe('no-baseline');
  });

  it('applies budgets in both designs', () => {
    const strict: Policy = {
      ...defaultPolicy(),
      forEndpoint: () => ({ budgets: { p50Ms: 5 }, tolerances: { ...DEFAULT_TOLERANCES } }),
    };
    const head = run([
      scenario('vegeta baseline', [
        measured('GET /a', 1, { offset: 4 }),
        measured('GET /b', 1, { offset: 2 }),
      ]),
    ]);
    expect(noiseAwareComparator.compare(head, history.at(-1), strict, { history }).verdict).toBe(
      'over-budget',
    );
  });
});
