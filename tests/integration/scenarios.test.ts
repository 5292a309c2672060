/**
 * Every shipped k6 scenario and vegeta profile, scaled to a fiftieth of its length, against the
 * demo: each must run, reach the endpoints from the configuration and leave a result.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeAll, describe, expect, it } from 'vitest';

import type { RunResult } from '../../src/result/types.js';
import {
  buildDemoBinary,
  freePort,
  integrationGate,
  leftovers,
  noteExistingStacks,
  runCli,
} from '../helpers/integration.js';
import { ROOT } from '../helpers/paths.js';

const CONFIG = join(ROOT, 'tests', 'integration', 'scenarios.yml');
const gate = integrationGate();

describe.skipIf(gate.skip)('the shipped scenarios', () => {
  beforeAll(() => {
    noteExistingStacks();
    buildDemoBinary();
  });

  afterEach(() => {
    expect(leftovers()).toEqual({ containers: [], networks: [] });
  });

  it('run scaled down against the demo', async () => {
    const work = mkdtempSync(join(tmpdir(), 'perf-gate-scenarios-'));
    const run = await runCli(['run', '--config', CONFIG, '--out', work, '--json'], {
      env: { DEMO_PORT: String(await freePort()) },
    });
    expect(run.exitCode, run.stderr).toBe(0);
    const result = JSON.parse(readFileSync(join(work, 'result.json'), 'utf8')) as RunResult;
    expect(result.scenarios.map((scenario) => scenario.name)).toEqual([
      'k6 baseline',
      'k6 load',
      'k6 spike',
      'k6 stress',
      'k6 soak',
      'vegeta baseline',
      'vegeta moderate',
      'vegeta high',
      'vegeta stress',
      'vegeta burst',
      'vegeta sustained',
    ]);
    for (const scenario of result.scenarios) {
      expect(
        scenario.endpoints.map((endpoint) => endpoint.key),
        scenario.name,
      ).toEqual(['GET /api/movies/42', 'GET /api/movies?page=2']);
      expect(scenario.total.requests, scenario.name).toBeGreaterThan(0);
      expect(scenario.total.errorRatio ?? 0, scenario.name).toBeLessThan(0.05);
      expect(scenario.findings, scenario.name).toEqual([]);
    }
    const burst = result.scenarios.find((scenario) => scenario.name === 'vegeta burst');
    expect(burst?.settings.phases).toContain('500/1s');
    // The stress profile asks for 1,000 requests a second, the baseline for 50.
    const rate = (name: string) =>
      result.scenarios.find((scenario) => scenario.name === name)?.achievedRatePerSecond ?? 0;
    expect(rate('vegeta stress')).toBeGreaterThan(rate('vegeta baseline') * 5);
  }, 600_000);
});
