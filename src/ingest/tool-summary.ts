/**
 * Reads the tools' own end-of-test summaries: k6's `--summary-export` file (and the other two JSON
 * shapes k6 writes), and vegeta's `report -type=json`. They serve as the cross-check of our own
 * figures, and as input for `perf-gate compare` when only a summary exists.
 */
import { IngestError } from '../errors.js';
import type { LatencySummary } from '../result/types.js';

/** The figures a tool's summary provides; a missing field means the summary did not have it. */
export interface ToolSummary {
  tool: 'k6' | 'vegeta';
  /** Which JSON shape the summary was in. */
  format: 'k6-summary-export' | 'k6-handle-summary' | 'k6-machine-readable' | 'vegeta-report';
  requests?: number;
  failures?: number;
  durationSeconds?: number;
  latency: LatencySummary;
  statusCodes?: Record<string, number>;
  /** Distinct error messages (vegeta lists them without counts). */
  errorMessages?: string[];
  droppedIterations?: number;
  /** Threshold expressions that failed, as `metric: expression`. */
  thresholdsFailed: string[];
  /** Version of the tool, when the summary records it. */
  toolVersion?: string;
  /** Wall-clock start of the run, ISO 8601, when the summary records it. */
  startedAt?: string;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function numberAt(object: unknown, key: string): number | undefined {
  if (!isObject(object)) return undefined;
  const value = object[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** Tells which summary shape a parsed JSON document is, if any. */
export function detectSummaryFormat(document: unknown): ToolSummary['format'] | undefined {
  if (!isObject(document)) return undefined;
  if (
    typeof document.version === 'string' &&
    isObject(document.results) &&
    Array.isArray(document.results.metrics)
  ) {
    return 'k6-machine-readable';
  }
  if (isObject(document.metrics) && 'root_group' in document) {
    const first = Object.values(document.metrics)[0];
    return isObject(first) && isObject(first.values) ? 'k6-handle-summary' : 'k6-summary-export';
  }
  if (isObject(document.latencies) && 'requests' in document && 'status_codes' in document) {
    return 'vegeta-report';
  }
  return undefined;
}

/** Parses any supported summary; `source` names the input in errors. */
export function parseToolSummary(document: unknown, source: string): ToolSummary {
  const format = detectSummaryFormat(document);
  switch (format) {
    case 'k6-summary-export':
    case 'k6-handle-summary':
      return parseK6Legacy(document as Json, format);
    case 'k6-machine-readable':
      return parseK6MachineReadable(document as Json);
    case 'vegeta-report':
      return parseVegetaReport(document as Json);
    case undefined:
      throw new IngestError(`${source} is not a k6 summary or a vegeta JSON report.`, {
        remedy:
          'Pass k6 --summary-export output, k6 --out json output, vegeta report -type=json output, or vegeta results.',
      });
  }
}

/**
 * k6's `--summary-export` file and the `handleSummary` data object share one layout of metrics;
 * they differ in where values sit (flat, or under `values`), in the key of a rate (`value` or
 * `rate`) and in the meaning of threshold booleans (`true` = failed, or `{ok: false}` = failed).
 */
function parseK6Legacy(
  document: Json,
  format: 'k6-summary-export' | 'k6-handle-summary',
): ToolSummary {
  const metrics = document.metrics as Json;
  const valuesOf = (name: string): Json | undefined => {
    const metric = metrics[name];
    if (!isObject(metric)) return undefined;
    return format === 'k6-handle-summary'
      ? isObject(metric.values)
        ? metric.values
        : undefined
      : metric;
  };

  const reqs = valuesOf('http_reqs');
  const duration = valuesOf('http_req_duration');
  const failed = valuesOf('http_req_failed');
  const dropped = valuesOf('dropped_iterations');
  const summary: ToolSummary = {
    tool: 'k6',
    format,
    latency: trendToLatency(duration),
    thresholdsFailed: [],
  };

  const requests = numberAt(reqs, 'count');
  if (requests !== undefined) summary.requests = requests;
  // http_req_failed is a rate whose "passes" are the failed requests.
  const failures = numberAt(failed, 'passes');
  if (failures !== undefined) summary.failures = failures;
  const testRunMs = isObject(document.state)
    ? numberAt(document.state, 'testRunDurationMs')
    : undefined;
  const rate = numberAt(reqs, 'rate');
  if (testRunMs !== undefined) summary.durationSeconds = testRunMs / 1000;
  else if (requests !== undefined && rate !== undefined && rate > 0)
    summary.durationSeconds = requests / rate;
  const droppedCount = numberAt(dropped, 'count');
  if (droppedCount !== undefined) summary.droppedIterations = droppedCount;

  for (const [name, metric] of Object.entries(metrics)) {
    if (!isObject(metric) || !isObject(metric.thresholds)) continue;
    for (const [expression, state] of Object.entries(metric.thresholds)) {
      const crossed =
        format === 'k6-handle-summary' ? isObject(state) && state.ok === false : state === true;
      if (crossed) summary.thresholdsFailed.push(`${name}: ${expression}`);
    }
  }
  return summary;
}

function trendToLatency(values: Json | undefined): LatencySummary {
  const latency: LatencySummary = {};
  const pairs: [keyof LatencySummary, string[]][] = [
    ['minMs', ['min']],
    ['meanMs', ['avg']],
    ['p50Ms', ['med', 'p(50)']],
    ['p90Ms', ['p(90)', 'p90']],
    ['p95Ms', ['p(95)', 'p95']],
    ['p99Ms', ['p(99)', 'p99']],
    ['maxMs', ['max']],
  ];
  for (const [field, keys] of pairs) {
    for (const key of keys) {
      const value = numberAt(values, key);
      if (value !== undefined) {
        latency[field] = value;
        break;
      }
    }
  }
  return latency;
}

/** k6's opt-in machine-readable summary (schema 1.0.0): metrics as an array, duration in seconds. */
function parseK6MachineReadable(document: Json): ToolSummary {
  const results = document.results as Json;
  const metrics = (results.metrics as unknown[]).filter(isObject);
  const byName = (name: string): Json | undefined => {
    const metric = metrics.find((candidate) => candidate.name === name);
    return metric && isObject(metric.values) ? metric.values : undefined;
  };
  const summary: ToolSummary = {
    tool: 'k6',
    format: 'k6-machine-readable',
    latency: trendToLatency(byName('http_req_duration')),
    thresholdsFailed: [],
  };
  const requests = numberAt(byName('http_reqs'), 'count');
  if (requests !== undefined) summary.requests = requests;
  // In this schema a rate's "matches" are the true samples: failed requests for http_req_failed.
  const failures = numberAt(byName('http_req_failed'), 'matches');
  if (failures !== undefined) summary.failures = failures;
  const durationSeconds = numberAt(document.config, 'duration');
  if (durationSeconds !== undefined) summary.durationSeconds = durationSeconds;
  const dropped = numberAt(byName('dropped_iterations'), 'count');
  if (dropped !== undefined) summary.droppedIterations = dropped;
  const metadata = document.metadata;
  if (isObject(metadata)) {
    const version = metadata.k6_version ?? metadata.k6Version;
    if (typeof version === 'string') summary.toolVersion = version;
  }
  return summary;
}

/** vegeta's JSON report: latencies in nanoseconds; `90th` and `min` exist only from v12.8.0. */
function parseVegetaReport(document: Json): ToolSummary {
  const latencies = document.latencies as Json;
  const ms = (key: string): number | undefined => {
    const value = numberAt(latencies, key);
    return value === undefined ? undefined : value / 1e6;
  };
  const requests = numberAt(document, 'requests') ?? 0;
  const summary: ToolSummary = {
    tool: 'vegeta',
    format: 'vegeta-report',
    latency: {},
    thresholdsFailed: [],
  };
  summary.requests = requests;
  // A report of zero requests has all-zero latencies, which mean "no data", not "0 ms".
  if (requests > 0) {
    const fields: [keyof LatencySummary, string][] = [
      ['minMs', 'min'],
      ['meanMs', 'mean'],
      ['p50Ms', '50th'],
      ['p90Ms', '90th'],
      ['p95Ms', '95th'],
      ['p99Ms', '99th'],
      ['maxMs', 'max'],
    ];
    for (const [field, key] of fields) {
      const value = ms(key);
      if (value !== undefined) summary.latency[field] = value;
    }
  }
  const statusCodes: Record<string, number> = {};
  if (isObject(document.status_codes)) {
    for (const [code, count] of Object.entries(document.status_codes)) {
      if (typeof count === 'number') statusCodes[code] = count;
    }
  }
  summary.statusCodes = statusCodes;
  summary.failures = Object.entries(statusCodes)
    .filter(([code]) => Number(code) < 200 || Number(code) >= 400)
    .reduce((sum, [, count]) => sum + count, 0);
  const durationNs = numberAt(document, 'duration');
  if (durationNs !== undefined && requests > 0) summary.durationSeconds = durationNs / 1e9;
  if (Array.isArray(document.errors)) {
    summary.errorMessages = document.errors.filter(
      (item): item is string => typeof item === 'string',
    );
  }
  if (typeof document.earliest === 'string' && requests > 0) summary.startedAt = document.earliest;
  return summary;
}
