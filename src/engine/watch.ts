/**
 * Watches the target's containers while one scenario runs: samples them from before the load
 * until a moment after it, reads their logs for errors, and adds the resources and the findings
 * to the scenario's result. Monitoring never fails a run: what cannot be read becomes a note.
 */
import { readdir } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

import type { MonitorSettings } from '../config/types.js';
import { describeError } from '../errors.js';
import type { Logger } from '../log.js';
import { LogErrorCounter } from '../monitor/log-errors.js';
import { ResourceMonitor } from '../monitor/monitor.js';
import { directReader, helperReader, type ProcessReader } from '../monitor/process-figures.js';
import { findingsOf, summarise } from '../monitor/summary.js';
import { runCommand } from '../process/command.js';
import type { ContainerResources, Finding, ScenarioResult } from '../result/types.js';
import { inspectContainers, type ContainerState } from '../target/containers.js';
import type { Stack } from '../target/stack.js';

/** The way /proc is read, decided once per process because asking sudo costs a process start. */
let readerChoice: Promise<() => ProcessReader> | undefined;

/**
 * Runs `work` (one scenario's load) with the containers of `stack` watched, and returns its
 * result with `resources` and `findings` added.
 */
export async function watchScenario(
  stack: Stack,
  settings: MonitorSettings,
  logger: Logger,
  work: () => Promise<ScenarioResult>,
  signal?: AbortSignal,
): Promise<ScenarioResult> {
  if (!settings.enabled) return work();
  const env = stack.project.options.env;
  const since = new Date();
  let monitor: ResourceMonitor | undefined;
  let before: ContainerState[] = [];
  try {
    before = (await inspectContainers(stack.name, env)).filter(
      (container) => container.status === 'running' && container.pid > 0,
    );
    const makeReader = await chooseReader(before[0]?.pid, logger);
    monitor = await ResourceMonitor.start(
      before.map((container) => ({
        id: container.id,
        name: shortName(container.name, stack.name),
        service: container.service,
        pid: container.pid,
      })),
      { intervalMs: settings.intervalMs, reader: makeReader() },
    );
  } catch (error) {
    logger.warning(`Container monitoring is off for this scenario: ${describeError(error)}`);
  }

  let result: ScenarioResult;
  try {
    result = await work();
  } catch (error) {
    await monitor?.stop();
    throw error;
  }
  if (!monitor) return result;

  // Sampling goes on while the load's sockets linger in CLOSE_WAIT, up to afterLoadMs. A healthy
  // service closes them at once, so this costs it one interval.
  await monitor.loadEnded();
  const deadline = Date.now() + settings.afterLoadMs;
  while (Date.now() < deadline && !signal?.aborted && monitor.closeWaitPending()) {
    await sleep(
      Math.min(settings.intervalMs, deadline - Date.now()),
      undefined,
      signal ? { signal } : {},
    ).catch(() => undefined);
  }
  const recording = await monitor.stop();
  const after = await inspectContainers(stack.name, env).catch(() => before);
  const restarts = new Map(
    before.map((container) => {
      const now = after.find((candidate) => candidate.id === container.id);
      return [
        shortName(container.name, stack.name),
        now ? now.restartCount - container.restartCount : 0,
      ];
    }),
  );
  const resources = summarise(recording, result.warmupSeconds * 1000, restarts);
  const findings = resources.flatMap((container) => findingsOf(container, result.name));
  findings.push(...exitedContainers(before, after, stack.name, result.name));
  await addLogErrors(before, resources, findings, {
    since,
    env,
    settings,
    scenario: result.name,
    project: stack.name,
  });
  for (const finding of findings) logger.warning(finding.message);
  return { ...result, resources, findings };
}

/** Lists findings for containers that ran when the load started and were stopped when it ended. */
export function exitedContainers(
  before: readonly ContainerState[],
  after: readonly ContainerState[],
  project: string,
  scenario: string,
): Finding[] {
  const findings: Finding[] = [];
  for (const container of before) {
    const now = after.find((candidate) => candidate.id === container.id);
    if (now && now.status === 'running') continue;
    const name = shortName(container.name, project);
    findings.push({
      kind: 'exited',
      container: name,
      message: now
        ? `${container.service} (${name}) in ${scenario} stopped during the run (${now.status}, exit code ${now.exitCode}${now.oomKilled ? ', killed for lack of memory' : ''}).`
        : `${container.service} (${name}) in ${scenario} disappeared during the run.`,
    });
  }
  return findings;
}

/** Counts error lines in each container's log since the scenario started. */
async function addLogErrors(
  containers: readonly ContainerState[],
  resources: ContainerResources[],
  findings: Finding[],
  options: {
    since: Date;
    env: NodeJS.ProcessEnv;
    settings: MonitorSettings;
    scenario: string;
    project: string;
  },
): Promise<void> {
  for (const container of containers) {
    const name = shortName(container.name, options.project);
    const summary = resources.find((item) => item.name === name);
    if (!summary) continue;
    const counter = new LogErrorCounter(options.settings.logErrorPattern);
    try {
      const read = await runCommand(
        'docker',
        ['logs', '--since', options.since.toISOString(), container.id],
        {
          env: options.env,
          timeoutMs: 60_000,
          onStdout: (chunk) => {
            counter.push(chunk);
          },
          onStderr: (chunk) => {
            counter.push(chunk);
          },
        },
      );
      if (read.exitCode !== 0) {
        summary.notes.push(`log errors: docker logs failed (${read.stderr.trim().slice(0, 200)})`);
        continue;
      }
    } catch (error) {
      summary.notes.push(`log errors: docker logs failed (${describeError(error)})`);
      continue;
    }
    const errors = counter.finish();
    summary.logErrors = errors.count;
    if (errors.count > 0) {
      findings.push({
        kind: 'log-errors',
        container: summary.name,
        message: `Errors in the log of ${summary.service} (${summary.name}) in ${options.scenario}: ${errors.count} error ${errors.count === 1 ? 'line' : 'lines'} during the run.`,
        examples: errors.examples,
      });
    }
  }
}

/** Strips the compose project from a container's name: `api-1` for perf-gate-3f9a1c2e-api-1. */
export function shortName(name: string, project: string): string {
  for (const separator of ['-', '_']) {
    if (name.startsWith(project + separator)) return name.slice(project.length + 1);
  }
  return name;
}

/**
 * Chooses how to read /proc: directly when this process may (as root, or when the containers run
 * as this user), else through `sudo -n`, which GitHub's runners allow. Without either, the figures
 * that need it are left out with a note.
 */
async function chooseReader(pid: number | undefined, logger: Logger): Promise<() => ProcessReader> {
  readerChoice ??= (async () => {
    if (pid === undefined || (await canRead(`/proc/${pid}/fd`))) return () => directReader();
    const sudo = await runCommand('sudo', ['-n', 'true'], { timeoutMs: 10_000 }).catch(
      () => undefined,
    );
    if (sudo?.exitCode === 0) {
      logger.info('Reading open files and sockets of the containers through sudo -n');
      return () => helperReader(['sudo', '-n']);
    }
    logger.warning(
      'Open files and TCP sockets of the containers need root or passwordless sudo; the report leaves them out.',
    );
    return () => directReader();
  })();
  return readerChoice;
}

async function canRead(path: string): Promise<boolean> {
  try {
    await readdir(path);
    return true;
  } catch {
    return false;
  }
}
