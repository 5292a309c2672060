/**
 * The stack under test: one compose project with a unique name, started, waited for and always
 * torn down.
 */
import { randomBytes } from 'node:crypto';

import { PROJECT_PREFIX } from '../constants.js';
import { PerfGateError, TargetError, describeError } from '../errors.js';
import type { TargetSettings } from '../config/types.js';
import type { Logger } from '../log.js';
import { lastLines } from '../process/command.js';
import { ComposeProject, type ComposeCli } from './compose.js';
import { inspectContainers, listContainerIds, listNetworkIds } from './containers.js';
import { waitUntilReady } from './readiness.js';

/** Time allowed for `compose up`, builds included. */
const UP_TIMEOUT_MS = 15 * 60_000;

/** Returns a new project name such as perf-gate-3f9a1c2e. */
export function newProjectName(): string {
  return `${PROJECT_PREFIX}-${randomBytes(4).toString('hex')}`;
}

export class Stack {
  readonly project: ComposeProject;
  private started = false;

  constructor(
    readonly target: TargetSettings,
    cli: ComposeCli,
    readonly name: string,
    private readonly logger: Logger,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    this.project = new ComposeProject(cli, {
      name,
      files: target.composeFiles,
      env: { ...env, ...target.env },
    });
  }

  /**
   * Starts the stack and waits until it is ready. On failure the error carries the containers'
   * logs; the caller still has to call stop().
   */
  async start(signal?: AbortSignal): Promise<void> {
    this.started = true;
    const { target } = this;
    this.logger.info(`Starting ${target.composeFiles.join(', ')} as compose project ${this.name}`);
    try {
      await this.project.up({
        build: target.build,
        services: target.services,
        timeoutMs: UP_TIMEOUT_MS,
        signal,
      });
      const readyAfterMs = await waitUntilReady({
        readyUrl: target.readyUrl,
        timeoutMs: target.readyTimeoutMs,
        inspect: () => inspectContainers(this.name, this.project.options.env),
        ...(signal ? { signal } : {}),
      });
      this.logger.info(
        `Target ready after ${(readyAfterMs / 1000).toFixed(1)} s: ${target.readyUrl} answered 2xx`,
      );
    } catch (error) {
      if (signal?.aborted) throw error;
      const logs = await this.logs();
      const message = error instanceof Error ? error.message : String(error);
      throw new TargetError(message, {
        cause: error,
        logs,
        remedy: error instanceof PerfGateError ? error.remedy : undefined,
      });
    }
  }

  /** Returns the containers' recent logs, or a note when they cannot be read. */
  async logs(): Promise<string> {
    try {
      return await this.project.logs();
    } catch (error) {
      return `(the container logs could not be read: ${describeError(error)})`;
    }
  }

  /** Tears the stack down: containers, networks and volumes. Never throws; failures are warnings. */
  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    try {
      const result = await this.project.down();
      if (result.exitCode !== 0) {
        this.logger.warning(
          `compose down for project ${this.name} failed (exit code ${String(result.exitCode)}): ${lastLines(result.stderr, 10)}`,
        );
        return;
      }
      const env = this.project.options.env;
      const [containers, networks] = await Promise.all([
        listContainerIds(this.name, env),
        listNetworkIds(this.name, env),
      ]);
      if (containers.length > 0 || networks.length > 0) {
        this.logger.warning(
          `Project ${this.name} left ${containers.length} container(s) and ${networks.length} network(s) after compose down; ` +
            `remove them with: docker rm -f $(docker ps -aq --filter label=com.docker.compose.project=${this.name})`,
        );
        return;
      }
      this.logger.info(`Stopped and removed compose project ${this.name}`);
    } catch (error) {
      this.logger.warning(`Tearing down project ${this.name} failed: ${describeError(error)}`);
    }
  }
}
