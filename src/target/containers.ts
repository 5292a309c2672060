/**
 * Reads the state of a compose project's containers with `docker ps` and `docker inspect`. Both
 * compose generations label their containers with com.docker.compose.project, so this works for
 * either.
 */
import { ToolError } from '../errors.js';
import { lastLines, runCommand } from '../process/command.js';

export interface ContainerState {
  id: string;
  /** Container name without the leading slash. */
  name: string;
  /** Compose service the container belongs to. */
  service: string;
  /** Docker's state: created, running, restarting, exited, paused, dead. */
  status: string;
  /** Health check state, or undefined when the container has no health check. */
  health?: 'starting' | 'healthy' | 'unhealthy';
  /** Output of the last health check, for error messages. */
  lastHealthOutput?: string;
  exitCode: number;
  restartCount: number;
  oomKilled: boolean;
  /** Host process id of the main process; 0 when the container is not running. */
  pid: number;
}

interface InspectEntry {
  Id: string;
  Name: string;
  RestartCount?: number;
  State: {
    Status: string;
    ExitCode: number;
    Pid?: number;
    OOMKilled?: boolean;
    Health?: { Status: string; Log?: { Output?: string }[] | null };
  };
  Config: { Labels?: Record<string, string> | null };
}

/** Label that docker compose puts on every container and network of a project. */
export const PROJECT_LABEL = 'com.docker.compose.project';

/** Lists the ids of every container of `project`, stopped ones included. */
export async function listContainerIds(project: string, env: NodeJS.ProcessEnv): Promise<string[]> {
  const result = await runCommand(
    'docker',
    ['ps', '--all', '--quiet', '--filter', `label=${PROJECT_LABEL}=${project}`],
    {
      env,
      timeoutMs: 30_000,
    },
  );
  if (result.exitCode !== 0) {
    throw new ToolError(`docker ps failed: ${lastLines(result.stderr, 5)}`, {
      remedy: 'Check that the Docker engine is running: docker info.',
    });
  }
  return result.stdout
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
}

/** Lists the ids of every network of `project`. */
export async function listNetworkIds(project: string, env: NodeJS.ProcessEnv): Promise<string[]> {
  const result = await runCommand(
    'docker',
    ['network', 'ls', '--quiet', '--filter', `label=${PROJECT_LABEL}=${project}`],
    {
      env,
      timeoutMs: 30_000,
    },
  );
  return result.exitCode === 0
    ? result.stdout
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean)
    : [];
}

/** Inspects the containers of `project`. */
export async function inspectContainers(
  project: string,
  env: NodeJS.ProcessEnv,
): Promise<ContainerState[]> {
  const ids = await listContainerIds(project, env);
  if (ids.length === 0) return [];
  const result = await runCommand('docker', ['inspect', ...ids], { env, timeoutMs: 30_000 });
  // A container removed between ps and inspect makes inspect fail; the next poll sees the change.
  if (result.exitCode !== 0 && result.stdout.trim() === '') return [];
  let entries: InspectEntry[];
  try {
    entries = JSON.parse(result.stdout) as InspectEntry[];
  } catch (error) {
    throw new ToolError(
      `docker inspect printed something other than JSON: ${result.stdout.slice(0, 200)}`,
      { cause: error },
    );
  }
  return entries.map((entry) => {
    const health = entry.State.Health?.Status;
    const log = entry.State.Health?.Log ?? [];
    const state: ContainerState = {
      id: entry.Id,
      name: entry.Name.replace(/^\//u, ''),
      service: entry.Config.Labels?.['com.docker.compose.service'] ?? entry.Name,
      status: entry.State.Status,
      exitCode: entry.State.ExitCode,
      restartCount: entry.RestartCount ?? 0,
      oomKilled: entry.State.OOMKilled ?? false,
      pid: entry.State.Pid ?? 0,
    };
    if (health === 'starting' || health === 'healthy' || health === 'unhealthy')
      state.health = health;
    const lastOutput = log.at(-1)?.Output?.trim();
    if (lastOutput) state.lastHealthOutput = lastOutput;
    return state;
  });
}
