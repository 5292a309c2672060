/**
 * Waits until the stack is ready: every container running, every container with a health check
 * healthy, and the ready URL answering 2xx. Polls with a deadline; no fixed sleeps.
 */
import { setTimeout as sleep } from 'node:timers/promises';

import { TargetError } from '../errors.js';
import type { ContainerState } from './containers.js';

export interface ReadinessOptions {
  readyUrl: string;
  timeoutMs: number;
  /** Reads the current container states. */
  inspect: () => Promise<ContainerState[]>;
  signal?: AbortSignal;
  /** Time between polls. */
  intervalMs?: number;
}

/** What the last poll found; the error message quotes it when the deadline passes. */
type Check = { ready: true } | { ready: false; reason: string; fatal?: boolean };

/** Resolves with the time it took once ready; throws a TargetError when the deadline passes or a container fails. */
export async function waitUntilReady(options: ReadinessOptions): Promise<number> {
  const started = Date.now();
  const deadline = started + options.timeoutMs;
  const interval = options.intervalMs ?? 500;
  let lastReason = 'not checked yet';

  while (Date.now() < deadline) {
    options.signal?.throwIfAborted();
    const containers = checkContainers(await options.inspect());
    if (!containers.ready) {
      if (containers.fatal) throw new TargetError(containers.reason);
      lastReason = containers.reason;
    } else {
      const answer = await probe(
        options.readyUrl,
        Math.min(5_000, Math.max(1, deadline - Date.now())),
      );
      if (answer.ready) return Date.now() - started;
      lastReason = answer.reason;
    }
    await sleep(interval, undefined, options.signal ? { signal: options.signal } : undefined);
  }
  throw new TargetError(
    `The target was not ready after ${Math.round(options.timeoutMs / 1000)} s: ${lastReason}.`,
    {
      remedy:
        'Check the container logs below; raise target.ready-timeout if the service needs longer to start.',
    },
  );
}

/** Judges container states: a container that died or failed its health check ends the wait. */
export function checkContainers(containers: readonly ContainerState[]): Check {
  if (containers.length === 0)
    return { ready: false, reason: 'no container of the project exists yet' };
  for (const container of containers) {
    if (
      (container.status === 'exited' || container.status === 'dead') &&
      (container.exitCode !== 0 || container.oomKilled)
    ) {
      const why = container.oomKilled
        ? 'was killed for running out of memory'
        : `exited with code ${container.exitCode}`;
      return {
        ready: false,
        fatal: true,
        reason: `container ${container.name} (service ${container.service}) ${why}`,
      };
    }
    if (container.health === 'unhealthy') {
      const output = container.lastHealthOutput
        ? `; last health check output: ${container.lastHealthOutput}`
        : '';
      return {
        ready: false,
        fatal: true,
        reason: `container ${container.name} (service ${container.service}) is unhealthy${output}`,
      };
    }
  }
  // A container that exited with 0 is a finished one-off job, such as a migration.
  const waiting = containers.filter(
    (container) =>
      !(container.status === 'exited' && container.exitCode === 0) &&
      (container.status !== 'running' || container.health === 'starting'),
  );
  if (waiting.length > 0) {
    const states = waiting.map(
      (container) =>
        `${container.name} is ${container.health === 'starting' ? 'starting its health check' : container.status}`,
    );
    return { ready: false, reason: states.join(', ') };
  }
  return { ready: true };
}

async function probe(url: string, timeoutMs: number): Promise<Check> {
  try {
    const response = await fetch(url, {
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'manual',
    });
    await response.body?.cancel();
    if (response.status >= 200 && response.status < 300) return { ready: true };
    return { ready: false, reason: `${url} answered ${response.status}` };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return { ready: false, reason: `${url} did not answer (${cause ?? (error as Error).name})` };
  }
}
