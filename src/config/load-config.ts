/**
 * Reads perf-gate.yml, validates it against the schema and resolves it into a Config: defaults
 * applied, paths made absolute, shipped scenarios looked up. Every problem is collected and
 * reported at once, before anything starts.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, resolve } from 'node:path';

import { LineCounter, parseDocument } from 'yaml';

import { ConfigError, type ConfigProblem } from '../errors.js';
import {
  DEFAULT_ADVISORY,
  DEFAULT_FAMILY_ALPHA,
  DEFAULT_HISTORY_LENGTH,
  DEFAULT_LOG_ERROR_PATTERN,
  DEFAULT_MAX_PAIRS,
  DEFAULT_MONITOR_AFTER_LOAD_MS,
  DEFAULT_MONITOR_INTERVAL_MS,
  DEFAULT_PAIRS,
  DEFAULT_READY_TIMEOUT_MS,
  DEFAULT_REPETITIONS,
  DEFAULT_SUITE,
  DEFAULT_TOLERANCES,
  DEFAULT_VEGETA_TIMEOUT_MS,
  DEFAULT_WARMUP_MS,
} from './defaults.js';
import { formatPath, interpolate, type UnsetVariable } from './interpolate.js';
import { locate, toProblems, type SourceMap } from './problems.js';
import {
  configFileSchema,
  type BudgetsInput,
  type ConfigFile,
  type EndpointInput,
  type RegressionInput,
  type SuiteEntryInput,
} from './schema.js';
import { loadCatalog, type Catalog } from './shipped.js';
import type {
  Budgets,
  Config,
  Endpoint,
  HttpMethod,
  K6Entry,
  MonitorSettings,
  SuiteEntry,
  TargetSettings,
  Tolerances,
  VegetaEntry,
} from './types.js';

/** A value given outside the file (a CLI option or an action input) that replaces a key. */
export interface ConfigOverride {
  /** Key path in the file, such as ['scale'] or ['budgets', 'p95']. */
  path: (string | number)[];
  value: unknown;
  /** Name of the option or input the value came from, such as `--scale`; errors quote it. */
  label: string;
}

export interface LoadConfigOptions {
  /** The file to read; undefined builds the configuration from overrides alone. */
  file?: string;
  overrides?: ConfigOverride[];
  /** Variables for `${NAME}` references; defaults to process.env. */
  env?: Record<string, string | undefined>;
  /** Directory for relative paths when there is no file; defaults to the current directory. */
  cwd?: string;
}

/** Reads and resolves the configuration, or throws a ConfigError listing every problem. */
export function loadConfig(options: LoadConfigOptions): Config {
  const cwd = options.cwd ?? process.cwd();
  const file = options.file === undefined ? undefined : resolve(cwd, options.file);
  let text = '';
  if (file !== undefined) {
    if (!existsSync(file) || !statSync(file).isFile()) {
      throw new ConfigError(file, [
        {
          path: '(file)',
          message: `configuration file not found; create it or pass --config with its path`,
          received: file,
        },
      ]);
    }
    text = readFileSync(file, 'utf8');
  }
  return parseConfig(text, {
    source: file ?? 'the command line',
    fileName: file === undefined ? undefined : basename(file),
    baseDir: file === undefined ? cwd : dirname(file),
    overrides: options.overrides ?? [],
    env: options.env ?? process.env,
  });
}

interface ParseContext {
  source: string;
  fileName: string | undefined;
  baseDir: string;
  overrides: ConfigOverride[];
  env: Record<string, string | undefined>;
}

/** Validates and resolves configuration text; exported for tests. */
export function parseConfig(text: string, context: ParseContext): Config {
  const lines = new LineCounter();
  const document = parseDocument(text, {
    lineCounter: lines,
    prettyErrors: false,
    uniqueKeys: true,
  });
  const sourceMap: SourceMap | undefined = context.fileName
    ? { fileName: context.fileName, document, lines }
    : undefined;

  if (document.errors.length > 0) {
    throw new ConfigError(
      context.source,
      document.errors.map((error) => {
        const { line, col } = lines.linePos(error.pos[0]);
        return {
          path: '(YAML)',
          message: `${error.message.split('\n')[0] ?? error.message}; fix the YAML syntax`,
          location: context.fileName ? `${context.fileName}:${line}:${col}` : undefined,
        };
      }),
    );
  }

  const problems: ConfigProblem[] = [];
  let raw: unknown = document.toJS() ?? {};
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError(context.source, [
      {
        path: '(top level)',
        message: 'expected a mapping of keys such as target and suite',
        received: raw,
      },
    ]);
  }
  for (const override of context.overrides) raw = setIn(raw, override.path, override.value);
  const unset: UnsetVariable[] = [];
  raw = interpolate(raw, context.env, unset);
  for (const variable of unset) {
    problems.push({
      path: formatPath(variable.path),
      message: `variable ${variable.name} is not set; set it, or give a default as \${${variable.name}:-value}`,
      received: variable.text,
      location: sourceMap ? locate(sourceMap, variable.path) : undefined,
    });
  }

  const parsed = configFileSchema.safeParse(raw);
  if (!parsed.success) {
    // A value with an unset variable fails its format too, and its first problem explains why.
    const reported = new Set(problems.map((problem) => problem.path));
    problems.push(
      ...toProblems(parsed.error.issues, raw, configFileSchema, sourceMap).filter(
        (problem) => !reported.has(problem.path),
      ),
    );
  }
  if (problems.length > 0 || !parsed.success) {
    throw new ConfigError(context.source, relabel(problems, context.overrides));
  }

  const config = resolveConfig(parsed.data, raw, context, problems, sourceMap);
  if (problems.length > 0)
    throw new ConfigError(context.source, relabel(problems, context.overrides));
  return config;
}

function resolveConfig(
  file: ConfigFile,
  raw: unknown,
  context: ParseContext,
  problems: ConfigProblem[],
  sourceMap: SourceMap | undefined,
): Config {
  // Problems quote the value as written, which `received` overrides for derived values.
  const report = (path: (string | number)[], message: string, received?: unknown): void => {
    const problem: ConfigProblem = { path: formatPath(path), message };
    const written = received ?? valueAt(raw, path);
    if (written !== undefined) problem.received = written;
    const located = sourceMap ? locate(sourceMap, path) : undefined;
    if (located) problem.location = located;
    problems.push(problem);
  };

  const target = resolveTarget(file.target, ['target'], context, report);
  const url = target.url;

  const budgets = resolveBudgets(file.budgets, {});
  const tolerances = resolveTolerances(file.regression, DEFAULT_TOLERANCES);
  const endpoints = resolveEndpoints(file.endpoints, url, budgets, tolerances, report);

  const scale = file.scale ?? 1;
  const defaultWarmupMs = file.warmup ?? DEFAULT_WARMUP_MS;
  const catalog = loadCatalog();
  const entries: SuiteEntryInput[] = file.suite ?? DEFAULT_SUITE.map((entry) => ({ ...entry }));
  const suite = entries.map((entry, index) =>
    resolveSuiteEntry(entry, index, { catalog, context, scale, defaultWarmupMs, report }),
  );

  const names = new Map<string, number>();
  suite.forEach((entry, index) => {
    const first = names.get(entry.name);
    if (first !== undefined) {
      report(
        ['suite', index, 'name'],
        `duplicate scenario name, also used by suite[${first}]; give each entry a unique name`,
        entry.name,
      );
    } else {
      names.set(entry.name, index);
    }
  });

  return {
    source: context.source,
    baseDir: context.baseDir,
    target,
    endpoints,
    suite,
    scale,
    budgets,
    tolerances,
    onMissingBaseline: file.baseline?.missing ?? 'pass',
    repetitions: file.repetitions ?? DEFAULT_REPETITIONS,
    familyAlpha: file.regression?.['false-alarm-rate'] ?? DEFAULT_FAMILY_ALPHA,
    advisory: file.regression?.advisory ?? [...DEFAULT_ADVISORY],
    historyLength: file.baseline?.history ?? DEFAULT_HISTORY_LENGTH,
    monitor: resolveMonitor(file.monitor),
    ...(file.paired
      ? {
          paired: {
            pairs: file.paired.pairs ?? DEFAULT_PAIRS,
            maxPairs: Math.max(
              file.paired['max-pairs'] ?? DEFAULT_MAX_PAIRS,
              file.paired.pairs ?? DEFAULT_PAIRS,
            ),
            base: resolveTarget(file.paired.base, ['paired', 'base'], context, report),
          },
        }
      : {}),
  };
}

/** Monitoring settings with their defaults; `monitor: false` turns monitoring off. */
function resolveMonitor(input: ConfigFile['monitor']): MonitorSettings {
  const settings = typeof input === 'object' ? input : undefined;
  const budgets: MonitorSettings['budgets'] = {};
  if (settings?.budgets?.memory !== undefined) budgets.memoryBytes = settings.budgets.memory;
  if (settings?.budgets?.cpu !== undefined) budgets.cpuPercent = settings.budgets.cpu;
  return {
    enabled: input !== false,
    intervalMs: settings?.interval ?? DEFAULT_MONITOR_INTERVAL_MS,
    afterLoadMs: settings?.['after-load'] ?? DEFAULT_MONITOR_AFTER_LOAD_MS,
    budgets,
    logErrorPattern: settings?.['log-errors'] ?? DEFAULT_LOG_ERROR_PATTERN,
  };
}

type TargetInput = ConfigFile['target'];

/** Resolves a target: absolute compose paths that exist, the ready URL, defaults. */
function resolveTarget(
  input: TargetInput,
  at: (string | number)[],
  context: ParseContext,
  report: Report,
): TargetSettings {
  const url = input.url.replace(/\/+$/u, '');
  let readyUrl = url;
  const ready = input.ready;
  if (ready !== undefined) {
    if (ready.startsWith('/')) readyUrl = url + ready;
    else if (/^https?:\/\//u.test(ready)) readyUrl = ready;
    else report([...at, 'ready'], 'expected a path starting with / or an http(s) URL', ready);
  }
  const composeList = Array.isArray(input.compose) ? input.compose : [input.compose];
  const composeFiles = composeList.map((path, index) => {
    const absolute = resolve(context.baseDir, path);
    if (!existsSync(absolute)) {
      report(
        Array.isArray(input.compose) ? [...at, 'compose', index] : [...at, 'compose'],
        `compose file not found at ${absolute}; give a path relative to the configuration file`,
        path,
      );
    }
    return absolute;
  });
  const readyTimeoutMs = input['ready-timeout'] ?? DEFAULT_READY_TIMEOUT_MS;
  if (readyTimeoutMs <= 0)
    report([...at, 'ready-timeout'], 'expected a duration above zero, such as 120s');
  return {
    composeFiles,
    url,
    readyUrl,
    readyTimeoutMs,
    build: input.build ?? true,
    services: input.services ?? [],
    env: input.env ?? {},
  };
}

type Report = (path: (string | number)[], message: string, received?: unknown) => void;

function resolveEndpoints(
  inputs: EndpointInput[] | undefined,
  url: string,
  budgets: Budgets,
  tolerances: Tolerances,
  report: Report,
): Endpoint[] {
  const list: EndpointInput[] = inputs ?? [{ method: 'GET', path: new URL(url).pathname || '/' }];
  const seen = new Map<string, number>();
  return list.map((input, index) => {
    const method: HttpMethod = input.method ?? 'GET';
    const key =
      'name' in input && input.name !== undefined ? input.name : `${method} ${input.path}`;
    const first = seen.get(key);
    if (first !== undefined) {
      report(
        ['endpoints', index],
        `duplicate endpoint, same as endpoints[${first}]; give one of them a name`,
        key,
      );
    }
    seen.set(key, index);
    const endpoint: Endpoint = {
      key,
      method,
      path: input.path,
      headers: 'headers' in input && input.headers ? input.headers : {},
      budgets: resolveBudgets('budgets' in input ? input.budgets : undefined, budgets),
      tolerances: resolveTolerances(
        'regression' in input ? input.regression : undefined,
        tolerances,
      ),
    };
    if ('body' in input && input.body !== undefined) {
      endpoint.body = typeof input.body === 'string' ? input.body : JSON.stringify(input.body);
      if (typeof input.body !== 'string' && !hasHeader(endpoint.headers, 'content-type')) {
        endpoint.headers = { ...endpoint.headers, 'Content-Type': 'application/json' };
      }
    }
    return endpoint;
  });
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((key) => key.toLowerCase() === name);
}

function resolveBudgets(input: BudgetsInput | undefined, inherited: Budgets): Budgets {
  if (!input) return { ...inherited };
  const budgets: Budgets = { ...inherited };
  if (input.p50 !== undefined) budgets.p50Ms = input.p50;
  if (input.p90 !== undefined) budgets.p90Ms = input.p90;
  if (input.p95 !== undefined) budgets.p95Ms = input.p95;
  if (input.p99 !== undefined) budgets.p99Ms = input.p99;
  if (input.max !== undefined) budgets.maxMs = input.max;
  if (input['error-rate'] !== undefined) budgets.errorRatio = input['error-rate'];
  if (input.throughput !== undefined) budgets.throughputPerSecond = input.throughput.perSecond;
  return budgets;
}

function resolveTolerances(input: RegressionInput | undefined, inherited: Tolerances): Tolerances {
  const tolerances: Tolerances = { ...inherited };
  if (!input) return tolerances;
  // The schema has checked the signs, so only the size of each fraction matters here.
  const assign = (
    key: 'p50' | 'p90' | 'p95' | 'p99' | 'max' | 'errorRatioIncrease' | 'throughputDecrease',
    value: number | null | undefined,
  ) => {
    if (value !== undefined) tolerances[key] = value === null ? undefined : Math.abs(value);
  };
  assign('p50', input.p50);
  assign('p90', input.p90);
  assign('p95', input.p95);
  assign('p99', input.p99);
  assign('max', input.max);
  assign('errorRatioIncrease', input['error-rate']);
  assign('throughputDecrease', input.throughput);
  if (input['min-latency-change'] !== undefined)
    tolerances.minLatencyChangeMs = input['min-latency-change'];
  return tolerances;
}

interface EntryContext {
  catalog: Catalog;
  context: ParseContext;
  scale: number;
  defaultWarmupMs: number;
  report: Report;
}

function resolveSuiteEntry(entry: SuiteEntryInput, index: number, ctx: EntryContext): SuiteEntry {
  const warmupMs = (entry.warmup ?? ctx.defaultWarmupMs) * ctx.scale;
  if (entry.k6 !== undefined) return resolveK6(entry, index, warmupMs, ctx);
  return resolveVegeta(entry, index, warmupMs, ctx);
}

function resolveK6(
  entry: SuiteEntryInput,
  index: number,
  warmupMs: number,
  ctx: EntryContext,
): K6Entry {
  const spec = typeof entry.k6 === 'string' ? { script: entry.k6 } : (entry.k6 ?? { script: '' });
  const at =
    typeof entry.k6 === 'string' ? ['suite', index, 'k6'] : ['suite', index, 'k6', 'script'];
  const shipped = ctx.catalog.k6.get(spec.script);

  if (shipped) {
    const durationGiven = 'duration' in spec && spec.duration !== undefined;
    const rateGiven = 'rate' in spec && spec.rate !== undefined;
    if (shipped.stagesMs !== undefined && durationGiven) {
      ctx.report(
        ['suite', index, 'k6', 'duration'],
        `the shipped scenario ${shipped.name} ramps in stages, which set its length; shorten it with scale instead`,
      );
    }
    if (shipped.ratePerSecond === undefined && rateGiven) {
      ctx.report(
        ['suite', index, 'k6', 'rate'],
        `the shipped scenario ${shipped.name} runs virtual users, not an arrival rate; set vus instead`,
      );
    }
    const resolved: K6Entry = {
      tool: 'k6',
      name: entry.name ?? `k6 ${shipped.name}`,
      warmupMs,
      script: shipped.script,
      shipped: shipped.name,
      vus: 'vus' in spec && spec.vus !== undefined ? spec.vus : shipped.vus,
      env: 'env' in spec && spec.env ? spec.env : {},
    };
    const measuredMs =
      'duration' in spec && spec.duration !== undefined ? spec.duration : shipped.durationMs;
    if (shipped.stagesMs === undefined && measuredMs !== undefined)
      resolved.durationMs = measuredMs * ctx.scale;
    const ratePerSecond =
      'rate' in spec && spec.rate !== undefined ? spec.rate.perSecond : shipped.ratePerSecond;
    if (ratePerSecond !== undefined) resolved.ratePerSecond = ratePerSecond;
    return resolved;
  }

  if ('duration' in spec && spec.duration !== undefined && spec.duration <= 0) {
    ctx.report(['suite', index, 'k6', 'duration'], 'expected a duration above zero, such as 60s');
  }
  const script = resolve(ctx.context.baseDir, spec.script);
  if (!looksLikePath(spec.script)) {
    ctx.report(
      at,
      `unknown shipped scenario; expected one of ${[...ctx.catalog.k6.keys()].join(', ')}, or a path to a .js script`,
      spec.script,
    );
  } else if (!existsSync(script)) {
    ctx.report(
      at,
      `k6 script not found at ${script}; give a path relative to the configuration file`,
      spec.script,
    );
  }
  if ('rate' in spec && spec.rate !== undefined) {
    ctx.report(
      ['suite', index, 'k6', 'rate'],
      'rate applies to shipped scenarios only; set the arrival rate in your script',
    );
  }
  const result: K6Entry = {
    tool: 'k6',
    name: entry.name ?? `k6 ${basename(spec.script, extname(spec.script))}`,
    warmupMs,
    script,
    env: 'env' in spec && spec.env ? spec.env : {},
  };
  if ('vus' in spec && spec.vus !== undefined) result.vus = spec.vus;
  if ('duration' in spec && spec.duration !== undefined)
    result.durationMs = spec.duration * ctx.scale;
  return result;
}

function resolveVegeta(
  entry: SuiteEntryInput,
  index: number,
  warmupMs: number,
  ctx: EntryContext,
): VegetaEntry {
  const spec = typeof entry.vegeta === 'string' ? undefined : entry.vegeta;
  const text = typeof entry.vegeta === 'string' ? entry.vegeta : undefined;
  const profileName =
    text !== undefined && !looksLikePath(text) ? text : (spec?.profile ?? 'baseline');
  const profileAt =
    text !== undefined ? ['suite', index, 'vegeta'] : ['suite', index, 'vegeta', 'profile'];
  const profile = ctx.catalog.vegeta.get(profileName);
  if (!profile) {
    ctx.report(
      profileAt,
      `unknown shipped profile; expected one of ${[...ctx.catalog.vegeta.keys()].join(', ')}, or a path to a targets file`,
      profileName,
    );
  }

  const targetsText = text !== undefined && looksLikePath(text) ? text : spec?.targets;
  let targetsFile: string | undefined;
  if (targetsText !== undefined) {
    targetsFile = resolve(ctx.context.baseDir, targetsText);
    if (!existsSync(targetsFile)) {
      const at =
        text !== undefined ? ['suite', index, 'vegeta'] : ['suite', index, 'vegeta', 'targets'];
      ctx.report(
        at,
        `targets file not found at ${targetsFile}; give a path relative to the configuration file`,
        targetsText,
      );
    }
  }

  const rate = spec?.rate;
  const defaultName =
    targetsText !== undefined
      ? `vegeta ${basename(targetsText, extname(targetsText))}`
      : `vegeta ${profileName}`;
  if (spec?.duration !== undefined && spec.duration <= 0) {
    ctx.report(
      ['suite', index, 'vegeta', 'duration'],
      'expected a duration above zero, such as 60s',
    );
  }
  const result: VegetaEntry = {
    tool: 'vegeta',
    name: entry.name ?? defaultName,
    warmupMs,
    profile: profile?.name,
    targetsFormat:
      spec?.format ?? (targetsFile && extname(targetsFile) === '.json' ? 'json' : 'http'),
    ratePerSecond: rate?.perSecond ?? profile?.ratePerSecond ?? 0,
    rateText: rate?.vegeta ?? profile?.rateText ?? '',
    durationMs: (spec?.duration ?? profile?.durationMs ?? 0) * ctx.scale,
    timeoutMs: spec?.timeout ?? profile?.timeoutMs ?? DEFAULT_VEGETA_TIMEOUT_MS,
    headers: spec?.headers ?? {},
  };
  if (targetsFile !== undefined) result.targetsFile = targetsFile;
  if (profile?.phases) {
    if (rate !== undefined || spec?.duration !== undefined) {
      ctx.report(
        ['suite', index, 'vegeta', rate !== undefined ? 'rate' : 'duration'],
        `the shipped profile ${profile.name} alternates rates in phases, which set its rate and length; shorten it with scale instead`,
      );
    }
    result.phases = profile.phases.map((phase) => ({
      ...phase,
      durationMs: phase.durationMs * ctx.scale,
    }));
    result.durationMs = result.phases.reduce((sum, phase) => sum + phase.durationMs, 0);
    // The mean over the whole attack, whose warm-up runs at the first phase's rate.
    const requests = result.phases.reduce(
      (sum, phase) => sum + phase.ratePerSecond * phase.durationMs,
      (result.phases[0]?.ratePerSecond ?? 0) * warmupMs,
    );
    result.ratePerSecond = requests / (result.durationMs + warmupMs);
  }
  if (spec?.workers !== undefined) result.workers = spec.workers;
  if (spec?.['max-workers'] !== undefined) result.maxWorkers = spec['max-workers'];
  if (spec?.connections !== undefined) result.connections = spec.connections;
  return result;
}

/** Tells whether a suite value names a file: it has a path separator or a file extension. */
function looksLikePath(text: string): boolean {
  return text.includes('/') || text.includes('\\') || extname(text) !== '';
}

function valueAt(value: unknown, path: (string | number)[]): unknown {
  let current = value;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}

function setIn(target: unknown, path: (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  const container: Record<string | number, unknown> =
    target !== null && typeof target === 'object'
      ? ((Array.isArray(target)
          ? [...(target as unknown[])]
          : { ...(target as Record<string, unknown>) }) as Record<string | number, unknown>)
      : typeof head === 'number'
        ? ([] as unknown as Record<number, unknown>)
        : {};
  container[head as string | number] = setIn(container[head as string | number], rest, value);
  return container;
}

function relabel(problems: ConfigProblem[], overrides: ConfigOverride[]): ConfigProblem[] {
  return problems.map((problem) => {
    const override = overrides.find((candidate) => {
      const path = formatPath(candidate.path);
      return (
        problem.path === path ||
        problem.path.startsWith(`${path}.`) ||
        problem.path.startsWith(`${path}[`)
      );
    });
    if (!override) return problem;
    return { ...problem, path: override.label, location: undefined };
  });
}
