/**
 * The main job: check the tools, start the target, run the suite (once, several times, or in
 * pairs alternating with the base revision's stack), tear the stacks down, and return the result.
 * Each step logs in its own group.
 */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

import { PERF_GATE_VERSION } from '../constants.js';
import type { Config, SuiteEntry, TargetSettings } from '../config/types.js';
import { createEndpointNamer } from '../ingest/endpoint-names.js';
import { runK6 } from '../load/k6-runner.js';
import { locateTool, type ToolInfo, type ToolName } from '../load/tools.js';
import { runVegeta } from '../load/vegeta-runner.js';
import type { Logger } from '../log.js';
import { mergeRuns } from '../result/merge.js';
import {
  RESULT_SCHEMA_VERSION,
  type RunDesign,
  type RunResult,
  type ScenarioResult,
} from '../result/types.js';
import { detectCompose, dockerEngineVersion, type ComposeCli } from '../target/compose.js';
import { Stack, newProjectName } from '../target/stack.js';
import { readEnvironment, readRunSource } from './run-context.js';
import { watchScenario } from './watch.js';

export interface RunSuiteOptions {
  config: Config;
  /** Folder for raw tool outputs (`raw/`), created and emptied by the run. */
  outDir: string;
  logger: Logger;
  signal?: AbortSignal;
  /** Called with each compose project's name and files before it starts, so cleanup can find it. */
  onProjectName?: (name: string, files: string[]) => void | Promise<void>;
  env?: NodeJS.ProcessEnv;
}

/** Tools and compose, located once before anything starts. */
interface Toolbox {
  tools: Map<ToolName, ToolInfo>;
  compose: ComposeCli;
  /** The Docker engine's version, when docker answered. */
  docker?: string;
  rawDir: string;
}

/** Measures this revision: `config.repetitions` runs of the suite on one stack. */
export async function runSuite(options: RunSuiteOptions): Promise<RunResult> {
  const toolbox = await prepare(options);
  const stack = await startStack(options, toolbox, options.config.target, 'target');
  const runs: RunResult[] = [];
  try {
    for (let index = 0; index < options.config.repetitions; index += 1) {
      const label =
        options.config.repetitions > 1
          ? `run ${index + 1} of ${options.config.repetitions}`
          : undefined;
      runs.push(await measure(options, toolbox, stack, `run${index + 1}`, label));
    }
  } finally {
    await options.logger.group('Stopping the target', () => stack.stop());
  }
  if (runs.length === 1) return runs[0] as RunResult;
  return mergeRuns(runs, { kind: 'repeated', runs: runs.length });
}

export interface PairedOptions extends RunSuiteOptions {
  /**
   * Called after each round of pairs; returns true to add one more pair, which an inconclusive
   * comparison may do up to `paired.maxPairs`.
   */
  wantsMorePairs?: (head: RunResult, base: RunResult) => boolean;
}

/**
 * Measures the base and this revision on one machine in alternating, balanced order: base then
 * head in even pairs, head then base in odd ones, so drifts of the machine fall on both sides.
 */
export async function runPaired(
  options: PairedOptions,
): Promise<{ head: RunResult; base: RunResult }> {
  const paired = options.config.paired;
  if (!paired) throw new Error('runPaired needs paired settings');
  const toolbox = await prepare(options);
  const baseStack = await startStack(options, toolbox, paired.base, 'base');
  let headStack: Stack | undefined;
  const headRuns: RunResult[] = [];
  const baseRuns: RunResult[] = [];
  const order: string[] = [];
  try {
    headStack = await startStack(options, toolbox, options.config.target, 'head');
    const measurePair = async (index: number): Promise<void> => {
      const baseFirst = index % 2 === 0;
      order.push(baseFirst ? 'base-head' : 'head-base');
      for (const role of baseFirst ? (['base', 'head'] as const) : (['head', 'base'] as const)) {
        const stack = role === 'base' ? baseStack : headStack;
        if (!stack) throw new Error('the head stack did not start');
        const result = await measure(
          options,
          toolbox,
          stack,
          `pair${index + 1}-${role}`,
          `pair ${index + 1}, ${role}`,
        );
        (role === 'base' ? baseRuns : headRuns).push(result);
      }
    };
    for (let index = 0; index < paired.pairs; index += 1) await measurePair(index);
    while (
      headRuns.length < paired.maxPairs &&
      options.wantsMorePairs?.(
        mergePaired(headRuns, order, 'head'),
        mergePaired(baseRuns, order, 'base'),
      )
    ) {
      options.logger.info(
        `Inconclusive after ${headRuns.length} pairs: measuring one more pair (up to ${paired.maxPairs})`,
      );
      await measurePair(headRuns.length);
    }
  } finally {
    await options.logger.group('Stopping the stacks', async () => {
      await headStack?.stop();
      await baseStack.stop();
    });
  }
  return { head: mergePaired(headRuns, order, 'head'), base: mergePaired(baseRuns, order, 'base') };
}

/**
 * Measures this revision against itself for a calibration: `pairs` pairs of runs on one stack,
 * sides A and B alternating as in the paired design (A then B, then B then A).
 */
export async function runCalibration(
  options: RunSuiteOptions & { pairs: number },
): Promise<{ a: RunResult; b: RunResult }> {
  const toolbox = await prepare(options);
  const stack = await startStack(options, toolbox, options.config.target, 'target');
  const runs = { a: [] as RunResult[], b: [] as RunResult[] };
  const order: string[] = [];
  try {
    for (let index = 0; index < options.pairs; index += 1) {
      const aFirst = index % 2 === 0;
      order.push(aFirst ? 'a-b' : 'b-a');
      for (const side of aFirst ? (['a', 'b'] as const) : (['b', 'a'] as const)) {
        runs[side].push(
          await measure(
            options,
            toolbox,
            stack,
            `pair${index + 1}-${side}`,
            `pair ${index + 1} of ${options.pairs}, ${side.toUpperCase()}`,
          ),
        );
      }
    }
  } finally {
    await options.logger.group('Stopping the target', () => stack.stop());
  }
  return {
    a: mergeRuns(runs.a, { kind: 'paired', runs: runs.a.length, role: 'base', order }),
    b: mergeRuns(runs.b, { kind: 'paired', runs: runs.b.length, role: 'head', order }),
  };
}

function mergePaired(runs: RunResult[], order: string[], role: 'base' | 'head'): RunResult {
  const design: RunDesign = { kind: 'paired', runs: runs.length, role, order: [...order] };
  return mergeRuns(runs, design);
}

async function prepare(options: RunSuiteOptions): Promise<Toolbox> {
  const { logger, config } = options;
  const env = options.env ?? process.env;
  const found = await logger.group('Checking tools', async () => {
    const tools = await locateTools(config.suite, env);
    for (const tool of tools.values()) logger.info(`${tool.name} ${tool.version} at ${tool.path}`);
    const compose = await detectCompose(env);
    const docker = await dockerEngineVersion(env);
    logger.info(
      `${compose.command.join(' ')} ${compose.version}, Docker engine ${docker ?? 'unknown'}`,
    );
    return { tools, compose, ...(docker ? { docker } : {}) };
  });
  const rawDir = join(options.outDir, 'raw');
  await rm(rawDir, { recursive: true, force: true });
  await mkdir(rawDir, { recursive: true });
  return { ...found, rawDir };
}

async function startStack(
  options: RunSuiteOptions,
  toolbox: Toolbox,
  target: TargetSettings,
  role: string,
): Promise<Stack> {
  const stack = new Stack(
    target,
    toolbox.compose,
    newProjectName(),
    options.logger,
    options.env ?? process.env,
  );
  await options.onProjectName?.(stack.name, target.composeFiles);
  try {
    await options.logger.group(
      role === 'target' ? 'Starting the target' : `Starting the ${role} stack`,
      () => stack.start(options.signal),
    );
  } catch (error) {
    await stack.stop();
    throw error;
  }
  return stack;
}

/** Runs every suite entry once against `stack`, watching its containers, and returns one run's result. */
async function measure(
  options: RunSuiteOptions,
  toolbox: Toolbox,
  stack: Stack,
  runId: string,
  label?: string,
): Promise<RunResult> {
  const { config, logger } = options;
  const { target } = stack;
  const env = options.env ?? process.env;
  const namer = createEndpointNamer(target.url, config.endpoints);
  const scenarios: ScenarioResult[] = [];
  for (const [index, entry] of config.suite.entries()) {
    const tool = toolbox.tools.get(entry.tool);
    if (!tool) throw new Error(`No ${entry.tool} located for ${entry.name}`);
    const context = {
      tool,
      baseUrl: target.url,
      rawDir: toolbox.rawDir,
      fileStem: `${runId}-${fileStem(index, entry)}`,
      namer,
      logger,
      ...(options.signal ? { signal: options.signal } : {}),
    };
    const title = label ? `Running ${entry.name} (${label})` : `Running ${entry.name}`;
    scenarios.push(
      await logger.group(title, () =>
        watchScenario(
          stack,
          config.monitor,
          logger,
          () =>
            entry.tool === 'k6' ? runK6(entry, config, context) : runVegeta(entry, config, context),
          options.signal,
        ),
      ),
    );
  }
  const toolVersions: Record<string, string> = { compose: toolbox.compose.version };
  if (toolbox.docker) toolVersions.docker = toolbox.docker;
  for (const tool of toolbox.tools.values()) toolVersions[tool.name] = tool.version;
  return {
    schemaVersion: RESULT_SCHEMA_VERSION,
    perfGateVersion: PERF_GATE_VERSION,
    createdAt: new Date().toISOString(),
    source: await readRunSource(config.baseDir, env),
    tools: toolVersions,
    environment: readEnvironment(),
    scenarios,
  };
}

async function locateTools(
  suite: readonly SuiteEntry[],
  env: NodeJS.ProcessEnv,
): Promise<Map<ToolName, ToolInfo>> {
  const names = [...new Set(suite.map((entry) => entry.tool))];
  const located = await Promise.all(names.map((name) => locateTool(name, env)));
  return new Map(located.map((tool) => [tool.name, tool]));
}

function fileStem(index: number, entry: SuiteEntry): string {
  const slug = entry.name
    .toLowerCase()
    .replace(/[^a-z0-9]+/gu, '-')
    .replace(/^-|-$/gu, '');
  return `${String(index + 1).padStart(2, '0')}-${slug || entry.tool}`;
}
