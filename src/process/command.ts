/**
 * Runs child processes from an argument array, never through a shell, with a timeout and an
 * AbortSignal that stop the child: SIGTERM first, SIGKILL after a grace period.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';

import { ToolError } from '../errors.js';

export interface CommandOptions {
  cwd?: string;
  /** The child's whole environment; defaults to this process's environment. */
  env?: NodeJS.ProcessEnv;
  /** Stops the child after this many milliseconds. */
  timeoutMs?: number;
  /** Stops the child when aborted. */
  signal?: AbortSignal;
  /** Text written to the child's stdin, which is then closed. */
  input?: string;
  /** Receives stderr as it arrives, for progress logging or log files. */
  onStderr?: (chunk: Buffer) => void;
  /** Receives stdout as it arrives, in addition to the captured copy. */
  onStdout?: (chunk: Buffer) => void;
}

export interface CommandResult {
  /** Exit code, or null when a signal ended the child. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** Captured stdout, at most the last MAX_CAPTURE bytes. */
  stdout: string;
  /** Captured stderr, at most the last MAX_CAPTURE bytes. */
  stderr: string;
  /** Whether the timeout stopped the child. */
  timedOut: boolean;
}

/** Bytes of stdout and stderr kept per command; earlier output is dropped. */
const MAX_CAPTURE = 1 << 20;
/** Time a child gets to exit after SIGTERM before SIGKILL. */
const KILL_GRACE_MS = 5_000;

/** The command could not be started because the executable does not exist. */
export class CommandNotFoundError extends ToolError {
  constructor(readonly file: string) {
    super(`${file} was not found.`);
  }
}

/** Runs `file` with `args` to completion and captures its output. */
export async function runCommand(
  file: string,
  args: readonly string[],
  options: CommandOptions = {},
): Promise<CommandResult> {
  const started = startCommand(file, args, options, 'capture');
  return started.done;
}

/**
 * Starts `file` with `args` and hands its stdout over as a stream, for outputs too large to
 * capture. `done` resolves when the child exits; stderr is captured as in runCommand.
 */
export function streamCommand(
  file: string,
  args: readonly string[],
  options: CommandOptions = {},
): { stdout: Readable; done: Promise<CommandResult> } {
  const started = startCommand(file, args, options, 'stream');
  if (!started.child.stdout) throw new ToolError(`${file} started without a stdout stream.`);
  return { stdout: started.child.stdout, done: started.done };
}

function startCommand(
  file: string,
  args: readonly string[],
  options: CommandOptions,
  stdoutMode: 'capture' | 'stream',
): { child: ChildProcess; done: Promise<CommandResult> } {
  const child = spawn(file, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    shell: false,
    stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });

  const stdout = new TailBuffer(MAX_CAPTURE);
  const stderr = new TailBuffer(MAX_CAPTURE);
  if (stdoutMode === 'capture') {
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout.push(chunk);
      options.onStdout?.(chunk);
    });
  }
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr.push(chunk);
    options.onStderr?.(chunk);
  });
  if (options.input !== undefined) child.stdin?.end(options.input);

  let timedOut = false;
  let killTimer: NodeJS.Timeout | undefined;
  const stop = (): void => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    killTimer ??= setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
  };
  const timeout =
    options.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          stop();
        }, options.timeoutMs);
  options.signal?.addEventListener('abort', stop, { once: true });
  if (options.signal?.aborted) stop();

  const done = new Promise<CommandResult>((resolve, reject) => {
    child.once('error', (error: NodeJS.ErrnoException) => {
      cleanup();
      reject(
        error.code === 'ENOENT'
          ? new CommandNotFoundError(file)
          : new ToolError(`Cannot run ${file}: ${error.message}`, { cause: error }),
      );
    });
    child.once('close', (exitCode, signal) => {
      cleanup();
      resolve({ exitCode, signal, stdout: stdout.text(), stderr: stderr.text(), timedOut });
    });
  });

  function cleanup(): void {
    if (timeout) clearTimeout(timeout);
    if (killTimer) clearTimeout(killTimer);
    options.signal?.removeEventListener('abort', stop);
  }

  return { child, done };
}

/** Keeps the last `limit` bytes written to it. */
class TailBuffer {
  private chunks: Buffer[] = [];
  private size = 0;

  constructor(private readonly limit: number) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size > this.limit && this.chunks.length > 1) {
      const dropped = this.chunks.shift();
      this.size -= dropped?.length ?? 0;
    }
  }

  text(): string {
    const joined = Buffer.concat(this.chunks);
    return joined.subarray(Math.max(0, joined.length - this.limit)).toString('utf8');
  }
}

/** Returns the last `lines` lines of `text`, for error messages. */
export function lastLines(text: string, lines = 20): string {
  const all = text.trimEnd().split('\n');
  return all.slice(-lines).join('\n');
}
