import { describe, expect, it } from 'vitest';

import { defaultPolicy } from '../../src/compare/policy.js';
import type { Policy } from '../../src/compare/types.js';
import { DEFAULT_TOLERANCES } from '../../src/config/defaults.js';
import { COMMENT_LIMIT, COMMENT_MARKER } from '../../src/constants.js';
import { judge } from '../../src/engine/judge.js';
import { renderFailureReport } from '../../src/report/failure.js';
import { endpoint, run, scenario } from '../helpers/results.js';

const base = run([
  scenario('k6 baseline', [
    endpoint('GET /health', { p50: 1, p95: 2 }),
    endpoint('GET /api/movies/search?q=matrix', { p50: 3, p95: 6 }),
  ]),
  scenario('vegeta baseline', [endpoint('GET /health', { p50: 1.1, p95: 2.1 })]),
]);

const slowed = run(
  [
    scenario('k6 baseline', [
      endpoint('GET /health', { p50: 1.05, p95: 2.2 }),
      endpoint('GET /api/movies/search?q=matrix', { p50: 53, p95: 56 }),
    ]),
    scenario('vegeta baseline', [endpoint('GET /health', { p50: 1.1, p95: 2 })]),
  ],
  {
    createdAt: '2026-12-02T08:30:00.000Z',
    source: { commit: 'ffeeddccbbaa99887766554433221100ffeeddcc', ref: 'refs/pull/7/merge' },
  },
);

const budgets: Policy = {
  ...defaultPolicy(),
  forEndpoint: () => ({
    budgets: { p95Ms: 50, errorRatio: 0.01 },
    tolerances: { ...DEFAULT_TOLERANCES },
  }),
};

describe('report as a whole', () => {
  it('regression on one endpoint', async () => {
    const { markdown } = judge({ head: slowed, base, policy: budgets });
    await expect(markdown).toMatchFileSnapshot('snapshots/regression.md');
  });

  it('pass against the baseline', async () => {
    const { markdown } = judge({ head: base, base, policy: defaultPolicy() });
    await expect(markdown).toMatchFileSnapshot('snapshots/pass.md');
  });

  it('no baseline', async () => {
    const { markdown } = judge({ head: base, policy: budgets });
    await expect(markdown).toMatchFileSnapshot('snapshots/no-baseline.md');
  });

  it('target that never became ready', async () => {
    const markdown = renderFailureReport({
      title: 'the target did not become ready',
      message:
        'container perf-gate-1a2b3c4d-api-1 (service api) is unhealthy; last health check output: health check answered 503 Service Unavailable',
      remedy:
        'Check the container logs below; raise target.ready-timeout if the service needs longer to start.',
      logs: 'api-1  | 2026-12-02T08:30:00Z movies-api listening on :8080\napi-1  | 2026-12-02T08:30:00Z DEMO_UNHEALTHY is set: /health answers 503',
    });
    await expect(markdown).toMatchFileSnapshot('snapshots/target-not-ready.md');
  });
});

describe('report parts', () => {
  it('starts with the marker and the verdict', () => {
    const { markdown } = judge({ head: slowed, base, policy: budgets });
    const [marker, , headline] = markdown.split('\n');
    expect(marker).toBe(COMMENT_MARKER);
    expect(headline).toBe('## ❌ perf-gate: slower than the baseline');
  });

  it('names only the slowed endpoint in the headline', () => {
    const { markdown } = judge({ head: slowed, base, policy: budgets });
    const headline = markdown.slice(0, markdown.indexOf('### '));
    expect(headline).toContain('`GET /api/movies/search?q=matrix` in k6 baseline');
    expect(headline).not.toContain('GET /health');
  });

  it('escapes Markdown and HTML in endpoint names and errors', () => {
    const hostile = endpoint('GET /a|b<script>alert(1)</script>*x*`y`', {
      errors: { '<img src=x> **boom** | cell': 3 },
      failures: 3,
    });
    const head = run([scenario('k6 [evil](http://x)', [hostile])]);
    const { markdown } = judge({ head, base: head, policy: defaultPolicy() });
    // Inside a code span the name shows as typed; nowhere else does raw HTML appear.
    const name = '`` GET /a\\|b<script>alert(1)</script>*x*`y` ``';
    expect(markdown.split(name).join('')).not.toContain('<script>');
    expect(markdown).not.toContain('<img');
    expect(markdown).toContain(name);
    expect(markdown).toContain('&lt;img src=x&gt; \\*\\*boom\\*\\* \\| cell');
    expect(markdown).toContain('### k6 \\[evil\\](http://x)');
  });

  it('stays under the comment limit with hundreds of endpoints', () => {
    const many = Array.from({ length: 400 }, (_, index) =>
      endpoint(`GET /api/items/${index}?with=a-long-query-string-to-fill-the-table`),
    );
    const slow = many.map((item, index) =>
      index % 50 === 0 ? { ...item, latency: { ...item.latency, p50Ms: 90, p95Ms: 95 } } : item,
    );
    const { markdown } = judge({
      head: run([scenario('k6 baseline', slow)]),
      base: run([scenario('k6 baseline', many)]),
      policy: defaultPolicy(),
      fullReportHint: 'the job summary',
    });
    expect(markdown.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(markdown).toContain('The full report is in the job summary.');
    // Every regressed endpoint stays visible.
    for (let index = 0; index < 400; index += 50)
      expect(markdown).toContain(`GET /api/items/${index}?`);
  });

  it('cut report still closes its blocks', () => {
    const logs = Array.from({ length: 5000 }, (_, index) => `line ${index} ${'x'.repeat(30)}`).join(
      '\n',
    );
    const markdown = renderFailureReport({
      title: 'the run failed',
      message: 'boom',
      logs,
      maxLength: 10_000,
    });
    expect(markdown.length).toBeLessThanOrEqual(10_000);
    expect(markdown).toContain('line 4999');
  });
});
