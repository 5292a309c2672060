/**
 * Runs the bundled action the way GitHub's runner does: inputs as INPUT_* variables, the event
 * payload in GITHUB_EVENT_PATH, the GITHUB_OUTPUT, GITHUB_STATE and GITHUB_STEP_SUMMARY files, and
 * the post step started with the main step's state as STATE_* variables.
 */
import { spawn } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { FakeGitHub } from './github-server.js';
import { OWNER, REPO } from './github-server.js';
import { ROOT } from './paths.js';

export const ACTION = join(ROOT, 'dist', 'action', 'index.js');

/** The token the tests give the action; no log or file may contain it. */
export const TOKEN = 'ghs_perfGateTestToken0123456789abcdefXYZ';

export interface ActionEvent {
  name: string;
  payload: Record<string, unknown>;
  ref: string;
  sha: string;
  runId: number;
}

export interface StepResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  state: Record<string, string>;
  summary: string;
  /** Folder with the runner's files (RUNNER_TEMP, outputs, summary) for leak checks. */
  runnerDir: string;
}

export interface StepOptions {
  server: FakeGitHub;
  workspace: string;
  event: ActionEvent;
  inputs?: Record<string, string>;
  env?: Record<string, string>;
  /** State saved by the main step, for the post step. */
  state?: Record<string, string>;
  node?: string;
  /** Called with stdout so far, for tests that act on progress. */
  onStdout?: (text: string, kill: () => void) => void;
}

/** Runs the main step (or, with `state`, the post step) of the bundled action. */
export async function runStep(options: StepOptions): Promise<StepResult> {
  const runnerDir = mkdtempSync(join(tmpdir(), 'perf-gate-runner-'));
  const files = {
    output: join(runnerDir, 'output'),
    state: join(runnerDir, 'state'),
    summary: join(runnerDir, 'summary.md'),
    event: join(runnerDir, 'event.json'),
  };
  for (const file of [files.output, files.state, files.summary]) writeFileSync(file, '');
  writeFileSync(files.event, JSON.stringify(options.event.payload));
  mkdirSync(join(runnerDir, 'temp'));
  mkdirSync(join(runnerDir, 'tool-cache'), { recursive: true });

  const inputs = { 'github-token': TOKEN, ...options.inputs };
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: options.event.name,
    GITHUB_EVENT_PATH: files.event,
    GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
    GITHUB_REPOSITORY_OWNER: OWNER,
    GITHUB_REF: options.event.ref,
    GITHUB_SHA: options.event.sha,
    GITHUB_RUN_ID: String(options.event.runId),
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_WORKSPACE: options.workspace,
    GITHUB_OUTPUT: files.output,
    GITHUB_STATE: files.state,
    GITHUB_STEP_SUMMARY: files.summary,
    RUNNER_TEMP: join(runnerDir, 'temp'),
    RUNNER_TOOL_CACHE: join(runnerDir, 'tool-cache'),
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
    DEMO_DOCKERFILE: 'Dockerfile.local',
    ...options.server.env(),
    ...options.env,
  };
  // The runner passes inputs with their names upper-cased and spaces replaced; dashes stay.
  for (const [name, value] of Object.entries(inputs))
    env[`INPUT_${name.replace(/ /gu, '_').toUpperCase()}`] = value;
  for (const [name, value] of Object.entries(options.state ?? {})) env[`STATE_${name}`] = value;

  const { exitCode, stdout, stderr } = await new Promise<{
    exitCode: number | null;
    stdout: string;
    stderr: string;
  }>((resolve, reject) => {
    const child = spawn(options.node ?? process.execPath, [ACTION], {
      cwd: options.workspace,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      options.onStdout?.(out, () => child.kill('SIGKILL'));
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.once('error', reject);
    child.once('close', (code) => {
      resolve({ exitCode: code, stdout: out, stderr: err });
    });
  });

  return {
    exitCode,
    stdout,
    stderr,
    outputs: parseCommandFile(readFileSync(files.output, 'utf8')),
    state: parseCommandFile(readFileSync(files.state, 'utf8')),
    summary: readFileSync(files.summary, 'utf8'),
    runnerDir,
  };
}

/** Parses GITHUB_OUTPUT or GITHUB_STATE: `name<<delimiter`, the value's lines, then the delimiter. */
export function parseCommandFile(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index += 1) {
    const match = /^([^<=]+)<<(.+)$/u.exec(lines[index] ?? '');
    if (!match) continue;
    const [, name = '', delimiter] = match;
    const value: string[] = [];
    for (index += 1; index < lines.length && lines[index] !== delimiter; index += 1)
      value.push(lines[index] ?? '');
    values[name] = value.join('\n');
  }
  return values;
}

/** Lists every file under `directory` whose content contains `secret`. */
export function filesContaining(directory: string, secret: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(directory)) {
    const path = join(directory, entry);
    const info = statSync(path);
    if (info.isDirectory()) found.push(...filesContaining(path, secret));
    else if (info.size < 50 * 2 ** 20 && readFileSync(path).includes(secret)) found.push(path);
  }
  return found;
}

/** Builds the payload of a pull_request event. */
export function pullRequestEvent(options: {
  number: number;
  headSha: string;
  baseRef?: string;
  fromFork?: boolean;
  runId: number;
}): ActionEvent {
  return {
    name: 'pull_request',
    ref: `refs/pull/${options.number}/merge`,
    sha: options.headSha,
    runId: options.runId,
    payload: {
      action: 'synchronize',
      number: options.number,
      repository: { id: 4242, name: REPO, owner: { login: OWNER }, default_branch: 'main' },
      pull_request: {
        number: options.number,
        base: { ref: options.baseRef ?? 'main', repo: { id: 4242 } },
        head: {
          sha: options.headSha,
          ref: 'feature',
          repo: { id: options.fromFork ? 9999 : 4242 },
        },
      },
    },
  };
}

/** Builds the payload of a push event. */
export function pushEvent(options: { branch: string; sha: string; runId: number }): ActionEvent {
  return {
    name: 'push',
    ref: `refs/heads/${options.branch}`,
    sha: options.sha,
    runId: options.runId,
    payload: {
      ref: `refs/heads/${options.branch}`,
      repository: { id: 4242, name: REPO, owner: { login: OWNER }, default_branch: 'main' },
    },
  };
}
