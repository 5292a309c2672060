/**
 * The monitor's readers on file trees whose figures are known: /proc/net/tcp tables, cgroup v1 and
 * v2 groups, and a fake /proc.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { locateCgroup, readCgroup } from '../../src/monitor/cgroup.js';
import { ResourceMonitor } from '../../src/monitor/monitor.js';
import {
  directReader,
  helperReader,
  type ProcessReader,
} from '../../src/monitor/process-figures.js';
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

describe('process readers', () => {
  it('read the same sockets and open files directly and through the helper shell', async () => {
    // A listener and one connection to it, both in this process's network namespace, which the
    // host shares with other processes: at least one LISTEN and two ESTABLISHED.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const accepted = new Promise<Socket>((resolve) => server.once('connection', resolve));
    const client = connect(port, '127.0.0.1');
    await new Promise<void>((resolve) => {
      client.once('connect', () => {
        resolve();
      });
    });
    const peer = await accepted;
    const helper = helperReader([]);
    try {
      const direct = await directReader().read(process.pid, [process.pid], { tcp: true });
      const viaHelper = await helper.read(process.pid, [process.pid], { tcp: true });
      const withoutTables = await helper.read(process.pid, [process.pid], { tcp: false });
      expect(withoutTables.tcp).toBeUndefined();
      expect(withoutTables.fds).toBeGreaterThanOrEqual(3);
      for (const figures of [direct, viaHelper]) {
        expect(figures.tcp?.LISTEN).toBeGreaterThanOrEqual(1);
        expect(figures.tcp?.ESTABLISHED).toBeGreaterThanOrEqual(2);
        expect(figures.fds).toBeGreaterThanOrEqual(3);
      }
    } finally {
      helper.close();
      peer.destroy();
      client.destroy();
      server.close();
    }
  });

  it('leave out what cannot be read', async () => {
    const figures = await directReader('/nonexistent').read(1, [1], { tcp: true });
    expect(figures).toEqual({});
  });
});

describe('resource monitor', () => {
  it('limits TCP table reads to their budget', async () => {
    let tcpReads = 0;
    const slowTables: ProcessReader = {
      read: (_netPid, _pids, options) => {
        if (!options.tcp) return Promise.resolve({ fds: 4 });
        tcpReads += 1;
        // A table that takes 20 ms to read may be read once per 2 s within 1 % of a core.
        const until = performance.now() + 20;
        while (performance.now() < until) {
          // Busy, as the kernel is while it walks its socket table.
        }
        return Promise.resolve({ fds: 4, tcp: { LISTEN: 1 } });
      },
      close: () => undefined,
    };
    const root = tree({ 'cgroup/cgroup.controllers': '' });
    const monitor = await ResourceMonitor.start(
      [{ id: 'c1', name: 'api-1', service: 'api', pid: 42 }],
      {
        intervalMs: 10,
        reader: slowTables,
        proc: join(root, 'proc'),
        cgroupRoot: join(root, 'cgroup'),
      },
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    await monitor.loadEnded();
    const recording = await monitor.stop();
    const samples = recording.containers[0]?.samples ?? [];
    expect(samples.length).toBeGreaterThan(5);
    // The first sample, the one at the end of the load and the last one.
    expect(tcpReads).toBe(3);
    expect(samples[0]?.tcp).toEqual({ LISTEN: 1 });
    expect(samples.at(-1)?.tcp).toEqual({ LISTEN: 1 });
    expect(samples.every((sample) => sample.fds === 4)).toBe(true);
    expect(recording.containers[0]?.notes).toEqual([
      'CPU and memory: no control group found for process 42',
    ]);
  });
});
