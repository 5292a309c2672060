import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { beforeAll, describe, expect, it } from 'vitest';

import { DEFAULT_LOG_ERROR_PATTERN } from '../../src/config/defaults.js';
import { loadConfig } from '../../src/config/load-config.js';
import { ConfigError, formatProblem } from '../../src/errors.js';

let directory: string;

beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'perf-gate-config-'));
  writeFileSync(join(directory, 'compose.yml'), 'services: {}\n');
  mkdirSync(join(directory, 'perf'));
  writeFileSync(join(directory, 'perf', 'script.js'), 'export default function () {}\n');
  writeFileSync(join(directory, 'perf', 'targets.txt'), 'GET http://localhost:8080/\n');
});

const TARGET = 'target:\n  compose: compose.yml\n  url: http://localhost:8080\n';

/** Writes `text` as perf-gate.yml and returns the problems loadConfig reports, formatted. */
function problemsOf(text: string, env: Record<string, string> = {}): string[] {
  const file = join(directory, 'perf-gate.yml');
  writeFileSync(file, text);
  try {
    loadConfig({ file, env });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map(formatProblem);
    throw error;
  }
  return [];
}

const badFiles: { name: string; text: string; problems: string[] }[] = [
  {
    name: 'rate that is not a rate',
    text: `${TARGET}suite:\n  - k6: baseline\n  - vegeta: { rate: fifty }\n`,
    problems: [
      'perf-gate.yml:6:21: suite[1].vegeta.rate: expected a rate such as 50/s, got "fifty"',
    ],
  },
  {
    name: 'duration without a unit',
    text: `${TARGET}suite:\n  - vegeta: { duration: 10 }\n`,
    problems: [
      'perf-gate.yml:5:25: suite[0].vegeta.duration: expected a duration such as 30s, 1m30s or 250ms, got 10',
    ],
  },
  {
    name: 'misspelt key',
    text: 'target:\n  compose: compose.yml\n  urll: http://localhost:8080\n',
    problems: [
      'perf-gate.yml:2:3: target.url: missing; expected an http or https URL such as http://localhost:8080',
      'perf-gate.yml:3:3: target.urll: unknown key; did you mean "url"?',
    ],
  },
  {
    name: 'unknown top-level key',
    text: `${TARGET}budget:\n  p95: 100ms\n`,
    problems: ['perf-gate.yml:4:1: budget: unknown key; did you mean "budgets"?'],
  },
  {
    name: 'missing target',
    text: 'suite:\n  - k6: baseline\n',
    problems: ['perf-gate.yml:1:1: target: missing; expected a mapping with compose and url'],
  },
  {
    name: 'suite entry with both tools',
    text: `${TARGET}suite:\n  - k6: baseline\n    vegeta: baseline\n`,
    problems: [
      'perf-gate.yml:5:5: suite[0]: expected exactly one of k6 or vegeta, not both; make them two entries',
    ],
  },
  {
    name: 'suite entry with no tool',
    text: `${TARGET}suite:\n  - name: lonely\n`,
    problems: ['perf-gate.yml:5:5: suite[0]: expected exactly one of k6 or vegeta'],
  },
  {
    name: 'endpoint with an unknown method',
    text: `${TARGET}endpoints:\n  - FETCH /movies\n`,
    problems: [
      'perf-gate.yml:5:5: endpoints[0]: expected "METHOD /path" with a method of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS, got "FETCH /movies"',
    ],
  },
  {
    name: 'endpoint path without a slash',
    text: `${TARGET}endpoints:\n  - { method: GET, path: movies }\n`,
    problems: [
      'perf-gate.yml:5:26: endpoints[0].path: expected a path that starts with /, got "movies"',
    ],
  },
  {
    name: 'budget without a unit',
    text: `${TARGET}budgets:\n  p95: 100\n`,
    problems: [
      'perf-gate.yml:5:8: budgets.p95: expected a duration such as 30s, 1m30s or 250ms, got 100',
    ],
  },
  {
    name: 'error rate above 100 %',
    text: `${TARGET}budgets:\n  error-rate: 200%\n`,
    problems: [
      'perf-gate.yml:5:15: budgets.error-rate: expected a percentage between 0% and 100%, got "200%"',
    ],
  },
  {
    name: 'latency tolerance pointing down',
    text: `${TARGET}regression:\n  p95: -10%\n`,
    problems: [
      'perf-gate.yml:5:8: regression.p95: expected an allowed increase such as +10%, or off, got "-10%"',
    ],
  },
  {
    name: 'throughput tolerance pointing up',
    text: `${TARGET}regression:\n  throughput: +5%\n`,
    problems: [
      'perf-gate.yml:5:15: regression.throughput: expected an allowed decrease such as -10%, or off, got "+5%"',
    ],
  },
  {
    name: 'zero scale',
    text: `${TARGET}scale: 0\n`,
    problems: ['perf-gate.yml:4:8: scale: expected a number above 0, got 0'],
  },
  {
    name: 'URL that is not http',
    text: 'target:\n  compose: compose.yml\n  url: ftp://localhost\n',
    problems: [
      'perf-gate.yml:3:8: target.url: expected an http or https URL such as http://localhost:8080, got "ftp://localhost"',
    ],
  },
  {
    name: 'unset variable',
    text: 'target:\n  compose: compose.yml\n  url: http://localhost:${PORT}\n',
    problems: [
      'perf-gate.yml:3:8: target.url: variable PORT is not set; set it, or give a default as ${PORT:-value}, got "http://localhost:${PORT}"',
    ],
  },
  {
    name: 'YAML syntax error',
    text: 'target: [\n',
    problems: [
      'perf-gate.yml:2:1: (YAML): Flow sequence in block collection must be sufficiently indented and end with a ]; fix the YAML syntax',
    ],
  },
  {
    name: 'list at the top level',
    text: '- target\n',
    problems: ['(top level): expected a mapping of keys such as target and suite, got a list'],
  },
  {
    name: 'compose file that does not exist',
    text: 'target:\n  compose: nowhere.yml\n  url: http://localhost:8080\n',
    problems: [
      `perf-gate.yml:2:12: target.compose: compose file not found at ${join('DIR', 'nowhere.yml')}; give a path relative to the configuration file, got "nowhere.yml"`,
    ],
  },
  {
    name: 'k6 script that does not exist',
    text: `${TARGET}suite:\n  - k6: perf/missing.js\n`,
    problems: [
      `perf-gate.yml:5:9: suite[0].k6: k6 script not found at ${join('DIR', 'perf', 'missing.js')}; give a path relative to the configuration file, got "perf/missing.js"`,
    ],
  },
  {
    name: 'unknown shipped scenario',
    text: `${TARGET}suite:\n  - k6: soak-forever\n`,
    problems: [
      'perf-gate.yml:5:9: suite[0].k6: unknown shipped scenario; expected one of baseline, load, spike, stress, soak, or a path to a .js script, got "soak-forever"',
    ],
  },
  {
    name: 'duration on a shipped scenario that ramps in stages',
    text: `${TARGET}suite:\n  - k6: { script: load, duration: 1m }\n`,
    problems: [
      'perf-gate.yml:5:35: suite[0].k6.duration: the shipped scenario load ramps in stages, which set its length; shorten it with scale instead, got "1m"',
    ],
  },
  {
    name: 'rate on a shipped scenario of virtual users',
    text: `${TARGET}suite:\n  - k6: { script: soak, rate: 10/s }\n`,
    problems: [
      'perf-gate.yml:5:31: suite[0].k6.rate: the shipped scenario soak runs virtual users, not an arrival rate; set vus instead, got "10/s"',
    ],
  },
  {
    name: 'rate on a vegeta profile that alternates rates',
    text: `${TARGET}suite:\n  - vegeta: { profile: burst, rate: 100/s }\n`,
    problems: [
      'perf-gate.yml:5:37: suite[0].vegeta.rate: the shipped profile burst alternates rates in phases, which set its rate and length; shorten it with scale instead, got "100/s"',
    ],
  },
  {
    name: 'monitor budget that is not a size',
    text: `${TARGET}monitor:\n  budgets: { memory: 200 }\n`,
    problems: [
      'perf-gate.yml:5:22: monitor.budgets.memory: expected a size above zero such as 200MB or 256MiB (units B, kB, MB, GB, KiB, MiB, GiB, or k, m, g as in docker run), got 200',
    ],
  },
  {
    name: 'monitor turned on with a word',
    text: `${TARGET}monitor: on\n`,
    problems: [
      'perf-gate.yml:4:10: monitor: expected true, false or a mapping with interval, after-load, budgets, log-errors, got "on"',
    ],
  },
  {
    name: 'monitor budget of zero',
    text: `${TARGET}monitor:\n  budgets: { cpu: 0% }\n`,
    problems: [
      'perf-gate.yml:5:19: monitor.budgets.cpu: expected a share of one core above zero such as 40%, or 150% for one and a half cores, got "0%"',
    ],
  },
  {
    name: 'rate on a custom k6 script',
    text: `${TARGET}suite:\n  - k6: { script: perf/script.js, rate: 10/s }\n`,
    problems: [
      'perf-gate.yml:5:41: suite[0].k6.rate: rate applies to shipped scenarios only; set the arrival rate in your script, got "10/s"',
    ],
  },
  {
    name: 'duplicate scenario names',
    text: `${TARGET}suite:\n  - k6: baseline\n  - k6: baseline\n`,
    problems: [
      'perf-gate.yml:6:5: suite[1].name: duplicate scenario name, also used by suite[0]; give each entry a unique name, got "k6 baseline"',
    ],
  },
  {
    name: 'duplicate endpoints',
    text: `${TARGET}endpoints:\n  - GET /a\n  - GET /a\n`,
    problems: [
      'perf-gate.yml:6:5: endpoints[1]: duplicate endpoint, same as endpoints[0]; give one of them a name, got "GET /a"',
    ],
  },
];

describe('configuration errors', () => {
  it.each(badFiles)('$name', ({ text, problems }) => {
    expect(problemsOf(text).map((problem) => problem.replaceAll(directory, 'DIR'))).toEqual(
      problems,
    );
  });

  it('reports every problem of a file at once', () => {
    const problems = problemsOf(
      `${TARGET}scale: 0\nbudgets:\n  p95: fast\nregression:\n  p50: lots\n`,
    );
    expect(problems).toHaveLength(3);
  });

  it('names the command-line option that overrides a key', () => {
    const file = join(directory, 'perf-gate.yml');
    writeFileSync(file, TARGET);
    const error = (() => {
      try {
        loadConfig({
          file,
          env: {},
          overrides: [{ path: ['scale'], value: 'lots', label: '--scale' }],
        });
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map(formatProblem)).toEqual([
      '--scale: expected a number such as 0.5, got "lots"',
    ]);
  });

  it('reports a missing file with the path tried', () => {
    expect(() => loadConfig({ file: join(directory, 'absent.yml') })).toThrow(
      /configuration file not found; create it or pass --config with its path/u,
    );
  });
});

describe('configuration defaults', () => {
  function load(text: string, env: Record<string, string> = {}) {
    const file = join(directory, 'perf-gate.yml');
    writeFileSync(file, text);
    return loadConfig({ file, env });
  }

  it('minimal file runs the default suite', () => {
    const config = load(TARGET);
    expect(config.suite.map((entry) => entry.name)).toEqual(['k6 baseline', 'vegeta baseline']);
    expect(config.endpoints.map((endpoint) => endpoint.key)).toEqual(['GET /']);
    expect(config.target.readyUrl).toBe('http://localhost:8080');
    expect(config.target.build).toBe(true);
    expect(config.onMissingBaseline).toBe('pass');
  });

  it('shipped scenarios take the catalogue values and the warm-up', () => {
    const [k6, vegeta] = load(TARGET).suite;
    expect(k6).toMatchObject({
      tool: 'k6',
      shipped: 'baseline',
      vus: 10,
      ratePerSecond: 50,
      durationMs: 60_000,
      warmupMs: 10_000,
    });
    expect(vegeta).toMatchObject({
      tool: 'vegeta',
      profile: 'baseline',
      rateText: '50/1s',
      durationMs: 60_000,
      timeoutMs: 30_000,
    });
  });

  it('scale shortens durations and warm-ups of shipped scenarios', () => {
    const [k6, vegeta] = load(`${TARGET}scale: 0.1\n`).suite;
    expect(k6).toMatchObject({ tool: 'k6', warmupMs: 1_000, durationMs: 6_000 });
    expect(vegeta).toMatchObject({ tool: 'vegeta', warmupMs: 1_000, durationMs: 6_000 });
  });

  it('ramping scenarios take their length from the stages, burst from its phases', () => {
    const [ramping, burst] = load(
      `${TARGET}scale: 0.5\nsuite:\n  - k6: load\n  - vegeta: burst\n`,
    ).suite;
    expect(ramping).toMatchObject({ tool: 'k6', shipped: 'load', vus: 100, warmupMs: 5_000 });
    expect(ramping && 'durationMs' in ramping).toBe(false);
    expect(ramping && 'ratePerSecond' in ramping).toBe(false);
    expect(burst).toMatchObject({ tool: 'vegeta', profile: 'burst', durationMs: 30_000 });
    const phases = burst?.tool === 'vegeta' ? (burst.phases ?? []) : [];
    expect(phases.map((phase) => [phase.rateText, phase.durationMs])).toEqual([
      ['50/1s', 5_000],
      ['500/1s', 2_500],
      ['50/1s', 5_000],
      ['500/1s', 2_500],
      ['50/1s', 5_000],
      ['500/1s', 2_500],
      ['50/1s', 5_000],
      ['500/1s', 2_500],
    ]);
    // Halved: 5 s at 50/s and 2.5 s at 500/s, four times, after 5 s of warm-up at 50/s, is
    // 6,250 requests in 35 s.
    expect(burst?.tool === 'vegeta' && burst.ratePerSecond).toBeCloseTo(6_250 / 35, 6);
  });

  it('monitor defaults and budget units', () => {
    expect(load(TARGET).monitor).toEqual({
      enabled: true,
      intervalMs: 1_000,
      afterLoadMs: 5_000,
      budgets: {},
      logErrorPattern: DEFAULT_LOG_ERROR_PATTERN,
    });
    const tuned = load(
      `${TARGET}monitor:\n  interval: 500ms\n  budgets: { memory: 200MB, cpu: 150% }\n  log-errors: 'level=error'\n`,
    ).monitor;
    expect(tuned).toMatchObject({
      intervalMs: 500,
      budgets: { memoryBytes: 200_000_000, cpuPercent: 150 },
      logErrorPattern: 'level=error',
    });
    expect(load(`${TARGET}monitor: false\n`).monitor.enabled).toBe(false);
    expect(load(`${TARGET}monitor: true\n`).monitor.enabled).toBe(true);
    expect(load(`${TARGET}monitor:\n  budgets: { memory: 200m }\n`).monitor.budgets).toEqual({
      memoryBytes: 200 * 2 ** 20,
    });
  });

  it('variables take their defaults', () => {
    const config = load(
      'target:\n  compose: compose.yml\n  url: http://127.0.0.1:${PORT:-9000}\n  ready: /health\n',
    );
    expect(config.target.readyUrl).toBe('http://127.0.0.1:9000/health');
  });

  it('variables take values from the environment', () => {
    const config = load(
      'target:\n  compose: compose.yml\n  url: http://127.0.0.1:${PORT:-9000}\n',
      { PORT: '8181' },
    );
    expect(config.target.url).toBe('http://127.0.0.1:8181');
  });

  it('endpoint limits override the top level', () => {
    const config = load(
      `${TARGET}budgets:\n  p95: 100ms\nregression:\n  p95: +20%\nendpoints:\n  - GET /fast\n  - path: /slow\n    budgets: { p95: 1s }\n    regression: { p95: off }\n`,
    );
    const [fast, slow] = config.endpoints;
    expect(fast?.budgets.p95Ms).toBe(100);
    expect(fast?.tolerances.p95).toBeCloseTo(0.2, 10);
    expect(slow?.budgets.p95Ms).toBe(1000);
    expect(slow?.tolerances.p95).toBeUndefined();
    expect(slow?.tolerances.p50).toBeCloseTo(0.05, 10);
  });

  it('mapping body is sent as JSON', () => {
    const [endpoint] = load(
      `${TARGET}endpoints:\n  - { method: POST, path: /search, body: { q: matrix } }\n`,
    ).endpoints;
    expect(endpoint?.body).toBe('{"q":"matrix"}');
    expect(endpoint?.headers).toEqual({ 'Content-Type': 'application/json' });
  });

  it('vegeta entry with a targets file', () => {
    const [entry] = load(`${TARGET}suite:\n  - vegeta: perf/targets.txt\n`).suite;
    expect(entry).toMatchObject({
      tool: 'vegeta',
      name: 'vegeta targets',
      targetsFile: join(directory, 'perf', 'targets.txt'),
      targetsFormat: 'http',
      rateText: '50/1s',
    });
  });

  it('custom k6 script keeps its own load unless told', () => {
    const [entry] = load(`${TARGET}suite:\n  - k6: perf/script.js\n`).suite;
    expect(entry).toMatchObject({
      tool: 'k6',
      name: 'k6 script',
      script: join(directory, 'perf', 'script.js'),
    });
    expect(entry).not.toHaveProperty('durationMs');
    expect(entry).not.toHaveProperty('shipped');
  });
});
