/**
 * Reads an output produced elsewhere into a RunResult, for `perf-gate compare`: a perf-gate
 * result or baseline, k6's JSON output or summary, vegeta's results (binary or JSON lines) or JSON
 * report. The format is recognised from the content, not the file name.
 */
import { stat } from 'node:fs/promises';
import { basename, join } from 'node:path';

import { PERF_GATE_VERSION } from '../constants.js';
import { IngestError } from '../errors.js';
import { BASELINE_FILE } from '../baseline/local-store.js';
import { parseResult, isResultDocument } from '../result/result-file.js';
import { RESULT_SCHEMA_VERSION, type RunResult, type ScenarioResult } from '../result/types.js';
import type { EndpointNamer } from './endpoint-names.js';
import { ingestK6, ingestVegeta, scenarioFromSummary } from './ingest-scenario.js';
import { openDataStream, readHead } from './open-file.js';
import { detectSummaryFormat, parseToolSummary } from './tool-summary.js';

export interface ImportOptions {
  namer: EndpointNamer;
  /** Warm-up excluded from raw per-request outputs; summaries cannot exclude one. */
  warmupMs: number;
}

/** The kinds of input `compare` reads. */
export type InputFormat =
  | 'perf-gate-result'
  | 'k6-json-output'
  | 'k6-summary'
  | 'vegeta-results-json'
  | 'vegeta-results-binary'
  | 'vegeta-report'
  | 'vegeta-report-map';

/** Reads `path` (a file, or a folder holding a saved baseline) into a RunResult. */
export async function importRun(path: string, options: ImportOptions): Promise<RunResult> {
  const file = await resolveInputFile(path);
  const format = await detectInputFormat(file);
  const common = { origin: 'import' as const, warmupMs: options.warmupMs, namer: options.namer };
  switch (format) {
    case 'perf-gate-result':
      return parseResult(await readJson(file), file);
    case 'k6-json-output':
      return wrap(file, [await ingestK6({ ...common, name: 'k6', jsonOutput: file })]);
    case 'vegeta-results-json':
    case 'vegeta-results-binary':
      return wrap(file, [
        await ingestVegeta({
          ...common,
          name: 'vegeta',
          results: await openDataStream(file),
          format: format === 'vegeta-results-binary' ? 'binary' : 'json',
          resultsSource: file,
        }),
      ]);
    case 'k6-summary':
    case 'vegeta-report': {
      const summary = parseToolSummary(await readJson(file), file);
      return wrap(file, [scenarioFromSummary(summary, summary.tool)], summary.toolVersion);
    }
    case 'vegeta-report-map': {
      const document = (await readJson(file)) as { metrics: Record<string, unknown> };
      const scenarios = Object.entries(document.metrics).map(([name, report]) =>
        scenarioFromSummary(
          parseToolSummary(report, `${file} (metrics.${name})`),
          `vegeta ${name}`,
        ),
      );
      return wrap(file, scenarios);
    }
  }
}

async function resolveInputFile(path: string): Promise<string> {
  const info = await stat(path).catch((error: unknown) => {
    throw new IngestError(`Cannot read ${path}: ${(error as Error).message}`, { cause: error });
  });
  if (!info.isDirectory()) return path;
  for (const name of [BASELINE_FILE, 'result.json']) {
    const candidate = join(path, name);
    if (await stat(candidate).catch(() => undefined)) return candidate;
  }
  throw new IngestError(`${path} is a folder without ${BASELINE_FILE} or result.json.`, {
    remedy: 'Pass a result file, a baseline folder, or a k6 or vegeta output file.',
  });
}

/** Recognises the format of `file` from its first bytes. */
export async function detectInputFormat(file: string): Promise<InputFormat> {
  const head = await readHead(file);
  if (head.trim() === '')
    throw unsupported(
      file,
      'empty',
      'Pass a file that the tool wrote completely; the run may have failed before any output.',
    );
  const firstLine =
    head
      .replace(/^\uFEFF/u, '')
      .split('\n', 1)[0]
      ?.trim() ?? '';
  if (firstLine.startsWith('{')) {
    const line = tryParse(firstLine);
    if (line && typeof line === 'object') {
      const record = line as Record<string, unknown>;
      if ((record.type === 'Metric' || record.type === 'Point') && 'data' in record)
        return 'k6-json-output';
      if ('latency' in record && 'code' in record && 'timestamp' in record)
        return 'vegeta-results-json';
    }
    const document = await readJson(file);
    if (isResultDocument(document)) return 'perf-gate-result';
    const summary = detectSummaryFormat(document);
    if (summary === 'vegeta-report') return 'vegeta-report';
    if (summary !== undefined) return 'k6-summary';
    if (isReportMap(document)) return 'vegeta-report-map';
    throw unsupported(file, 'a JSON document of no known shape');
  }
  if (firstLine.startsWith('metric_name,timestamp,metric_value')) {
    throw unsupported(
      file,
      "k6's CSV output",
      'Run k6 with --out json=FILE instead, or pass its --summary-export file.',
    );
  }
  if (/^Requests\s+\[total/u.test(firstLine) || head.includes('\u001b[2J')) {
    throw unsupported(
      file,
      "vegeta's text report, whose rounded values cannot be compared",
      'Pass the results file, or vegeta report -type=json output.',
    );
  }
  if (looksBinary(head)) return 'vegeta-results-binary';
  throw unsupported(file, 'text of no known format');
}

/** vegeta's default results format is gob, a binary encoding full of control bytes. */
function looksBinary(head: string): boolean {
  for (const character of head.slice(0, 256)) {
    const code = character.charCodeAt(0);
    if (code < 0x09 || (code > 0x0d && code < 0x20)) return true;
  }
  return false;
}

function isReportMap(document: unknown): boolean {
  if (document === null || typeof document !== 'object' || !('metrics' in document)) return false;
  const metrics = document.metrics;
  if (metrics === null || typeof metrics !== 'object') return false;
  const values = Object.values(metrics);
  return (
    values.length > 0 && values.every((value) => detectSummaryFormat(value) === 'vegeta-report')
  );
}

function unsupported(file: string, what: string, remedy?: string): IngestError {
  return new IngestError(`${file} is ${what}; perf-gate compare cannot read it.`, {
    remedy:
      remedy ??
      'Pass a perf-gate result, k6 --out json or --summary-export output, vegeta results (binary or vegeta encode --to json) or vegeta report -type=json output.',
  });
}

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

async function readJson(file: string): Promise<unknown> {
  const stream = await openDataStream(file);
  const chunks: Buffer[] = [];
  // The stream may reuse its buffer between chunks, so each one is copied.
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  const text = Buffer.concat(chunks)
    .toString('utf8')
    .replace(/^\uFEFF/u, '');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new IngestError(`${file} is not valid JSON: ${(error as Error).message}.`, {
      cause: error,
    });
  }
}

async function wrap(
  file: string,
  scenarios: ScenarioResult[],
  toolVersion?: string,
): Promise<RunResult> {
  const info = await stat(file);
  const tools: Record<string, string> = {};
  for (const scenario of scenarios) tools[scenario.tool] = toolVersion ?? 'unknown';
  return {
    schemaVersion: RESULT_SCHEMA_VERSION,
    perfGateVersion: PERF_GATE_VERSION,
    createdAt: scenarios[0]?.startedAt ?? info.mtime.toISOString(),
    source: { file: basename(file) },
    tools,
    scenarios,
  };
}

/** The formats `compare` reads, for the CLI's help text. */
export const READABLE_FORMATS = [
  'a perf-gate result or baseline (result.json, perf-gate-baseline.json, or its folder)',
  'k6 --out json=FILE output, plain or gzip-compressed',
  'k6 --summary-export output, handleSummary data, or the machine-readable summary',
  'vegeta attack -output results (binary)',
  'vegeta encode --to json results',
  'vegeta report -type=json output',
];
