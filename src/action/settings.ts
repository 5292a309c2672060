/**
 * Every input of the action, read once into one settings object. Inputs that override keys of
 * perf-gate.yml become ConfigOverrides, so the configuration validates them with the file and
 * errors name the input.
 */
import { parse as parseYaml } from 'yaml';

import { DEFAULT_CALIBRATION_PAIRS } from '../config/defaults.js';
import type { ConfigOverride } from '../config/load-config.js';
import { ConfigError, type ConfigProblem } from '../errors.js';
import { Inputs } from './constants.js';

/** How the action runs: everything in one job, or split for pull requests from forks. */
export type ActionMode = 'run' | 'measure' | 'comment' | 'calibrate';

/** When to write the pull request comment. */
export type CommentMode = 'always' | 'on-failure' | 'never';

export interface ActionSettings {
  /** Configuration file, relative to the workspace; undefined when only inputs configure the run. */
  configFile: string | undefined;
  /** Values from inputs that replace keys of the configuration file. */
  overrides: ConfigOverride[];
  mode: ActionMode;
  /** Pairs of A/A runs that mode calibrate measures. */
  calibrationPairs: number;
  failOnRegression: boolean;
  comment: CommentMode;
  /** Distinguishes the comments of several perf-gate steps on one pull request. */
  commentKey: string;
  githubToken: string;
  baselineArtifact: string;
  baselineRetentionDays: number;
  reportArtifact: string;
  k6Version: string;
  vegetaVersion: string;
}

export type GetInput = (name: string) => string;

/** Reads and checks every input; throws a ConfigError that lists each invalid one. */
export function readSettings(
  getInput: GetInput,
  configExists: (path: string) => boolean,
): ActionSettings {
  const problems: ConfigProblem[] = [];
  const text = (name: string) => getInput(name).trim();
  const label = (name: string) => `input ${name}`;

  const choice = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const value = text(name);
    if (value === '') return fallback;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    problems.push({
      path: label(name),
      message: `expected one of ${allowed.join(', ')}`,
      received: value,
    });
    return fallback;
  };
  const flag = (name: string, fallback: boolean): boolean => {
    const value = text(name).toLowerCase();
    if (value === '') return fallback;
    if (value === 'true') return true;
    if (value === 'false') return false;
    problems.push({ path: label(name), message: 'expected true or false', received: text(name) });
    return fallback;
  };

  const overrides: ConfigOverride[] = [];
  const override = (name: string, path: (string | number)[], value: unknown) => {
    overrides.push({ path, value, label: label(name) });
  };
  const compose = text(Inputs.Compose);
  if (compose !== '') {
    const files = compose
      .split(/[\n,]/u)
      .map((file) => file.trim())
      .filter(Boolean);
    override(Inputs.Compose, ['target', 'compose'], files.length === 1 ? files[0] : files);
  }
  if (text(Inputs.Url) !== '') override(Inputs.Url, ['target', 'url'], text(Inputs.Url));
  if (text(Inputs.Ready) !== '') override(Inputs.Ready, ['target', 'ready'], text(Inputs.Ready));
  if (text(Inputs.Suite) !== '') {
    const suite = parseSuite(text(Inputs.Suite));
    if (suite === undefined) {
      problems.push({
        path: label(Inputs.Suite),
        message:
          'expected one entry per line, such as "k6: baseline" or "vegeta: perf/targets.txt"',
        received: text(Inputs.Suite),
      });
    } else {
      override(Inputs.Suite, ['suite'], suite);
    }
  }
  if (text(Inputs.Scale) !== '') {
    const scale = Number(text(Inputs.Scale));
    override(Inputs.Scale, ['scale'], Number.isFinite(scale) ? scale : text(Inputs.Scale));
  }
  const limits: [string, (string | number)[]][] = [
    [Inputs.BudgetP50, ['budgets', 'p50']],
    [Inputs.BudgetP90, ['budgets', 'p90']],
    [Inputs.BudgetP95, ['budgets', 'p95']],
    [Inputs.BudgetP99, ['budgets', 'p99']],
    [Inputs.BudgetMax, ['budgets', 'max']],
    [Inputs.BudgetErrorRate, ['budgets', 'error-rate']],
    [Inputs.BudgetThroughput, ['budgets', 'throughput']],
    [Inputs.ToleranceP50, ['regression', 'p50']],
    [Inputs.ToleranceP90, ['regression', 'p90']],
    [Inputs.ToleranceP95, ['regression', 'p95']],
    [Inputs.ToleranceP99, ['regression', 'p99']],
    [Inputs.ToleranceMax, ['regression', 'max']],
    [Inputs.ToleranceErrorRate, ['regression', 'error-rate']],
    [Inputs.ToleranceThroughput, ['regression', 'throughput']],
    [Inputs.MinLatencyChange, ['regression', 'min-latency-change']],
  ];
  for (const [name, path] of limits) {
    if (text(name) !== '') override(name, path, text(name));
  }
  if (flag(Inputs.FailWithoutBaseline, false))
    override(Inputs.FailWithoutBaseline, ['baseline', 'missing'], 'fail');

  const configInput = text(Inputs.Config);
  const configFile = configInput === '' ? 'perf-gate.yml' : configInput;
  const fromInputsOnly = compose !== '' && text(Inputs.Url) !== '';
  let configPath: string | undefined = configFile;
  if (!configExists(configFile)) {
    if (fromInputsOnly && configInput === '') {
      configPath = undefined;
    } else {
      problems.push({
        path: label(Inputs.Config),
        message:
          'configuration file not found; check the path, or give the compose and url inputs instead',
        received: configFile,
      });
    }
  }

  const retention = text(Inputs.BaselineRetentionDays);
  const retentionDays = retention === '' ? 90 : Number(retention);
  if (!Number.isInteger(retentionDays) || retentionDays < 1 || retentionDays > 90) {
    problems.push({
      path: label(Inputs.BaselineRetentionDays),
      message: 'expected a whole number of days from 1 to 90',
      received: retention,
    });
  }
  const pairsInput = text(Inputs.CalibrationPairs);
  const calibrationPairs = pairsInput === '' ? DEFAULT_CALIBRATION_PAIRS : Number(pairsInput);
  if (!Number.isInteger(calibrationPairs) || calibrationPairs < 3 || calibrationPairs > 50) {
    problems.push({
      path: label(Inputs.CalibrationPairs),
      message: 'expected a whole number of pairs from 3 to 50',
      received: pairsInput,
    });
  }
  const artifactName = (name: string, fallback: string): string => {
    const value = text(name) || fallback;
    // @actions/artifact rejects these characters in artifact names.
    if (/["':<>|*?\\/\r\n]/u.test(value)) {
      problems.push({
        path: label(name),
        message: 'expected an artifact name without " : < > | * ? \\ / or line breaks',
        received: value,
      });
    }
    return value;
  };

  const settings: ActionSettings = {
    configFile: configPath,
    overrides,
    mode: choice<ActionMode>(Inputs.Mode, ['run', 'measure', 'comment', 'calibrate'], 'run'),
    calibrationPairs,
    failOnRegression: flag(Inputs.FailOnRegression, true),
    comment: choice<CommentMode>(Inputs.Comment, ['always', 'on-failure', 'never'], 'always'),
    commentKey: text(Inputs.CommentKey),
    githubToken: text(Inputs.GithubToken),
    baselineArtifact: artifactName(Inputs.BaselineArtifact, 'perf-gate-baseline'),
    baselineRetentionDays: retentionDays,
    reportArtifact: artifactName(Inputs.ReportArtifact, 'perf-gate-report'),
    k6Version: text(Inputs.K6Version).replace(/^v/u, ''),
    vegetaVersion: text(Inputs.VegetaVersion).replace(/^v/u, ''),
  };
  if (settings.commentKey !== '' && !/^[\w.-]+$/u.test(settings.commentKey)) {
    problems.push({
      path: label(Inputs.CommentKey),
      message: 'expected letters, digits, dots, dashes or underscores',
      received: settings.commentKey,
    });
  }
  if (problems.length > 0) throw new ConfigError('the action inputs', problems);
  return settings;
}

/**
 * Reads the suite input: a YAML list of entries, or lines such as "k6: baseline", one entry
 * each. Returns undefined when it is neither.
 */
export function parseSuite(text: string): unknown[] | undefined {
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch {
    parsed = undefined;
  }
  if (Array.isArray(parsed)) return parsed as unknown[];
  const entries: unknown[] = [];
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const match = /^(k6|vegeta)\s*:\s*(.+)$/u.exec(trimmed);
    if (!match) return undefined;
    entries.push({ [match[1] ?? '']: match[2]?.trim() });
  }
  return entries.length > 0 ? entries : undefined;
}
