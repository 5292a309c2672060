/**
 * The CLI bundle in dist/ as a user runs it, on this Node.js and on Node.js 24 (GitHub's runtime
 * for actions) when it is installed: compare on recorded outputs, errors and exit codes.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { configJsonSchema } from '../../src/cli/main.js';
import { CLI, node24, runCli } from '../helpers/integration.js';
import { RECORDED, ROOT } from '../helpers/paths.js';

const fixture = (name: string) => join(RECORDED, name);
const nodes: [string, string][] = [[`node ${process.version}`, process.execPath]];
const nodeForActions = node24();
if (nodeForActions) nodes.push(['node 24', nodeForActions]);
else {
  // eslint-disable-next-line no-console -- the skip reason must reach the person running the tests
  console.warn(
    'Node.js 24 not found (set PERF_GATE_NODE24 or run .ci/run); the bundle is tested on this Node.js only.',
  );
}

describe.each(nodes)('CLI bundle on %s', (_label, node) => {
  it('prints its version', async () => {
    const run = await runCli(['--version'], { node });
    expect(run.exitCode).toBe(0);
    expect(run.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/u);
  });

  it('passes a k6 run compared with itself', async () => {
    const output = fixture('k6-baseline.ndjson.gz');
    const run = await runCli(['compare', output, output], { node });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toContain('## ✅ perf-gate: no regression');
    expect(run.stdout).toContain('`GET /api/movies/42`');
  });

  it('fails when the error rate jumps between vegeta reports', async () => {
    const run = await runCli(
      [
        'compare',
        fixture('vegeta-mixed.report.json'),
        fixture('vegeta-refused.report.json'),
        '--json',
      ],
      { node },
    );
    expect(run.exitCode).toBe(1);
    const output = JSON.parse(run.stdout) as { verdict: string; failures: string[] };
    expect(output.verdict).toBe('regression');
    expect(output.failures).toContain(
      'vegeta, (all endpoints): error rate rose from 16.50 % to 100.00 % (+83.50 pp), beyond the allowed +0.50 pp',
    );
  });

  it('compares raw vegeta results with a warm-up left out', async () => {
    const results = fixture('vegeta-mixed.results.ndjson.gz');
    const run = await runCli(['compare', results, results, '--warmup', '1s', '--json'], { node });
    expect(run.exitCode, run.stderr).toBe(0);
    const output = JSON.parse(run.stdout) as {
      comparison: { scenarios: { endpoints: { key: string }[] }[] };
    };
    expect(output.comparison.scenarios[0]?.endpoints).toHaveLength(6);
  });

  it('rejects a vegeta text report with the fix', async () => {
    const report = fixture('vegeta-mixed.report.txt');
    const run = await runCli(['compare', report, report], { node });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(
      "is vegeta's text report, whose rounded values cannot be compared",
    );
    expect(run.stderr).toContain('Pass the results file, or vegeta report -type=json output.');
  });

  it('rejects a corrupt baseline', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'perf-gate-corrupt-'));
    const corrupt = join(directory, 'perf-gate-baseline.json');
    writeFileSync(corrupt, '{"schemaVersion": 1, "scenarios": [{"name": 3}]');
    const run = await runCli(['compare', directory, fixture('k6-baseline.summary.json')], { node });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(`error: ${corrupt} is not valid JSON`);
  });

  it('rejects a baseline of another schema version', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'perf-gate-version-'));
    writeFileSync(
      join(directory, 'perf-gate-baseline.json'),
      JSON.stringify({ schemaVersion: 99, scenarios: [] }),
    );
    const run = await runCli(['compare', directory, fixture('k6-baseline.summary.json')], { node });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('has result schema version 99; this perf-gate reads version 1.');
    expect(run.stderr).toContain('Record the baseline again with this version of perf-gate');
  });

  it('reports configuration errors before starting anything', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'perf-gate-bad-'));
    writeFileSync(
      join(directory, 'perf-gate.yml'),
      'target:\n  compose: compose.yml\n  url: http://localhost:8080\nsuite:\n  - vegeta: { rate: fifty }\n',
    );
    writeFileSync(join(directory, 'compose.yml'), 'services: {}\n');
    const run = await runCli(['run'], { node, cwd: directory });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(
      'perf-gate.yml:5:21: suite[0].vegeta.rate: expected a rate such as 50/s, got "fifty"',
    );
    expect(run.stderr).not.toContain('Starting');
  });

  it('rejects a calibration with too few pairs before starting anything', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'perf-gate-calibrate-'));
    writeFileSync(
      join(directory, 'perf-gate.yml'),
      'target:\n  compose: compose.yml\n  url: http://localhost:8080\n',
    );
    writeFileSync(join(directory, 'compose.yml'), 'services: {}\n');
    const run = await runCli(['calibrate', '--pairs', '2'], { node, cwd: directory });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('--pairs: expected a whole number of pairs from 3 to 50, got "2"');
    expect(run.stderr).not.toContain('Starting');
  });

  it('rejects an unknown option', async () => {
    const run = await runCli(['run', '--sclae', '2'], { node });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toBe(
      'error: unknown option --sclae. Run perf-gate --help for the options.\n',
    );
  });
});

describe('committed files', () => {
  it('JSON Schema matches the configuration schema', () => {
    const committed = JSON.parse(
      readFileSync(join(ROOT, 'perf-gate.schema.json'), 'utf8'),
    ) as unknown;
    expect(committed).toEqual(configJsonSchema());
  });

  it('bundle resolves every module', () => {
    // ncc compiles a module it cannot resolve into a require of @@notfound, which fails at run time.
    expect(readFileSync(CLI, 'utf8')).not.toContain('@@notfound');
  });
});
