/**
 * Drives docker compose: `docker compose` (v2 and its successors, whose versions jumped from 2.x
 * to 5.x) first, `docker-compose` v1 where the plugin is absent. Only flags that both accept are
 * used; readiness is checked through `docker inspect`, which works the same for both.
 */
import { ToolError } from '../errors.js';
import {
  CommandNotFoundError,
  lastLines,
  runCommand,
  type CommandResult,
} from '../process/command.js';

export interface ComposeCli {
  /** Executable and leading arguments, such as ["docker", "compose"]. */
  command: [string, ...string[]];
  /** Version without a leading v, such as 2.40.3 or 1.29.2. */
  version: string;
  /** 1 for the Python docker-compose, 2 for the Go implementation (2.x and 5.x). */
  generation: 1 | 2;
}

const INSTALL_HINT =
  'Install Docker with the compose plugin (https://docs.docker.com/compose/install/), ' +
  'or set PERF_GATE_COMPOSE to the compose command, such as "docker-compose".';

/**
 * Finds a working compose command. PERF_GATE_COMPOSE ("docker compose" or "docker-compose")
 * forces one.
 */
export async function detectCompose(env: NodeJS.ProcessEnv = process.env): Promise<ComposeCli> {
  const forced = env.PERF_GATE_COMPOSE?.trim();
  const candidates: [string, ...string[]][] = forced
    ? [forced.split(/\s+/u) as [string, ...string[]]]
    : [['docker', 'compose'], ['docker-compose']];
  const failures: string[] = [];
  for (const command of candidates) {
    const [file, ...prefix] = command;
    try {
      const result = await runCommand(file, [...prefix, 'version', '--short'], {
        timeoutMs: 30_000,
        env,
      });
      const version = /(\d+\.\d+\.\d+)/u.exec(result.stdout)?.[1];
      if (result.exitCode === 0 && version) {
        return { command, version, generation: Number(version.split('.')[0]) >= 2 ? 2 : 1 };
      }
      failures.push(
        `${command.join(' ')}: ${lastLines(result.stderr || result.stdout, 2) || `exit code ${String(result.exitCode)}`}`,
      );
    } catch (error) {
      failures.push(
        `${command.join(' ')}: ${error instanceof CommandNotFoundError ? 'not found' : (error as Error).message}`,
      );
    }
  }
  throw new ToolError(`No working docker compose was found (${failures.join('; ')}).`, {
    remedy: INSTALL_HINT,
  });
}

/** The Docker engine's version for the environment fingerprint, or undefined when unknown. */
export async function dockerEngineVersion(
  env: NodeJS.ProcessEnv = process.env,
): Promise<string | undefined> {
  try {
    const result = await runCommand('docker', ['version', '--format', '{{.Server.Version}}'], {
      timeoutMs: 30_000,
      env,
    });
    const version = result.stdout.trim();
    return result.exitCode === 0 && version !== '' ? version : undefined;
  } catch {
    return undefined;
  }
}

export interface ComposeProjectOptions {
  /** Unique project name; every container and network of the run carries it as a label. */
  name: string;
  files: string[];
  /** Environment of every compose command, for interpolation in the compose files. */
  env: NodeJS.ProcessEnv;
}

/** One compose project: the stack under test. */
export class ComposeProject {
  constructor(
    readonly cli: ComposeCli,
    readonly options: ComposeProjectOptions,
  ) {}

  /** Builds (when asked) and starts the services in the background. */
  async up(options: {
    build: boolean;
    services: string[];
    timeoutMs: number;
    signal?: AbortSignal;
  }): Promise<void> {
    const args = ['up', '--detach', ...(options.build ? ['--build'] : []), ...options.services];
    const result = await this.run(args, { timeoutMs: options.timeoutMs, signal: options.signal });
    if (result.exitCode !== 0) {
      const reason = result.timedOut
        ? `timed out after ${Math.round(options.timeoutMs / 1000)} s`
        : `failed with exit code ${String(result.exitCode)}`;
      throw new ToolError(
        `${this.describe('up')} ${reason}:\n${lastLines(result.stderr || result.stdout, 30)}`,
        {
          remedy:
            'Check that the compose files are valid and that every image builds: docker compose config; docker compose build.',
        },
      );
    }
  }

  /** Returns the last `tail` lines of every service's log, with timestamps. */
  async logs(tail = 200): Promise<string> {
    const result = await this.run(['logs', '--no-color', '--timestamps', '--tail', String(tail)], {
      timeoutMs: 60_000,
    });
    return (result.stdout + (result.exitCode === 0 ? '' : `\n${result.stderr}`)).trimEnd();
  }

  /** Stops and removes containers, networks and volumes of the project, orphans included. */
  async down(timeoutMs = 120_000): Promise<CommandResult> {
    return this.run(['down', '--volumes', '--remove-orphans', '--timeout', '10'], { timeoutMs });
  }

  private async run(
    args: string[],
    options: { timeoutMs: number; signal?: AbortSignal | undefined },
  ): Promise<CommandResult> {
    const [file, ...prefix] = this.cli.command;
    const fileArgs = this.options.files.flatMap((path) => ['--file', path]);
    return runCommand(
      file,
      [...prefix, '--project-name', this.options.name, ...fileArgs, ...args],
      {
        env: this.options.env,
        timeoutMs: options.timeoutMs,
        ...(options.signal ? { signal: options.signal } : {}),
      },
    );
  }

  private describe(subcommand: string): string {
    return `${this.cli.command.join(' ')} ${subcommand} (project ${this.options.name})`;
  }
}
