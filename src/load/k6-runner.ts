/**
 * Runs one k6 suite entry and ingests its per-request output.
 */
import { createWriteStream } from 'node:fs';
import { dirname, join, relative } from 'node:path';

import { formatDuration } from '../config/units.js';
import type { Config, K6Entry } from '../config/types.js';
import { IngestError, ToolError } from '../errors.js';
import { ingestK6 } from '../ingest/ingest-scenario.js';
import { lastLines, runCommand } from '../process/command.js';
import type { ScenarioResult } from '../result/types.js';
import type { LoadContext } from './load-context.js';

/** k6 exits with 99 when thresholds were crossed: the run completed and its data is complete. */
const THRESHOLDS_CROSSED = 99;

/** Meanings of k6's other exit codes (k6 errext/exitcodes), for error messages. */
const K6_EXIT_CODES: Record<number, string> = {
  97: 'the cloud test was aborted',
  98: 'the run was interrupted',
  100: 'the run timed out while setting up',
  101: 'the script threw an exception',
  103: 'the test was aborted by the script',
  104: 'the configuration is invalid',
  105: 'an external service failed',
  107: 'the script was aborted (test.abort())',
  108: 'the script has an error',
};

/** Runs k6 for `entry` against the target and returns the scenario's result. */
export async function runK6(
  entry: K6Entry,
  config: Config,
  context: LoadContext,
): Promise<ScenarioResult> {
  const base = join(context.rawDir, context.fileStem);
  const jsonOutput = `${base}.k6.ndjson`;
  const summaryFile = `${base}.k6-summary.json`;
  const logFile = `${base}.k6.log`;
  const totalMs = entry.durationMs === undefined ? undefined : entry.warmupMs + entry.durationMs;

  const env: Record<string, string> = {
    PERF_GATE_BASE_URL: context.baseUrl,
    PERF_GATE_ENDPOINTS: JSON.stringify(
      config.endpoints.map((endpoint) => ({
        name: endpoint.key,
        method: endpoint.method,
        path: endpoint.path,
        headers: endpoint.headers,
        ...(endpoint.body === undefined ? {} : { body: endpoint.body }),
      })),
    ),
    PERF_GATE_SCALE: String(config.scale),
    ...entry.env,
  };
  const args = [
    'run',
    '--no-color',
    '--quiet',
    '--no-usage-report',
    '--out',
    `json=${jsonOutput}`,
    '--summary-export',
    summaryFile,
    '--summary-trend-stats',
    'avg,min,med,max,p(90),p(95),p(99)',
  ];
  if (entry.shipped) {
    env.PERF_GATE_RATE = String(entry.ratePerSecond ?? '');
    env.PERF_GATE_VUS = String(entry.vus ?? '');
    if (totalMs !== undefined) env.PERF_GATE_DURATION = formatDuration(totalMs);
  } else {
    // On a user's script these flags replace the script's own scenarios, as k6 documents.
    if (entry.vus !== undefined) args.push('--vus', String(entry.vus));
    if (totalMs !== undefined) args.push('--duration', formatDuration(totalMs));
  }
  for (const [key, value] of Object.entries(env)) args.push('--env', `${key}=${value}`);
  args.push(entry.script);

  context.logger.info(`Running ${entry.name}: k6 ${describeLoad(entry, totalMs)}`);
  context.logger.debug(
    `k6 arguments: ${args.filter((arg) => !arg.startsWith('PERF_GATE_ENDPOINTS=')).join(' ')}`,
  );
  const log = createWriteStream(logFile);
  const result = await runCommand(context.tool.path, args, {
    cwd: dirname(entry.script),
    // k6 sends anonymous usage reports unless told not to; --no-usage-report covers the run.
    env: { ...process.env, K6_NO_USAGE_REPORT: 'true' },
    signal: context.signal,
    onStdout: (chunk) => log.write(chunk),
    onStderr: (chunk) => log.write(chunk),
  });
  await new Promise<void>((resolve) => log.end(resolve));
  context.signal?.throwIfAborted();

  if (result.exitCode !== 0 && result.exitCode !== THRESHOLDS_CROSSED) {
    const meaning =
      K6_EXIT_CODES[result.exitCode ?? -1] ??
      (result.signal ? `it was stopped by ${result.signal}` : 'unknown reason');
    throw new ToolError(
      `k6 failed on ${entry.name} with exit code ${String(result.exitCode)} (${meaning}):\n${lastLines(result.stderr || result.stdout, 15)}`,
      { remedy: `The whole k6 output is in ${logFile}.` },
    );
  }

  const scenario = await ingestK6({
    name: entry.name,
    origin: 'run',
    warmupMs: entry.warmupMs,
    namer: context.namer,
    jsonOutput,
    summaryFile,
    settings: settingsOf(entry, config, totalMs),
    ...(entry.shipped && entry.ratePerSecond !== undefined
      ? { requestedRatePerSecond: entry.ratePerSecond }
      : {}),
  });
  if (result.exitCode === THRESHOLDS_CROSSED && scenario.thresholdsFailed.length === 0) {
    throw new IngestError(
      `k6 exited with 99 (thresholds crossed) on ${entry.name}, but ${summaryFile} lists no failed threshold.`,
    );
  }
  context.logger.info(
    `Finished ${entry.name}: ${scenario.total.requests} requests measured, ${scenario.warmup.requests} in the warm-up` +
      (scenario.thresholdsFailed.length > 0
        ? `, ${scenario.thresholdsFailed.length} k6 threshold(s) crossed`
        : ''),
  );
  return scenario;
}

function describeLoad(entry: K6Entry, totalMs: number | undefined): string {
  const parts = [entry.shipped ? `shipped scenario ${entry.shipped}` : entry.script];
  if (entry.ratePerSecond !== undefined) parts.push(`${entry.ratePerSecond}/s`);
  if (entry.vus !== undefined) parts.push(`${entry.vus} VUs`);
  if (totalMs !== undefined)
    parts.push(`${formatDuration(totalMs)} including ${formatDuration(entry.warmupMs)} warm-up`);
  return parts.join(', ');
}

function settingsOf(
  entry: K6Entry,
  config: Config,
  totalMs: number | undefined,
): Record<string, string | number> {
  const settings: Record<string, string | number> = {
    script: entry.shipped ? `shipped: ${entry.shipped}` : relative(config.baseDir, entry.script),
  };
  if (entry.ratePerSecond !== undefined) settings.rate = `${entry.ratePerSecond}/s`;
  if (entry.vus !== undefined) settings.vus = entry.vus;
  if (totalMs !== undefined) settings.duration = formatDuration(totalMs - entry.warmupMs);
  settings.warmup = formatDuration(entry.warmupMs);
  return settings;
}
