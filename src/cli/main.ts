/**
 * The perf-gate command line: `run` measures the target and judges it, `compare` judges outputs
 * produced elsewhere, `calibrate` measures the noise of the target against itself, `validate`
 * checks a configuration, `schema` prints its JSON Schema.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { z } from 'zod';

import { LocalBaselineStore } from '../baseline/local-store.js';
import { defaultPolicy, policyFromConfig } from '../compare/policy.js';
import { FAILING_VERDICTS, type Verdict } from '../compare/types.js';
import { DEFAULT_CONFIG_FILE } from '../config/defaults.js';
import { loadConfig } from '../config/load-config.js';
import { configFileSchema } from '../config/schema.js';
import type { Config } from '../config/types.js';
import { parseDurationMs } from '../config/units.js';
import { PERF_GATE_VERSION } from '../constants.js';
import { judge } from '../engine/judge.js';
import { runPaired, runSuite } from '../engine/run-suite.js';
import { withSignals } from '../engine/signals.js';
import { CancelledError, ConfigError, PerfGateError, describeError } from '../errors.js';
import { createEndpointNamer } from '../ingest/endpoint-names.js';
import { READABLE_FORMATS, importRun } from '../ingest/import-file.js';
import { installTool } from '../load/install.js';
import { cacheDir, type ToolName } from '../load/tools.js';
import type { Logger } from '../log.js';
import { writeResultFile } from '../result/result-file.js';
import type { RunResult } from '../result/types.js';
import { calibrateCommand } from './calibrate.js';
import { createCliLogger } from './logger.js';
import {
  EXIT_ERROR,
  EXIT_FAIL,
  EXIT_PASS,
  OPTIONS,
  overridesFrom,
  writeFailure,
  type Options,
} from './options.js';

export { EXIT_ERROR, EXIT_FAIL, EXIT_PASS } from './options.js';

const USAGE = `perf-gate ${PERF_GATE_VERSION}: block changes that make an HTTP service slower.

Usage:
  perf-gate run [options]              start the target, run the suite, compare, report
  perf-gate compare BASE HEAD [options]  compare two outputs without starting anything
  perf-gate calibrate [options]        measure the target against itself (A/A): the noise of
                                       each metric, what can be detected, the false-alarm rate
  perf-gate validate [--config FILE]   check a configuration and print it resolved
  perf-gate schema                     print the JSON Schema of perf-gate.yml
  perf-gate install-tools [k6] [vegeta]  download the pinned releases, verify their checksums,
                                       and keep them in perf-gate's tool cache

Options of run:
  -c, --config FILE        configuration file (default: ${DEFAULT_CONFIG_FILE})
  -o, --out DIR            folder for result.json, report.md and raw outputs (default: perf-gate-out)
      --baseline DIR       compare with the baseline saved in DIR (or a result file)
      --save-baseline DIR  save this run as the baseline in DIR
      --scale N            multiply the durations of shipped scenarios by N, such as 0.25
      --fail-without-baseline  fail when no baseline exists (default: pass with a notice)
      --json               print the verdict and comparison as JSON instead of Markdown
  -v, --verbose            log resolved settings and tool arguments

Options of calibrate (and -c, -o, --scale, --json, -v as for run):
      --pairs N            pairs of A/A runs to measure (default: 10)

Options of compare:
  -c, --config FILE        take budgets, tolerances and endpoint names from this file
  -o, --out DIR            also write result.json (of HEAD) and report.md to DIR
      --warmup DURATION    leave out the first DURATION of raw per-request outputs (default: 0s)
      --json               print JSON instead of Markdown

compare reads:
${READABLE_FORMATS.map((format) => `  - ${format}`).join('\n')}

Exit status: 0 pass or no baseline, 1 fail, 2 error (no verdict), 130/143 stopped by a signal.
`;

/** Runs the CLI with `argv` (without node and the script) and returns the exit code. */
export async function main(
  argv: readonly string[],
  io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream } = process,
): Promise<number> {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    // Node's parser quotes the option in its own way; name it plainly.
    const message = (error as Error).message;
    const option = /'(-[^']+)'/u.exec(message)?.[1];
    const text =
      option && message.startsWith('Unknown option')
        ? `unknown option ${option}`
        : (message.split('. ')[0] ?? message);
    io.stderr.write(`error: ${text}. Run perf-gate --help for the options.\n`);
    return EXIT_ERROR;
  }
  const { values, positionals } = parsed;
  if (values.version) {
    io.stdout.write(`${PERF_GATE_VERSION}\n`);
    return EXIT_PASS;
  }
  const [command, ...rest] = positionals;
  if (values.help || command === undefined || command === 'help') {
    io.stdout.write(USAGE);
    return command === undefined && !values.help ? EXIT_ERROR : EXIT_PASS;
  }
  const logger = createCliLogger({ verbose: values.verbose ?? false, stream: io.stderr });

  try {
    switch (command) {
      case 'run':
        expectPositionals(command, rest, 0);
        return await runCommand(values, logger, io.stdout);
      case 'calibrate':
        expectPositionals(command, rest, 0);
        return await calibrateCommand(values, logger, io.stdout);
      case 'compare':
        expectPositionals(command, rest, 2);
        return await compareCommand(rest[0] ?? '', rest[1] ?? '', values, io.stdout);
      case 'validate': {
        expectPositionals(command, rest, 0);
        const config = loadConfig({ file: values.config ?? DEFAULT_CONFIG_FILE });
        io.stdout.write(`${JSON.stringify(config, null, 2)}\n`);
        const entries = `${config.suite.length} suite ${config.suite.length === 1 ? 'entry' : 'entries'}`;
        const endpoints = `${config.endpoints.length} ${config.endpoints.length === 1 ? 'endpoint' : 'endpoints'}`;
        logger.info(`${config.source} is valid: ${entries}, ${endpoints}.`);
        return EXIT_PASS;
      }
      case 'schema':
        io.stdout.write(`${JSON.stringify(configJsonSchema(), null, 2)}\n`);
        return EXIT_PASS;
      case 'install-tools':
        for (const path of await installTools(rest, logger)) io.stdout.write(`${path}\n`);
        return EXIT_PASS;
      default:
        io.stderr.write(`Unknown command "${command}". Run perf-gate --help for the commands.\n`);
        return EXIT_ERROR;
    }
  } catch (error) {
    if (error instanceof CancelledError) {
      logger.warning(error.message);
      return error.signal === 'SIGINT' ? 130 : 143;
    }
    io.stderr.write(`error: ${describeError(error)}\n`);
    if (!(error instanceof PerfGateError)) io.stderr.write(`${(error as Error).stack ?? ''}\n`);
    return EXIT_ERROR;
  }
}

/** Installs the named tools (both by default) into perf-gate's tool cache. */
async function installTools(names: string[], logger: Logger): Promise<string[]> {
  const tools = names.length > 0 ? names : ['k6', 'vegeta'];
  const unknown = tools.filter((name) => name !== 'k6' && name !== 'vegeta');
  if (unknown.length > 0) {
    throw new PerfGateError(
      `Unknown tool ${unknown.join(', ')}; perf-gate installs k6 and vegeta.`,
    );
  }
  // @actions/tool-cache keeps tools under RUNNER_TOOL_CACHE, where perf-gate also looks for them.
  process.env.RUNNER_TOOL_CACHE ||= join(cacheDir(), 'tools');
  process.env.RUNNER_TEMP ||= await mkdtemp(join(tmpdir(), 'perf-gate-install-'));
  const paths: string[] = [];
  await withStdoutAsDebug(logger, async () => {
    for (const tool of tools as ToolName[]) paths.push(await installTool(tool, { logger }));
  });
  return paths;
}

/**
 * Runs `work` with stdout turned into debug log lines: @actions/tool-cache and @actions/exec write
 * workflow commands and the commands they run there, and the CLI's stdout carries only its output.
 */
async function withStdoutAsDebug(logger: Logger, work: () => Promise<void>): Promise<void> {
  const write = process.stdout.write.bind(process.stdout);
  const toDebug = (chunk: string | Uint8Array): boolean => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
    for (const line of text.split('\n').filter(Boolean)) {
      logger.debug(line.replace(/^::\w+::/u, ''));
    }
    return true;
  };
  process.stdout.write = toDebug;
  try {
    await work();
  } finally {
    process.stdout.write = write;
  }
}

function expectPositionals(command: string, positionals: string[], count: number): void {
  if (positionals.length !== count) {
    const expected = count === 0 ? 'no arguments' : `${count} arguments`;
    throw new PerfGateError(
      `perf-gate ${command} takes ${expected}, got: ${positionals.join(' ') || 'none'}.`,
      {
        remedy: 'Run perf-gate --help for the usage.',
      },
    );
  }
}

/** The JSON Schema of perf-gate.yml, for editors. */
export function configJsonSchema(): unknown {
  return allowVariables(z.toJSONSchema(configFileSchema, { io: 'input', unrepresentable: 'any' }));
}

/**
 * Lets every patterned string also be a `${NAME}` reference, which perf-gate resolves before it
 * validates, so editors do not flag `p95: ${P95_BUDGET}` as invalid.
 */
function allowVariables(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(allowVariables);
  if (schema === null || typeof schema !== 'object') return schema;
  const entries = Object.entries(schema).map(
    ([key, value]) => [key, allowVariables(value)] as const,
  );
  const copy: Record<string, unknown> = Object.fromEntries(entries);
  if (typeof copy.pattern === 'string') copy.pattern = `(${copy.pattern})|\\$\\{`;
  return copy;
}

async function runCommand(
  values: Options,
  logger: Logger,
  stdout: NodeJS.WritableStream,
): Promise<number> {
  // Everything is read and validated before anything starts.
  const config = loadConfig({
    file: values.config ?? DEFAULT_CONFIG_FILE,
    overrides: overridesFrom(values),
  });
  const outDir = resolve(values.out ?? 'perf-gate-out');
  const policy = policyFromConfig(config);
  const baselineStore = values.baseline
    ? new LocalBaselineStore(resolve(values.baseline))
    : undefined;
  const baseline = baselineStore ? await baselineStore.load() : undefined;
  if (baselineStore) {
    logger.info(
      baseline
        ? `Baseline: ${baselineStore.description}, recorded ${baseline.result.createdAt}, with ${baseline.history.length} run(s) of history`
        : `No baseline in ${baselineStore.description}`,
    );
  }
  const saveStore = values['save-baseline']
    ? new LocalBaselineStore(resolve(values['save-baseline']))
    : undefined;
  const previous = saveStore ? await saveStore.load() : undefined;
  await mkdir(outDir, { recursive: true });

  let head: RunResult;
  let base: RunResult | undefined = baseline?.result;
  try {
    if (config.paired) {
      const measured = await withSignals(logger, (signal) =>
        runPaired({
          config,
          outDir,
          logger,
          signal,
          wantsMorePairs: (pairedHead, pairedBase) =>
            judge({ head: pairedHead, base: pairedBase, policy }).comparison.verdict ===
            'inconclusive',
        }),
      );
      head = measured.head;
      base = measured.base;
    } else {
      head = await withSignals(logger, (signal) => runSuite({ config, outDir, logger, signal }));
    }
  } catch (error) {
    if (!(error instanceof CancelledError)) await writeFailure(error, outDir, values, stdout);
    throw error;
  }

  await writeResultFile(join(outDir, 'result.json'), head);
  if (config.paired && base) await writeResultFile(join(outDir, 'base-result.json'), base);
  if (saveStore) {
    await saveStore.save(head, previous?.history ?? [], config.historyLength);
    logger.info(`Saved the baseline in ${saveStore.description}`);
  }
  const history = config.paired ? undefined : baseline?.history;
  return report(head, base, policy, outDir, values, stdout, logger, history);
}

async function compareCommand(
  basePath: string,
  headPath: string,
  values: Options,
  stdout: NodeJS.WritableStream,
): Promise<number> {
  const config: Config | undefined = values.config
    ? loadConfig({ file: values.config })
    : undefined;
  const warmupMs = values.warmup === undefined ? 0 : parseDurationMs(values.warmup);
  if (warmupMs === undefined) {
    throw new ConfigError('the command line', [
      { path: '--warmup', message: 'expected a duration such as 10s', received: values.warmup },
    ]);
  }
  const options = { namer: createEndpointNamer(config?.target.url, config?.endpoints), warmupMs };
  const base = await importRun(basePath, options);
  const head = await importRun(headPath, options);
  const outDir = values.out ? resolve(values.out) : undefined;
  if (outDir) await writeResultFile(join(outDir, 'result.json'), head);
  const logger = createCliLogger({ verbose: values.verbose ?? false });
  return report(
    head,
    base,
    config ? policyFromConfig(config) : defaultPolicy(),
    outDir,
    values,
    stdout,
    logger,
  );
}

async function report(
  head: RunResult,
  base: RunResult | undefined,
  policy: ReturnType<typeof defaultPolicy>,
  outDir: string | undefined,
  values: Options,
  stdout: NodeJS.WritableStream,
  logger: Logger,
  history?: RunResult[],
): Promise<number> {
  const { comparison, markdown } = judge({
    head,
    ...(base ? { base } : {}),
    policy,
    ...(history ? { history } : {}),
  });
  const reportFile = outDir ? join(outDir, 'report.md') : undefined;
  if (reportFile) await writeFile(reportFile, markdown);
  for (const scenario of head.scenarios) {
    for (const check of scenario.crossChecks.filter(
      (candidate) => candidate.status === 'mismatch',
    )) {
      logger.warning(
        `${scenario.name}: ${check.metric} is ${check.ours} from the raw output but ${check.tool} in the tool's summary`,
      );
    }
  }
  if (values.json) {
    const document = {
      verdict: comparison.verdict,
      failures: comparison.failures,
      ...(outDir ? { result: join(outDir, 'result.json'), report: reportFile } : {}),
      comparison,
    };
    stdout.write(`${JSON.stringify(document, null, 2)}\n`);
  } else {
    stdout.write(markdown);
  }
  logger.info(verdictLine(comparison.verdict, comparison.failures.length));
  return FAILING_VERDICTS.has(comparison.verdict) ? EXIT_FAIL : EXIT_PASS;
}

function verdictLine(verdict: Verdict, failures: number): string {
  const reasons = `${failures} ${failures === 1 ? 'reason' : 'reasons'}`;
  switch (verdict) {
    case 'pass':
      return 'Verdict: pass';
    case 'improvement':
      return 'Verdict: improvement (pass): faster than the baseline';
    case 'inconclusive':
      return 'Verdict: inconclusive (pass): a change beyond the margin, without enough confidence';
    case 'no-baseline':
      return 'Verdict: no baseline (pass): nothing to compare with yet';
    case 'regression':
      return `Verdict: regression (fail, ${reasons})`;
    case 'faults':
      return `Verdict: faults under load (fail, ${reasons})`;
    case 'over-budget':
      return `Verdict: over budget (fail, ${reasons})`;
    case 'invalid':
      return `Verdict: invalid measurement (fail, ${reasons})`;
  }
}
