/**
 * Open file descriptors of a container's processes and its sockets by TCP state, from /proc. Both
 * need access to processes of another user: root reads them directly; elsewhere, such as on
 * GitHub's runners, a helper shell started once through passwordless `sudo -n` reads them.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { createInterface, type Interface } from 'node:readline';

import { countTcpStates, type TcpCounts } from './tcp-states.js';

export interface ProcessFigures {
  /** Open file descriptors of all the given processes together. */
  fds?: number;
  /** Sockets in the network namespace of the given process, by state. */
  tcp?: TcpCounts;
}

export interface ProcessReader {
  read(netPid: number, pids: readonly number[]): Promise<ProcessFigures>;
  close(): void;
}

/** Reads /proc with this process's own rights. */
export function directReader(proc = '/proc'): ProcessReader {
  return {
    async read(netPid, pids) {
      const figures: ProcessFigures = {};
      let fds = 0;
      let counted = false;
      for (const pid of pids) {
        try {
          fds += (await readdir(`${proc}/${pid}/fd`)).length;
          counted = true;
        } catch {
          // A process that ended between listing and reading, or one this user may not see.
        }
      }
      if (counted) figures.fds = fds;
      try {
        const tcp = countTcpStates(await readFile(`${proc}/${netPid}/net/tcp`, 'utf8'));
        const tcp6 = await readFile(`${proc}/${netPid}/net/tcp6`, 'utf8').catch(() => '');
        figures.tcp = countTcpStates(tcp6, tcp);
      } catch {
        // Left out; the monitor notes what it could not read.
      }
      return figures;
    },
    close: () => undefined,
  };
}

/**
 * The helper: reads "NETPID PID…" lines and answers each with "fd N" per readable process, the
 * tcp and tcp6 tables, and "end". One shell for the whole run keeps the cost of sudo to once.
 */
const HELPER = [
  'while read -r netpid pids; do',
  '  for p in $pids; do',
  '    if [ -d /proc/$p/fd ]; then echo "fd $(ls -U /proc/$p/fd 2>/dev/null | wc -l)"; fi',
  '  done',
  '  echo tcp',
  '  cat /proc/$netpid/net/tcp /proc/$netpid/net/tcp6 2>/dev/null',
  '  echo end',
  'done',
].join('\n');

/**
 * Reads /proc through a helper shell run as `prefix sh`: `['sudo', '-n']` on a runner, or no
 * prefix when this process may read everything already (which the tests use).
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
    read(netPid, pids) {
      const work = queue.then(async () => {
        const figures: ProcessFigures = {};
        if (child.exitCode !== null || !child.stdin.writable) return figures;
        child.stdin.write(`${netPid} ${pids.join(' ')}\n`);
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
