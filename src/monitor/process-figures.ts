/**
 * Open file descriptors of a container's processes and its sockets by TCP state, from /proc. Both
 * need access to processes of another user. Root reads them directly. Elsewhere, such as on
 * GitHub's runners, a helper shell started once through passwordless `sudo -n` reads them.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createInterface, type Interface } from 'node:readline';

import { countTcpStates, type TcpCounts } from './tcp-states.js';

export interface ProcessFigures {
  /** Open file descriptors of all the given processes together. */
  fds?: number;
  /** Sockets in the network namespace of the given process, by state. */
  tcp?: TcpCounts;
}

export interface ProcessReader {
  /** Reads the open files of `pids`, and the TCP tables of `netPid`'s namespace when `tcp` is set. */
  read(netPid: number, pids: readonly number[], options: { tcp: boolean }): Promise<ProcessFigures>;
  close(): void;
}

/** Reads /proc with this process's own rights. */
export function directReader(proc = '/proc'): ProcessReader {
  return {
    read(netPid, pids, options) {
      const figures: ProcessFigures = {};
      let fds = 0;
      let counted = false;
      for (const pid of pids) {
        try {
          fds += readdirSync(`${proc}/${pid}/fd`).length;
          counted = true;
        } catch {
          // A process that ended between listing and reading, or one this user may not see.
        }
      }
      if (counted) figures.fds = fds;
      if (options.tcp) {
        try {
          const tcp = countTcpStates(readFileSync(`${proc}/${netPid}/net/tcp`, 'utf8'));
          figures.tcp = countTcpStates(readTcp6(`${proc}/${netPid}/net/tcp6`), tcp);
        } catch {
          // Left out; the monitor notes what it could not read.
        }
      }
      return Promise.resolve(figures);
    },
    close: () => undefined,
  };
}

/** Reads the IPv6 table, which a kernel without IPv6 does not have. */
function readTcp6(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/**
 * The helper script: it reads "NETPID TCP PID…" lines and prints for each an "fd N" line per
 * readable process, the tcp and tcp6 tables when TCP is 1, and "end". One shell serves the whole
 * run, so sudo runs once.
 */
const HELPER = [
  'while read -r netpid tcp pids; do',
  // Counting with a glob instead of ls | wc starts no process per sample.
  '  for p in $pids; do',
  '    if [ -r /proc/$p/fd ]; then',
  '      set -- /proc/$p/fd/*',
  '      if [ -L "$1" ]; then echo "fd $#"; else echo "fd 0"; fi',
  '    fi',
  '  done',
  '  if [ "$tcp" = 1 ]; then',
  '    echo tcp',
  '    cat /proc/$netpid/net/tcp /proc/$netpid/net/tcp6 2>/dev/null',
  '  fi',
  '  echo end',
  'done',
].join('\n');

/**
 * Reads /proc through a helper shell run as `prefix sh`: `['sudo', '-n']` on a runner, or no
 * prefix when this process may read everything already (which the tests use).
 *
 * NOTE: the tests and the benchmark run the helper as root without a prefix, so the `sudo -n`
 * path that GitHub's runners take has not run here.
 */
export function helperReader(prefix: readonly string[]): ProcessReader {
  const [command = 'sh', ...rest] = prefix;
  const args = prefix.length > 0 ? [...rest, 'sh', '-c', HELPER] : ['-c', HELPER];
  const child: ChildProcessWithoutNullStreams = spawn(command, args, {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stderr.resume();
  const lines: Interface = createInterface({ input: child.stdout });
  const waiting: ((line: string | undefined) => void)[] = [];
  const buffered: string[] = [];
  lines.on('line', (line) => {
    const next = waiting.shift();
    if (next) next(line);
    else buffered.push(line);
  });
  lines.on('close', () => {
    for (const next of waiting.splice(0)) next(undefined);
  });
  const nextLine = () =>
    new Promise<string | undefined>((resolve) => {
      const line = buffered.shift();
      if (line !== undefined) resolve(line);
      else if (child.exitCode !== null) resolve(undefined);
      else waiting.push(resolve);
    });
  let queue = Promise.resolve();

  return {
    read(netPid, pids, options) {
      const work = queue.then(async () => {
        const figures: ProcessFigures = {};
        if (child.exitCode !== null || !child.stdin.writable) return figures;
        child.stdin.write(`${netPid} ${options.tcp ? 1 : 0} ${pids.join(' ')}\n`);
        let fds: number | undefined;
        let table: string[] | undefined;
        for (;;) {
          const line = await nextLine();
          if (line === undefined || line === 'end') break;
          if (table) table.push(line);
          else if (line === 'tcp') table = [];
          else if (line.startsWith('fd ')) fds = (fds ?? 0) + Number(line.slice(3));
        }
        if (fds !== undefined) figures.fds = fds;
        // The two tables arrive one after the other; their headers name no state and are skipped.
        if (table && table.length > 0) figures.tcp = countTcpStates(['', ...table].join('\n'));
        return figures;
      });
      queue = work.then(
        () => undefined,
        () => undefined,
      );
      return work;
    },
    close() {
      child.stdin.end();
      child.kill();
    },
  };
}
