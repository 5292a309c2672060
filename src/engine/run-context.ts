/**
 * Facts about the run that go into every result: where the code came from and what machine
 * measured it.
 */
import { cpus, release, totalmem, type } from 'node:os';

import { runCommand } from '../process/command.js';
import type { RunEnvironment, RunSource } from '../result/types.js';

/**
 * Reads the commit and ref from GitHub Actions' variables, else from git in `directory`. Missing
 * values are left out.
 */
export async function readRunSource(
  directory: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<RunSource> {
  const source: RunSource = {};
  if (env.GITHUB_SHA) source.commit = env.GITHUB_SHA;
  if (env.GITHUB_REF) source.ref = env.GITHUB_REF;
  if (env.GITHUB_REPOSITORY) source.repository = env.GITHUB_REPOSITORY;
  if (env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID) {
    source.runUrl = `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`;
  }
  if (source.commit === undefined) source.commit = await git(directory, ['rev-parse', 'HEAD']);
  if (source.ref === undefined) {
    const branch = await git(directory, ['rev-parse', '--abbrev-ref', 'HEAD']);
    if (branch && branch !== 'HEAD') source.ref = branch;
  }
  return source;
}

async function git(directory: string, args: string[]): Promise<string | undefined> {
  try {
    const result = await runCommand('git', args, { cwd: directory, timeoutMs: 10_000 });
    return result.exitCode === 0 ? result.stdout.trim() || undefined : undefined;
  } catch {
    return undefined;
  }
}

/** Describes this machine. */
export function readEnvironment(): RunEnvironment {
  const processors = cpus();
  return {
    os: type(),
    kernel: release(),
    cpuModel: processors[0]?.model.trim() ?? 'unknown',
    cpuCount: processors.length,
    memoryBytes: totalmem(),
    node: process.version,
  };
}
