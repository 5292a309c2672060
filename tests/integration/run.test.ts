/**
 * The CLI bundle end to end on the demo: real docker compose, k6 and vegeta, a saved baseline, a
 * verdict and the report.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeAll, describe, expect, it } from 'vitest';

import type { Comparison } from '../../src/compare/types.js';
import type { RunResult } from '../../src/result/types.js';
import {
  buildDemoBinary,
  freePort,
  integrationGate,
  leftovers,
  noteExistingStacks,
  node24,
  runCli,
} from '../helpers/integration.js';
import { ROOT } from '../helpers/paths.js';

const CONFIG = join(ROOT, 'tests', 'integration', 'perf-gate.yml');
const SEARCH = 'GET /api/movies/search?q=matrix';
const gate = integrationGate();

interface JsonOutput {
  verdict: string;
  failures: string[];
  result: string;
  report: string;
  comparison: Comparison;
}

describe.skipIf(gate.skip)('perf-gate run on the demo', () => {
  const work = mkdtempSync(join(tmpdir(), 'perf-gate-run-'));
  const baselineDir = join(work, 'baseline');
  let port: number;

  beforeAll(async () => {
    noteExistingStacks();
    buildDemoBinary();
    port = await freePort();
  });

  afterEach(() => {
    expect(leftovers()).toEqual({ containers: [], networks: [] });
  });

  it('records a baseline on the first run', async () => {
    const run = await runCli(
      [
        'run',
        '--config',
        CONFIG,
        '--out',
        join(work, 'first'),
        '--save-baseline',
        baselineDir,
        '--json',
      ],
      {
        env: { DEMO_PORT: String(port) },
      },
    );
    expect(run.exitCode, run.stderr).toBe(0);
    const output = JSON.parse(run.stdout) as JsonOutput;
    expect(output.verdict).toBe('no-baseline');
    const result = JSON.parse(
      readFileSync(join(baselineDir, 'perf-gate-baseline.json'), 'utf8'),
    ) as RunResult;
    expect(result.scenarios.map((scenario) => scenario.name)).toEqual([
      'k6 baseline',
      'vegeta baseline',
    ]);
    // The compose plugin (v2, whose versions continue as 5.x) is used when it exists.
    expect(result.tools.compose).toMatch(/^[25]\./u);
    for (const scenario of result.scenarios) {
      expect(scenario.endpoints).toHaveLength(5);
      expect(scenario.total.failures).toBe(0);
      // 40 requests per second for 8 seconds after the warm-up.
      expect(scenario.total.requests).toBeGreaterThan(300);
      expect(scenario.crossChecks.every((check) => check.status === 'match')).toBe(true);
      // The healthy demo is watched, and nothing about it is reported as a fault.
      expect(scenario.findings).toEqual([]);
      const [api] = scenario.resources ?? [];
      expect(api?.name).toBe('api-1');
      expect(api?.service).toBe('api');
      expect(api?.cpuMeanPercent).toBeGreaterThan(0);
      expect(api?.memoryMaxBytes).toBeGreaterThan(1_000_000);
      expect(api?.restarts).toBe(0);
      expect(api?.logErrors).toBe(0);
      expect(scenario.timeline?.length).toBeGreaterThan(5);
    }
    expect(result.tools.docker).toMatch(/^\d+\./u);
  }, 240_000);

  it('passes unchanged code against its own baseline', async () => {
    const run = await runCli(
      ['run', '--config', CONFIG, '--out', join(work, 'same'), '--baseline', baselineDir, '--json'],
      {
        env: { DEMO_PORT: String(port) },
      },
    );
    expect(run.exitCode, run.stdout).toBe(0);
    const output = JSON.parse(run.stdout) as JsonOutput;
    expect(output.verdict).toBe('pass');
    expect(output.failures).toEqual([]);
  }, 240_000);

  it('flags a 50 ms slowdown on that endpoint and no other', async () => {
    const run = await runCli(
      ['run', '--config', CONFIG, '--out', join(work, 'slow'), '--baseline', baselineDir, '--json'],
      {
        env: { DEMO_PORT: String(port), DEMO_SLOWDOWN: '/api/movies/search=50ms' },
        // GitHub runs the action on Node 24; the bundle must behave the same there.
        ...(node24() ? { node: node24() } : {}),
      },
    );
    expect(run.exitCode, run.stderr).toBe(1);
    const output = JSON.parse(run.stdout) as JsonOutput;
    expect(output.verdict).toBe('regression');
    for (const scenario of output.comparison.scenarios) {
      const failing = scenario.endpoints
        .filter((endpoint) => endpoint.status === 'regression')
        .map((endpoint) => endpoint.key);
      expect(failing, scenario.name).toEqual([SEARCH]);
      const search = scenario.endpoints.find((endpoint) => endpoint.key === SEARCH);
      const p50 = search?.metrics.find((metric) => metric.metric === 'p50');
      expect(p50?.head).toBeGreaterThan(50);
    }
    const report = readFileSync(output.report, 'utf8');
    expect(report).toContain('## ❌ perf-gate: slower than the baseline');
    expect(report).toContain(`\`${SEARCH}\` in k6 baseline`);
    expect(report).toContain(`\`${SEARCH}\` in vegeta baseline`);
  }, 240_000);

  it('fails clearly with the logs when the target never becomes healthy', async () => {
    const run = await runCli(['run', '--config', CONFIG, '--out', join(work, 'unhealthy')], {
      env: { DEMO_PORT: String(port), DEMO_UNHEALTHY: '1', READY_TIMEOUT: '60s' },
    });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(
      /error: container perf-gate-[0-9a-f]{8}-api-1 \(service api\) is unhealthy/u,
    );
    expect(run.stdout).toContain('## ⛔ perf-gate: the target did not become ready');
    expect(run.stdout).toContain('<summary>Container logs</summary>');
    expect(run.stdout).toContain('DEMO_UNHEALTHY is set: /health answers 503');
    expect(readFileSync(join(work, 'unhealthy', 'report.md'), 'utf8')).toBe(run.stdout);
  }, 240_000);

  it('tears the stack down when interrupted', async () => {
    const run = await runCli(['run', '--config', CONFIG, '--out', join(work, 'interrupted')], {
      env: { DEMO_PORT: String(port) },
      onStderr: (text, child) => {
        if (text.includes('Running k6 baseline: k6') && !child.killed) child.kill('SIGINT');
      },
    });
    expect(run.exitCode).toBe(130);
    expect(run.stderr).toContain('SIGINT received: stopping the load and tearing the target down');
    expect(run.stderr).toMatch(/Stopped and removed compose project perf-gate-[0-9a-f]{8}/u);
  }, 240_000);
});

describe.skipIf(gate.skip)('perf-gate run in the paired design', () => {
  const PAIRED = join(ROOT, 'tests', 'integration', 'paired.yml');

  beforeAll(() => {
    noteExistingStacks();
    buildDemoBinary();
  });

  afterEach(() => {
    expect(leftovers()).toEqual({ containers: [], networks: [] });
  });

  it('measures base and head alternately and finds a slowdown of one endpoint', async () => {
    const out = mkdtempSync(join(tmpdir(), 'perf-gate-paired-'));
    const run = await runCli(['run', '--config', PAIRED, '--out', out, '--json'], {
      env: {
        DEMO_PORT: String(await freePort()),
        BASE_PORT: String(await freePort()),
        DEMO_SLOWDOWN: '/api/movies/search=+50%',
      },
    });
    expect(run.exitCode, run.stderr).toBe(1);
    const output = JSON.parse(run.stdout) as JsonOutput;
    expect(output.verdict).toBe('regression');
    expect(output.comparison.method.kind).toBe('paired');
    expect(output.comparison.method.samples).toBeGreaterThanOrEqual(3);
    const [scenario] = output.comparison.scenarios;
    expect(
      scenario?.endpoints.filter((item) => item.status === 'regression').map((item) => item.key),
    ).toEqual([SEARCH]);
    const p50 = scenario?.endpoints
      .find((item) => item.key === SEARCH)
      ?.metrics.find((metric) => metric.metric === 'p50');
    // 20 ms become 30 ms; the interval must exclude the 5 % margin.
    expect(p50?.change).toBeGreaterThan(0.3);
    expect(p50?.interval?.[0]).toBeGreaterThan(0.05);

    const base = JSON.parse(readFileSync(join(out, 'base-result.json'), 'utf8')) as RunResult;
    const head = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as RunResult;
    expect(base.design).toMatchObject({ kind: 'paired', role: 'base' });
    expect(head.design?.order?.slice(0, 3)).toEqual(['base-head', 'head-base', 'base-head']);
    expect(head.scenarios[0]?.endpoints[0]?.runs).toHaveLength(head.design?.runs ?? 0);
    expect(run.stderr).toContain('Starting the base stack');
    expect(run.stderr).toContain('Running vegeta baseline (pair 2, head)');
  }, 240_000);
});

/** The standalone Python docker-compose, for machines without the compose plugin. */
const composeVersion = spawnSync('docker-compose', ['version', '--short'], { encoding: 'utf8' });
const composeV1 = composeVersion.error ? '' : composeVersion.stdout.trim();

describe.skipIf(gate.skip || !composeV1.startsWith('1.'))(
  'perf-gate run with docker-compose v1',
  () => {
    beforeAll(noteExistingStacks);

    it('runs the suite and tears the stack down', async () => {
      const work = mkdtempSync(join(tmpdir(), 'perf-gate-v1-'));
      const run = await runCli(['run', '--config', CONFIG, '--out', work, '--json'], {
        env: { DEMO_PORT: String(await freePort()), PERF_GATE_COMPOSE: 'docker-compose' },
      });
      expect(run.exitCode, run.stderr).toBe(0);
      const result = JSON.parse(readFileSync(join(work, 'result.json'), 'utf8')) as RunResult;
      expect(result.tools.compose).toBe(composeV1);
      expect(result.scenarios.every((scenario) => scenario.total.requests > 300)).toBe(true);
      expect(leftovers()).toEqual({ containers: [], networks: [] });
    }, 240_000);
  },
);
