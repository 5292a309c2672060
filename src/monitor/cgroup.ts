/**
 * A container's CPU time, memory and OOM kills, read from its control group: cgroup v2 (GitHub's
 * Ubuntu runners, most current distributions) or v1 (older hosts, Docker's cgroupfs driver). The
 * files are readable by any user, so no privileges are needed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface CgroupLocation {
  version: 1 | 2;
  /** v2: the group's directory. v1: the directories of the cpuacct, memory and pids groups. */
  cpu: string;
  memory: string;
  pids: string;
}

export interface CgroupSample {
  /** CPU time used since the group was created, in nanoseconds. */
  cpuNanoseconds?: number;
  /** Memory in use without the page cache that could be dropped, as `docker stats` shows it. */
  memoryBytes?: number;
  oomKills?: number;
  /** Processes in the group. */
  pids: number[];
}

/** Reads a text file, or undefined when it does not exist or cannot be read. */
export type ReadText = (path: string) => Promise<string | undefined>;

/**
 * Reads a file of /proc or /sys synchronously: these are a few hundred bytes that the kernel
 * writes on demand, and a synchronous read costs a tenth of the CPU of an asynchronous one.
 */
export const readText: ReadText = (path) => {
  try {
    return Promise.resolve(readFileSync(path, 'utf8'));
  } catch {
    return Promise.resolve(undefined);
  }
};

/**
 * Finds the control group of process `pid` from /proc/<pid>/cgroup, under the cgroup file system
 * mounted at `root`.
 */
export async function locateCgroup(
  pid: number,
  options: { proc?: string; root?: string; read?: ReadText } = {},
): Promise<CgroupLocation | undefined> {
  const { proc = '/proc', root = '/sys/fs/cgroup', read = readText } = options;
  const text = await read(join(proc, String(pid), 'cgroup'));
  if (text === undefined) return undefined;
  const entries = text
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [, , controllers = '', path = ''] = /^(\d+):([^:]*):(.*)$/u.exec(line) ?? [];
      return { controllers: controllers.split(','), path };
    });
  // A pure v2 host lists only the unified group ("0::/path") and has cgroup.controllers at the root.
  if (existsSync(join(root, 'cgroup.controllers'))) {
    const unified = entries.find((entry) => entry.controllers.join('') === '');
    if (!unified) return undefined;
    const directory = join(root, unified.path);
    return { version: 2, cpu: directory, memory: directory, pids: directory };
  }
  const v1 = (controller: string): string | undefined => {
    const entry = entries.find((candidate) => candidate.controllers.includes(controller));
    if (!entry) return undefined;
    // The controller may be mounted alone or together with others, such as cpu,cpuacct.
    for (const mount of new Set([controller, entry.controllers.join(',')])) {
      const directory = join(root, mount, entry.path);
      if (existsSync(directory)) return directory;
    }
    return undefined;
  };
  const cpu = v1('cpuacct');
  const memory = v1('memory');
  const pids = v1('pids') ?? memory ?? cpu;
  if (!cpu || !memory || !pids) return undefined;
  return { version: 1, cpu, memory, pids };
}

/** Reads one sample of the group's figures; a figure that cannot be read is left out. */
export async function readCgroup(
  location: CgroupLocation,
  read: ReadText = readText,
): Promise<CgroupSample> {
  const sample: CgroupSample = { pids: [] };
  const procs = await read(join(location.pids, 'cgroup.procs'));
  sample.pids = (procs ?? '')
    .split('\n')
    .filter(Boolean)
    .map(Number)
    .filter((pid) => Number.isInteger(pid) && pid > 0);
  if (location.version === 2) {
    const usage = keyed(await read(join(location.cpu, 'cpu.stat'))).get('usage_usec');
    if (usage !== undefined) sample.cpuNanoseconds = usage * 1000;
    const current = number(await read(join(location.memory, 'memory.current')));
    const inactive = keyed(await read(join(location.memory, 'memory.stat'))).get('inactive_file');
    if (current !== undefined) sample.memoryBytes = Math.max(0, current - (inactive ?? 0));
    const oom = keyed(await read(join(location.memory, 'memory.events'))).get('oom_kill');
    if (oom !== undefined) sample.oomKills = oom;
  } else {
    const usage = number(await read(join(location.cpu, 'cpuacct.usage')));
    if (usage !== undefined) sample.cpuNanoseconds = usage;
    const current = number(await read(join(location.memory, 'memory.usage_in_bytes')));
    const inactive = keyed(await read(join(location.memory, 'memory.stat'))).get(
      'total_inactive_file',
    );
    if (current !== undefined) sample.memoryBytes = Math.max(0, current - (inactive ?? 0));
    const oom = keyed(await read(join(location.memory, 'memory.oom_control'))).get('oom_kill');
    if (oom !== undefined) sample.oomKills = oom;
  }
  return sample;
}

/** Parses "key value" lines into numbers. */
function keyed(text: string | undefined): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of (text ?? '').split('\n')) {
    const [key, value] = line.trim().split(/\s+/u);
    if (key && value !== undefined && /^\d+$/u.test(value)) values.set(key, Number(value));
  }
  return values;
}

function number(text: string | undefined): number | undefined {
  const trimmed = text?.trim();
  return trimmed && /^\d+$/u.test(trimmed) ? Number(trimmed) : undefined;
}
