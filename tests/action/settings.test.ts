import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { parseSuite, readSettings } from '../../src/action/settings.js';
import { loadConfig } from '../../src/config/load-config.js';
import { ConfigError, formatProblem } from '../../src/errors.js';

const exists = () => true;

function problemsOf(inputs: Record<string, string>, configExists = exists): string[] {
  try {
    readSettings((name) => inputs[name] ?? '', configExists);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map(formatProblem);
    throw error;
  }
  return [];
}

describe('action inputs', () => {
  it.each([
    [{ mode: 'push' }, 'input mode: expected one of run, measure, comment, calibrate, got "push"'],
    [
      { 'fail-on-regression': 'yes' },
      'input fail-on-regression: expected true or false, got "yes"',
    ],
    [
      { comment: 'sometimes' },
      'input comment: expected one of always, on-failure, never, got "sometimes"',
    ],
    [
      { 'baseline-retention-days': '0' },
      'input baseline-retention-days: expected a whole number of days from 1 to 90, got "0"',
    ],
    [
      { 'baseline-artifact': 'perf/baseline' },
      'input baseline-artifact: expected an artifact name without " : < > | * ? \\ / or line breaks, got "perf/baseline"',
    ],
    [
      { 'comment-key': 'two words' },
      'input comment-key: expected letters, digits, dots, dashes or underscores, got "two words"',
    ],
    [
      { suite: 'locust: load.py' },
      'input suite: expected one entry per line, such as "k6: baseline" or "vegeta: perf/targets.txt", got "locust: load.py"',
    ],
  ])('%j is rejected', (inputs, problem) => {
    expect(problemsOf(inputs)).toEqual([problem]);
  });

  it('missing configuration file is rejected', () => {
    expect(problemsOf({ config: 'perf/perf-gate.yml' }, () => false)).toEqual([
      'input config: configuration file not found; check the path, or give the compose and url inputs instead, got "perf/perf-gate.yml"',
    ]);
  });

  it('compose and url need no configuration file', () => {
    const settings = readSettings(
      (name) => ({ compose: 'a.yml, b.yml', url: 'http://localhost:8080' })[name] ?? '',
      () => false,
    );
    expect(settings.configFile).toBeUndefined();
    expect(settings.overrides).toEqual([
      { path: ['target', 'compose'], value: ['a.yml', 'b.yml'], label: 'input compose' },
      { path: ['target', 'url'], value: 'http://localhost:8080', label: 'input url' },
    ]);
  });

  it('defaults match action.yml', () => {
    const settings = readSettings(() => '', exists);
    expect(settings).toMatchObject({
      configFile: 'perf-gate.yml',
      mode: 'run',
      failOnRegression: true,
      comment: 'always',
      baselineArtifact: 'perf-gate-baseline',
      baselineRetentionDays: 90,
      reportArtifact: 'perf-gate-report',
      overrides: [],
    });
  });

  it('budget input is validated with the file and named', () => {
    const directory = mkdtempSync(join(tmpdir(), 'perf-gate-inputs-'));
    writeFileSync(join(directory, 'compose.yml'), 'services: {}\n');
    writeFileSync(
      join(directory, 'perf-gate.yml'),
      'target:\n  compose: compose.yml\n  url: http://localhost:8080\n',
    );
    const settings = readSettings(
      (name) => ({ 'budget-p95': 'fast', 'tolerance-p95': '+20%' })[name] ?? '',
      exists,
    );
    expect(() =>
      loadConfig({ file: join(directory, 'perf-gate.yml'), overrides: settings.overrides }),
    ).toThrow('input budget-p95: expected a duration such as 30s, 1m30s or 250ms, got "fast"');
  });
});

describe('suite input', () => {
  it('reads one entry per line', () => {
    expect(parseSuite('k6: baseline\nvegeta: perf/targets.txt\n# a comment\n')).toEqual([
      { k6: 'baseline' },
      { vegeta: 'perf/targets.txt' },
    ]);
  });

  it('reads a YAML list', () => {
    expect(parseSuite('- k6: baseline\n- vegeta: { rate: 20/s }')).toEqual([
      { k6: 'baseline' },
      { vegeta: { rate: '20/s' } },
    ]);
  });
});
