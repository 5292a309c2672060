/**
 * The monitor's readers on file trees whose figures are known: /proc/net/tcp tables, cgroup v1 and
 * v2 groups, and a fake /proc.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { locateCgroup, readCgroup } from '../../src/monitor/cgroup.js';
import { countTcpStates } from '../../src/monitor/tcp-states.js';

const HEADER =
  '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode';

function socket(index: number, state: string): string {
  return `   ${index}: 0100007F:1F90 0100007F:D2F0 ${state} 00000000:00000000 00:00000000 00000000     0        0 ${1000 + index} 1 0000000000000000 20 4 30 10 -1`;
}

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'perf-gate-fs-'));
  for (const [path, text] of Object.entries(files)) {
    const full = join(root, path);
    mkdirSync(join(full, '..'), { recursive: true });
    writeFileSync(full, text);
  }
  return root;
}

describe('TCP states', () => {
  it('counts sockets by state and skips headers', () => {
    const tcp = [HEADER, socket(0, '0A'), socket(1, '01'), socket(2, '08'), socket(3, '08')].join(
      '\n',
    );
    const tcp6 = [HEADER, socket(0, '06'), socket(1, '08'), ''].join('\n');
    expect(countTcpStates(tcp6, countTcpStates(tcp))).toEqual({
      LISTEN: 1,
      ESTABLISHED: 1,
      CLOSE_WAIT: 3,
      TIME_WAIT: 1,
    });
  });

  it('reads an empty table as no sockets', () => {
    expect(countTcpStates(`${HEADER}\n`)).toEqual({});
  });
});

describe('control groups', () => {
  it('reads a v2 group', async () => {
    const root = tree({
      'proc/42/cgroup': '0::/system.slice/docker-abc.scope\n',
      'cgroup/cgroup.controllers': 'cpu memory pids\n',
      'cgroup/system.slice/docker-abc.scope/cpu.stat': 'usage_usec 1500000\nuser_usec 1000000\n',
      'cgroup/system.slice/docker-abc.scope/memory.current': '52428800\n',
      'cgroup/system.slice/docker-abc.scope/memory.stat': 'anon 40000000\ninactive_file 10485760\n',
      'cgroup/system.slice/docker-abc.scope/memory.events':
        'low 0\nhigh 0\nmax 0\noom 1\noom_kill 1\n',
      'cgroup/system.slice/docker-abc.scope/cgroup.procs': '42\n57\n',
    });
    const location = await locateCgroup(42, {
      proc: join(root, 'proc'),
      root: join(root, 'cgroup'),
    });
    expect(location).toEqual({
      version: 2,
      cpu: join(root, 'cgroup/system.slice/docker-abc.scope'),
      memory: join(root, 'cgroup/system.slice/docker-abc.scope'),
      pids: join(root, 'cgroup/system.slice/docker-abc.scope'),
    });
    expect(location && (await readCgroup(location))).toEqual({
      cpuNanoseconds: 1_500_000_000,
      memoryBytes: 52_428_800 - 10_485_760,
      oomKills: 1,
      pids: [42, 57],
    });
  });

  it('reads a v1 group with cpu and cpuacct mounted together', async () => {
    const id = 'docker/0120594aa74a';
    const root = tree({
      'proc/7/cgroup': [
        `9:name=systemd:/${id}`,
        `8:pids:/${id}`,
        `4:memory:/${id}`,
        `2:cpu,cpuacct:/${id}`,
        `0::/${id}`,
      ].join('\n'),
      [`cgroup/cpu,cpuacct/${id}/cpuacct.usage`]: '435744681\n',
      [`cgroup/memory/${id}/memory.usage_in_bytes`]: '20971520\n',
      [`cgroup/memory/${id}/memory.stat`]: 'cache 100\ntotal_inactive_file 1048576\n',
      [`cgroup/memory/${id}/memory.oom_control`]: 'oom_kill_disable 0\nunder_oom 0\noom_kill 0\n',
      [`cgroup/pids/${id}/cgroup.procs`]: '7\n',
    });
    const location = await locateCgroup(7, {
      proc: join(root, 'proc'),
      root: join(root, 'cgroup'),
    });
    expect(location?.version).toBe(1);
    expect(location?.cpu).toBe(join(root, 'cgroup/cpu,cpuacct', id));
    expect(location && (await readCgroup(location))).toEqual({
      cpuNanoseconds: 435_744_681,
      memoryBytes: 20_971_520 - 1_048_576,
      oomKills: 0,
      pids: [7],
    });
  });

  it('finds nothing for a process that is gone', async () => {
    const root = tree({ 'cgroup/cgroup.controllers': '' });
    expect(
      await locateCgroup(99, { proc: join(root, 'proc'), root: join(root, 'cgroup') }),
    ).toBeUndefined();
  });
});
