/**
 * Reads and writes result files. Reading validates the whole document, so a corrupt or foreign
 * file fails with a message that names the file and the first bad field instead of a crash deep
 * in the comparison.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

import { z } from 'zod';

import { ResultFileError } from '../errors.js';
import { RESULT_SCHEMA_VERSION, type RunResult } from './types.js';

const count = z.number().int().nonnegative();
const figure = z.number();

const latencySchema = z.object({
  minMs: figure.optional(),
  meanMs: figure.optional(),
  p50Ms: figure.optional(),
  p90Ms: figure.optional(),
  p95Ms: figure.optional(),
  p99Ms: figure.optional(),
  maxMs: figure.optional(),
});

const endpointSchema = z.object({
  key: z.string(),
  method: z.string().optional(),
  requests: count,
  failures: count,
  errorRatio: z.number().min(0).max(1).optional(),
  throughputPerSecond: figure.nonnegative().optional(),
  statusCodes: z.record(z.string(), count),
  errors: z.record(z.string(), count),
  latency: latencySchema,
  histogram: z.string().optional(),
  runs: z
    .array(
      z.object({
        requests: count,
        failures: count,
        p50Ms: figure.optional(),
        p90Ms: figure.optional(),
        p95Ms: figure.optional(),
        p99Ms: figure.optional(),
        maxMs: figure.optional(),
        throughputPerSecond: figure.nonnegative().optional(),
      }),
    )
    .optional(),
});

const optionalFigure = figure.nullable();

const resourcesSchema = z.object({
  name: z.string(),
  service: z.string(),
  samples: count,
  cpuMeanPercent: figure.optional(),
  cpuMaxPercent: figure.optional(),
  memoryMeanBytes: figure.optional(),
  memoryMaxBytes: figure.optional(),
  memoryStartBytes: figure.optional(),
  memoryEndBytes: figure.optional(),
  fdsMax: count.optional(),
  establishedMax: count.optional(),
  timeWaitMax: count.optional(),
  closeWaitMax: count.optional(),
  closeWaitAtStart: count.optional(),
  closeWaitAtLoadEnd: count.optional(),
  closeWaitAfterLoad: count.optional(),
  oomKills: count,
  restarts: z.number().int(),
  logErrors: count.optional(),
  notes: z.array(z.string()),
  timeline: z.array(z.tuple([figure, optionalFigure, optionalFigure, optionalFigure])),
});

const findingSchema = z.object({
  kind: z.enum(['connection-leak', 'memory-growth', 'restart', 'oom-kill', 'log-errors', 'exited']),
  container: z.string(),
  message: z.string(),
  examples: z.array(z.string()).optional(),
});

const scenarioSchema = z.object({
  name: z.string(),
  tool: z.enum(['k6', 'vegeta']),
  origin: z.enum(['run', 'import']),
  startedAt: z.string().optional(),
  warmupSeconds: figure.nonnegative(),
  measuredSeconds: figure.nonnegative(),
  settings: z.record(z.string(), z.union([z.string(), z.number()])),
  total: endpointSchema,
  endpoints: z.array(endpointSchema),
  warmup: z.object({ requests: count, failures: count, noResponse: count.optional() }),
  requestedRatePerSecond: figure.nonnegative().optional(),
  achievedRatePerSecond: figure.nonnegative().optional(),
  runs: count.optional(),
  droppedIterations: count.optional(),
  thresholdsFailed: z.array(z.string()),
  crossChecks: z.array(
    z.object({
      metric: z.string(),
      ours: figure,
      tool: figure,
      status: z.enum(['match', 'mismatch']),
    }),
  ),
  notes: z.array(z.string()),
  resources: z.array(resourcesSchema).optional(),
  findings: z.array(findingSchema).optional(),
  timeline: z.array(z.tuple([figure, count, optionalFigure, optionalFigure])).optional(),
});

const runResultSchema = z.object({
  schemaVersion: z.literal(RESULT_SCHEMA_VERSION),
  perfGateVersion: z.string(),
  createdAt: z.string(),
  source: z.object({
    commit: z.string().optional(),
    ref: z.string().optional(),
    repository: z.string().optional(),
    runUrl: z.string().optional(),
    file: z.string().optional(),
  }),
  tools: z.record(z.string(), z.string()),
  environment: z
    .object({
      os: z.string(),
      kernel: z.string(),
      cpuModel: z.string(),
      cpuCount: count,
      memoryBytes: count,
      node: z.string(),
    })
    .optional(),
  design: z
    .object({
      kind: z.enum(['single', 'repeated', 'paired']),
      runs: count,
      role: z.enum(['base', 'head']).optional(),
      order: z.array(z.string()).optional(),
    })
    .optional(),
  scenarios: z.array(scenarioSchema),
});

/** Tells whether a parsed JSON document looks like a perf-gate result of any version. */
export function isResultDocument(document: unknown): boolean {
  return (
    document !== null &&
    typeof document === 'object' &&
    'schemaVersion' in document &&
    'scenarios' in document
  );
}

/** Validates a parsed document as a result; `source` names it in errors. */
export function parseResult(document: unknown, source: string): RunResult {
  if (!isResultDocument(document)) {
    throw new ResultFileError(
      `${source} is not a perf-gate result file (no schemaVersion and scenarios).`,
      {
        remedy:
          'Pass a result.json written by perf-gate run, or a baseline saved with --save-baseline.',
      },
    );
  }
  const version = (document as { schemaVersion: unknown }).schemaVersion;
  if (version !== RESULT_SCHEMA_VERSION) {
    throw new ResultFileError(
      `${source} has result schema version ${JSON.stringify(version)}; this perf-gate reads version ${RESULT_SCHEMA_VERSION}.`,
      {
        remedy:
          'Record the baseline again with this version of perf-gate (perf-gate run --save-baseline DIR).',
      },
    );
  }
  const parsed = runResultSchema.safeParse(document);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path =
      issue?.path
        .map((segment) => (typeof segment === 'number' ? `[${segment}]` : `.${String(segment)}`))
        .join('') ?? '';
    throw new ResultFileError(
      `${source} is corrupt: ${path.replace(/^\./u, '') || '(top level)'}: ${issue?.message ?? 'invalid'}.`,
      {
        remedy: 'Record the baseline again (perf-gate run --save-baseline DIR).',
      },
    );
  }
  return parsed.data;
}

/** Reads and validates a result file. */
export async function readResultFile(path: string): Promise<RunResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ResultFileError(`Cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new ResultFileError(`${path} is not valid JSON: ${(error as Error).message}.`, {
      cause: error,
      remedy:
        'The file may be truncated; record the baseline again (perf-gate run --save-baseline DIR).',
    });
  }
  return parseResult(document, path);
}

/** Writes a result file, creating its folder. */
export async function writeResultFile(path: string, result: RunResult): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(result, null, 2)}\n`);
}
