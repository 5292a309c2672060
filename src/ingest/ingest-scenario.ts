/**
 * Builds one scenario's result from a tool's raw per-request output, cross-checked against the
 * tool's own summary of the same run when there is one.
 */
import { readFile } from 'node:fs/promises';

import { IngestError } from '../errors.js';
import type { ScenarioResult } from '../result/types.js';
import { ScenarioAccumulator } from './accumulator.js';
import { crossCheck } from './cross-check.js';
import type { EndpointNamer } from './endpoint-names.js';
import { ingestK6JsonOutput } from './k6-json-output.js';
import { openDataStream } from './open-file.js';
import { parseToolSummary, type ToolSummary } from './tool-summary.js';
import { ingestVegetaBinary } from './vegeta-binary.js';
import { ingestVegetaResults } from './vegeta-results.js';

export interface IngestOptions {
  name: string;
  origin: 'run' | 'import';
  warmupMs: number;
  namer: EndpointNamer;
  settings?: Record<string, string | number>;
  /** The arrival rate the tool was asked for, to check that it kept up. */
  requestedRatePerSecond?: number;
}

/** Reads k6's `--out json` file, and its `--summary-export` file when given. */
export async function ingestK6(
  options: IngestOptions & { jsonOutput: string; summaryFile?: string },
): Promise<ScenarioResult> {
  const accumulator = newAccumulator(options, 'k6');
  await ingestK6JsonOutput(
    await openDataStream(options.jsonOutput),
    accumulator,
    options.namer,
    options.jsonOutput,
  );
  const summary = options.summaryFile ? await readSummary(options.summaryFile) : undefined;
  return finish(accumulator, summary, options.summaryFile ?? '', options);
}

/**
 * Reads vegeta results: the binary file `vegeta attack` writes, or JSON lines from
 * `vegeta encode --to json`.
 */
export async function ingestVegeta(
  options: IngestOptions & {
    results: AsyncIterable<Buffer | string>;
    format: 'binary' | 'json';
    resultsSource: string;
    reportFile?: string;
  },
): Promise<ScenarioResult> {
  const accumulator = newAccumulator(options, 'vegeta');
  const read = options.format === 'binary' ? ingestVegetaBinary : ingestVegetaResults;
  await read(options.results, accumulator, options.namer, options.resultsSource);
  const summary = options.reportFile ? await readSummary(options.reportFile) : undefined;
  return finish(accumulator, summary, options.reportFile ?? '', options);
}

/** Reads and parses a tool summary file. */
export async function readSummary(path: string): Promise<ToolSummary> {
  let document: unknown;
  try {
    document = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new IngestError(`Cannot read the summary ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return parseToolSummary(document, path);
}

function newAccumulator(options: IngestOptions, tool: 'k6' | 'vegeta'): ScenarioAccumulator {
  return new ScenarioAccumulator({
    name: options.name,
    tool,
    origin: options.origin,
    warmupMs: options.warmupMs,
    settings: options.settings ?? {},
  });
}

function finish(
  accumulator: ScenarioAccumulator,
  summary: ToolSummary | undefined,
  summarySource: string,
  options: IngestOptions,
): ScenarioResult {
  const scenario = accumulator.close();
  const checks = summary ? crossCheck(accumulator.allSamples(), summary, summarySource) : [];
  const result: ScenarioResult = {
    ...scenario,
    crossChecks: checks,
    thresholdsFailed: summary?.thresholdsFailed ?? [],
  };
  if (
    summary?.requests !== undefined &&
    summary.durationSeconds !== undefined &&
    summary.durationSeconds > 0
  ) {
    result.achievedRatePerSecond = summary.requests / summary.durationSeconds;
  }
  if (options.requestedRatePerSecond !== undefined)
    result.requestedRatePerSecond = options.requestedRatePerSecond;
  return result;
}

/**
 * Builds a scenario from a summary alone, for `compare` on outputs produced elsewhere. A summary
 * has no per-request data, so there is one entry for all endpoints and no warm-up split.
 */
export function scenarioFromSummary(summary: ToolSummary, name: string): ScenarioResult {
  const requests = summary.requests ?? 0;
  const failures = summary.failures ?? 0;
  const total: ScenarioResult['total'] = {
    key: '(all endpoints)',
    requests,
    failures,
    statusCodes: summary.statusCodes ?? {},
    errors: {},
    latency: summary.latency,
  };
  if (requests > 0) total.errorRatio = failures / requests;
  if (summary.durationSeconds !== undefined && summary.durationSeconds > 0) {
    total.throughputPerSecond = requests / summary.durationSeconds;
  }
  const scenario: ScenarioResult = {
    name,
    tool: summary.tool,
    origin: 'import',
    warmupSeconds: 0,
    measuredSeconds: summary.durationSeconds ?? 0,
    settings: { source: summary.format },
    total,
    endpoints: [{ ...total }],
    warmup: { requests: 0, failures: 0 },
    thresholdsFailed: summary.thresholdsFailed,
    crossChecks: [],
    notes: [
      `Read from a ${summary.format} summary: figures cover all endpoints together, and a warm-up cannot be excluded.`,
    ],
  };
  if (summary.startedAt !== undefined) scenario.startedAt = summary.startedAt;
  if (summary.droppedIterations !== undefined)
    scenario.droppedIterations = summary.droppedIterations;
  const messages = summary.errorMessages ?? [];
  if (messages.length > 0) {
    const listed = messages
      .slice(0, 5)
      .map((message) => `"${message}"`)
      .join(', ');
    const more = messages.length > 5 ? ` and ${messages.length - 5} more` : '';
    scenario.notes.push(`Distinct errors (the summary does not count them): ${listed}${more}.`);
  }
  return scenario;
}
