/**
 * The main job: check the tools, start the target, run every suite entry, tear the target down,
 * and return the result. Each step logs in its own group.
 */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

import { PERF_GATE_VERSION } from '../constants.js';
import type { Config, SuiteEntry } from '../config/types.js';
import { createEndpointNamer } from '../ingest/endpoint-names.js';
import { runK6 } from '../load/k6-runner.js';
import { locateTool, type ToolInfo, type ToolName } from '../load/tools.js';
import { runVegeta } from '../load/vegeta-runner.js';
import type { Logger } from '../log.js';
import { RESULT_SCHEMA_VERSION, type RunResult, type ScenarioResult } from '../result/types.js';
import { detectCompose } from '../target/compose.js';
import { Stack, newProjectName } from '../target/stack.js';
import { readEnvironment, readRunSource } from './run-context.js';

export interface RunSuiteOptions {
  config: Config;
  /** Folder for raw tool outputs (`raw/`), created and emptied by the run. */
  outDir: string;
  logger: Logger;
  signal?: AbortSignal;
  /** Called with the compose project name before anything starts, so cleanup can find it. */
  onProjectName?: (name: string) => void | Promise<void>;
  env?: NodeJS.ProcessEnv;
}

/** Runs the whole measurement; the stack is torn down whatever happens. */
export async function runSuite(options: RunSuiteOptions): Promise<RunResult> {
  const { config, logger } = options;
  const env = options.env ?? process.env;

  const { tools, compose } = await logger.group('Checking tools', async () => {
    const located = await locateTools(config.suite, env);
    for (const tool of located.values())
      logger.info(`${tool.name} ${tool.version} at ${tool.path}`);
    const cli = await detectCompose(env);
    logger.info(`${cli.command.join(' ')} ${cli.version}`);
    return { tools: located, compose: cli };
  });

  const rawDir = join(options.outDir, 'raw');
  await rm(rawDir, { recursive: true, force: true });
  await mkdir(rawDir, { recursive: true });

  const stack = new Stack(config.target, compose, newProjectName(), logger, env);
  await options.onProjectName?.(stack.name);
  const scenarios: ScenarioResult[] = [];
  try {
    await logger.group('Starting the target', () => stack.start(options.signal));
    const namer = createEndpointNamer(config.target.url, config.endpoints);
    for (const [index, entry] of config.suite.entries()) {
      const tool = tools.get(entry.tool);
      if (!tool) throw new Error(`No ${entry.tool} located for ${entry.name}`);
      const context = {
        tool,
        rawDir,
        fileStem: fileStem(index, entry),
        namer,
        logger,
        ...(options.signal ? { signal: options.signal } : {}),
      };
      const scenario = await logger.group(`Running ${entry.name}`, () =>
        entry.tool === 'k6' ? runK6(entry, config, context) : runVegeta(entry, config, context),
      );
      scenarios.push(scenario);
    }
  } finally {
    await logger.group('Stopping the target', () => stack.stop());
  }

  const toolVersions: Record<string, string> = { compose: compose.version };
  for (const tool of tools.values()) toolVersions[tool.name] = tool.version;
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
