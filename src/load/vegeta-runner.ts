/**
 * Runs one vegeta suite entry: attack, then read every result from the binary results file, and
 * `vegeta report` writes the summary for the cross-check.
 */
import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';

import { formatDuration } from '../config/units.js';
import { formatNumber } from '../format.js';
import type { Config, VegetaEntry } from '../config/types.js';
import { ToolError } from '../errors.js';
import { ingestVegeta } from '../ingest/ingest-scenario.js';
import { openDataStream } from '../ingest/open-file.js';
import { lastLines, runCommand } from '../process/command.js';
import type { ScenarioResult } from '../result/types.js';
import type { LoadContext } from './load-context.js';

/** Runs vegeta for `entry` against the target and returns the scenario's result. */
export async function runVegeta(
  entry: VegetaEntry,
  config: Config,
  context: LoadContext,
): Promise<ScenarioResult> {
  const base = join(context.rawDir, context.fileStem);
  const resultsFile = `${base}.vegeta.bin`;
  const reportFile = `${base}.vegeta-report.json`;
  const logFile = `${base}.vegeta.log`;

  let targetsFile = entry.targetsFile;
  let format = entry.targetsFormat;
  if (targetsFile === undefined) {
    targetsFile = `${base}.vegeta-targets.json`;
    format = 'json';
    await writeFile(targetsFile, endpointTargets(config, context.baseUrl));
  }

  const totalMs = entry.warmupMs + entry.durationMs;
  // A profile with phases runs one attack per phase, each to its own file; the warm-up
  // lengthens the first.
  const attacks = (
    entry.phases ?? [{ rateText: entry.rateText, durationMs: entry.durationMs }]
  ).map((phase, index, all) => ({
    rateText: phase.rateText,
    durationMs: phase.durationMs + (index === 0 ? entry.warmupMs : 0),
    resultsFile: all.length > 1 ? `${base}.phase${index + 1}.vegeta.bin` : resultsFile,
  }));

  context.logger.info(
    entry.phases
      ? `Running ${entry.name}: vegeta in ${attacks.length} phases (${attacks.map((attack) => `${attack.rateText} for ${formatDuration(attack.durationMs)}`).join(', ')}), ${formatDuration(entry.warmupMs)} warm-up`
      : `Running ${entry.name}: vegeta at ${entry.rateText} for ${formatDuration(totalMs)} including ${formatDuration(entry.warmupMs)} warm-up`,
  );
  const log = createWriteStream(logFile);
  try {
    for (const attack of attacks) {
      const args = attackArguments(entry, {
        format,
        targetsFile,
        rateText: attack.rateText,
        durationMs: attack.durationMs,
        resultsFile: attack.resultsFile,
      });
      context.logger.debug(`vegeta arguments: ${args.join(' ')}`);
      // vegeta resolves @body paths in a targets file against its working directory.
      const run = await runCommand(context.tool.path, args, {
        cwd: dirname(targetsFile),
        signal: context.signal,
        onStderr: (chunk) => log.write(chunk),
      });
      context.signal?.throwIfAborted();
      if (run.exitCode !== 0) {
        throw new ToolError(
          `vegeta attack failed on ${entry.name} with exit code ${String(run.exitCode)}:\n${lastLines(run.stderr, 15)}`,
          {
            remedy: `Check the targets and flags; the output is in ${logFile}.`,
          },
        );
      }
    }
  } finally {
    await new Promise<void>((resolve) => log.end(resolve));
  }

  const resultsFiles = attacks.map((attack) => attack.resultsFile);
  const report = await runCommand(
    context.tool.path,
    ['report', '-type', 'json', '-output', reportFile, ...resultsFiles],
    {
      signal: context.signal,
      timeoutMs: 10 * 60_000,
    },
  );
  if (report.exitCode !== 0) {
    throw new ToolError(
      `vegeta report failed on ${resultsFiles.join(', ')}: ${lastLines(report.stderr, 10)}`,
    );
  }

  const scenario = await ingestVegeta({
    name: entry.name,
    origin: 'run',
    warmupMs: entry.warmupMs,
    namer: context.namer,
    results: concatenated(resultsFiles),
    format: 'binary',
    resultsSource: resultsFiles.join(', '),
    reportFile,
    settings: settingsOf(entry, config),
    requestedRatePerSecond: entry.ratePerSecond,
  });
  if (entry.phases) {
    // vegeta's rate over several files counts the gaps between the attacks; the requests sent
    // in the planned time tell whether it kept up.
    scenario.achievedRatePerSecond =
      (scenario.total.requests + scenario.warmup.requests) / (totalMs / 1000);
  }
  context.logger.info(
    `Finished ${entry.name}: ${scenario.total.requests} requests measured, ${scenario.warmup.requests} in the warm-up`,
  );
  return scenario;
}

/** Builds the arguments of one `vegeta attack`. */
function attackArguments(
  entry: VegetaEntry,
  attack: {
    format: string;
    targetsFile: string;
    rateText: string;
    durationMs: number;
    resultsFile: string;
  },
): string[] {
  const args = [
    'attack',
    '-format',
    attack.format,
    '-targets',
    attack.targetsFile,
    '-rate',
    attack.rateText,
    '-duration',
    formatDuration(attack.durationMs),
    '-timeout',
    formatDuration(entry.timeoutMs),
    // Bodies are not needed for timing; keeping none saves memory and disk.
    '-max-body',
    '0',
    '-name',
    entry.name,
    '-output',
    attack.resultsFile,
  ];
  if (entry.workers !== undefined) args.push('-workers', String(entry.workers));
  if (entry.maxWorkers !== undefined) args.push('-max-workers', String(entry.maxWorkers));
  if (entry.connections !== undefined) args.push('-connections', String(entry.connections));
  for (const [name, value] of Object.entries(entry.headers))
    args.push('-header', `${name}: ${value}`);
  return args;
}

/**
 * Reads the results files one after the other as one stream. Each starts a gob stream of its own,
 * and the decoder accepts its type definitions again.
 */
async function* concatenated(files: readonly string[]): AsyncIterable<Buffer> {
  for (const file of files) yield* await openDataStream(file);
}

/** Writes the configured endpoints as vegeta JSON targets, one per line. */
export function endpointTargets(config: Config, baseUrl: string): string {
  return (
    config.endpoints
      .map((endpoint) => {
        const target: Record<string, unknown> = {
          method: endpoint.method,
          url: baseUrl + endpoint.path,
          header: Object.fromEntries(
            Object.entries(endpoint.headers).map(([name, value]) => [name, [value]]),
          ),
        };
        if (endpoint.body !== undefined)
          target.body = Buffer.from(endpoint.body).toString('base64');
        return JSON.stringify(target);
      })
      .join('\n') + '\n'
  );
}

function settingsOf(entry: VegetaEntry, config: Config): Record<string, string | number> {
  const settings: Record<string, string | number> = {
    targets: entry.targetsFile
      ? relative(config.baseDir, entry.targetsFile)
      : `${config.endpoints.length} configured endpoint(s)`,
    rate: `${formatNumber(entry.ratePerSecond, Number.isInteger(entry.ratePerSecond) ? 0 : 2)}/s`,
    duration: formatDuration(entry.durationMs),
    warmup: formatDuration(entry.warmupMs),
    timeout: formatDuration(entry.timeoutMs),
  };
  if (entry.profile) settings.profile = entry.profile;
  if (entry.phases) {
    // The mean of the phases themselves; ratePerSecond also counts the warm-up.
    const measured =
      entry.phases.reduce((sum, phase) => sum + phase.ratePerSecond * phase.durationMs, 0) /
      entry.durationMs;
    settings.rate = `${formatNumber(measured, Number.isInteger(measured) ? 0 : 2)}/s on average`;
    settings.phases = entry.phases
      .map((phase) => `${phase.rateText} for ${formatDuration(phase.durationMs)}`)
      .join(', ');
  }
  return settings;
}
