/**
 * Summaries and findings on recordings whose figures are known.
 */
import { describe, expect, it } from 'vitest';

import { exitedContainers } from '../../src/engine/watch.js';
import type { MonitorRecording, ResourceSample } from '../../src/monitor/monitor.js';
import { findingsOf, summarise } from '../../src/monitor/summary.js';
import type { ContainerResources } from '../../src/result/types.js';
import type { ContainerState } from '../../src/target/containers.js';

const MiB = 2 ** 20;

/** Builds a recording of one container: one sample per second, the load ending after `load` seconds. */
function recording(
  seconds: number,
  load: number,
  sample: (second: number) => Omit<ResourceSample, 'atMs'>,
): MonitorRecording {
  return {
    intervalMs: 1000,
    loadEndedAtMs: load * 1000,
    containers: [
      {
        name: 'demo-api-1',
        service: 'api',
        notes: [],
        samples: Array.from({ length: seconds + 1 }, (_, second) => ({
          atMs: second * 1000,
          ...sample(second),
        })),
      },
    ],
  };
}

/** Summarises the recording's only container. */
function summaryOf(...args: Parameters<typeof summarise>): ContainerResources {
  const [container] = summarise(...args);
  if (!container) throw new Error('the recording has no container');
  return container;
}

const healthy = recording(12, 10, (second) => ({
  cpuPercent: second === 0 ? undefined : 20 + (second % 3),
  memoryBytes: 30 * MiB + (second % 2) * MiB,
  fds: 12,
  tcp: { LISTEN: 1, ESTABLISHED: second <= 10 ? 8 : 0, TIME_WAIT: 2 },
}));

describe('resource summary', () => {
  it('computes the figures of the load and what it left', () => {
    const api = summaryOf(healthy, 2000);
    expect(api).toMatchObject({
      name: 'demo-api-1',
      service: 'api',
      samples: 13,
      cpuMaxPercent: 22,
      memoryMaxBytes: 31 * MiB,
      fdsMax: 12,
      establishedMax: 8,
      timeWaitMax: 2,
      closeWaitMax: 0,
      closeWaitAtLoadEnd: 0,
      closeWaitAfterLoad: 0,
      restarts: 0,
      oomKills: 0,
    });
    expect(api.cpuMeanPercent).toBeCloseTo(21, 0);
    expect(api.timeline[1]).toEqual([1, 21, 31, 0]);
  });

  it('finds nothing on a healthy container', () => {
    const api = summaryOf(healthy, 2000);
    expect(findingsOf(api, 'vegeta baseline')).toEqual([]);
  });
});

describe('findings', () => {
  it('names a connection leak that the load left behind', () => {
    const leaking = recording(12, 10, (second) => ({
      tcp: { LISTEN: 1, CLOSE_WAIT: Math.min(second, 10) * 4 },
    }));
    const api = summaryOf(leaking, 2000);
    const findings = findingsOf(api, 'vegeta baseline');
    expect(findings).toEqual([
      {
        kind: 'connection-leak',
        container: 'demo-api-1',
        message:
          'Connection leak in api (demo-api-1) in vegeta baseline: sockets in CLOSE_WAIT rose to 40, and 40 were still there after the load stopped. The service does not close connections that clients closed.',
      },
    ]);
  });

  it('names CLOSE_WAIT that rises during the load even if it clears afterwards', () => {
    const draining = recording(12, 10, (second) => ({
      tcp: { CLOSE_WAIT: second <= 10 ? second * 3 : 0 },
    }));
    const api = summaryOf(draining, 2000);
    expect(findingsOf(api, 'k6 load').map((finding) => finding.message)).toEqual([
      'Connection leak in api (demo-api-1) in k6 load: sockets in CLOSE_WAIT rose to 30, though they closed after the load stopped. The service does not close connections that clients closed.',
    ]);
  });

  it('ignores a few CLOSE_WAIT sockets that close after the load', () => {
    const brief = recording(12, 10, (second) => ({ tcp: { CLOSE_WAIT: second === 10 ? 3 : 0 } }));
    const api = summaryOf(brief, 2000);
    expect(findingsOf(api, 'k6 load')).toEqual([]);
  });

  it('names memory that grows through the measured load', () => {
    const growing = recording(12, 10, (second) => ({ memoryBytes: (20 + second * 5) * MiB }));
    const api = summaryOf(growing, 2000);
    expect(findingsOf(api, 'vegeta baseline').map((finding) => finding.message)).toEqual([
      'Memory growth in api (demo-api-1) in vegeta baseline: from 50 MiB in the first half of the measured load to 70 MiB at its end (+40 %), as a leak grows.',
    ]);
  });

  it('ignores memory that rises with the load to a plateau', () => {
    const ramping = recording(12, 10, (second) => ({
      memoryBytes: (second < 5 ? 10 + second * 10 : 50) * MiB,
    }));
    const api = summaryOf(ramping, 2000);
    expect(findingsOf(api, 'k6 load')).toEqual([]);
  });

  it('ignores memory that grows only during the warm-up', () => {
    const warming = recording(12, 10, (second) => ({
      memoryBytes: (second < 3 ? 10 + second * 20 : 50) * MiB,
    }));
    const api = summaryOf(warming, 3000);
    expect(findingsOf(api, 'vegeta baseline')).toEqual([]);
  });

  it('names restarts and OOM kills', () => {
    const killed = recording(5, 4, (second) => ({ oomKills: second < 3 ? 0 : 1 }));
    const api = summaryOf(killed, 0, new Map([['demo-api-1', 1]]));
    expect(findingsOf(api, 'k6 stress').map((finding) => finding.kind)).toEqual([
      'restart',
      'oom-kill',
    ]);
  });
});

describe('stopped containers', () => {
  const running: ContainerState = {
    id: 'c1',
    name: 'perf-gate-3f9a1c2e-api-1',
    service: 'api',
    status: 'running',
    exitCode: 0,
    restartCount: 0,
    oomKilled: false,
    pid: 42,
  };

  it('names a container that exited during the run, with its exit code', () => {
    const after = [{ ...running, status: 'exited', exitCode: 137, oomKilled: true, pid: 0 }];
    expect(exitedContainers([running], after, 'perf-gate-3f9a1c2e', 'k6 soak')).toEqual([
      {
        kind: 'exited',
        container: 'api-1',
        message:
          'api (api-1) in k6 soak stopped during the run (exited, exit code 137, killed for lack of memory).',
      },
    ]);
  });

  it('names a container that disappeared, and none that still runs', () => {
    expect(exitedContainers([running], [], 'perf-gate-3f9a1c2e', 'k6 soak')[0]?.message).toBe(
      'api (api-1) in k6 soak disappeared during the run.',
    );
    expect(exitedContainers([running], [running], 'perf-gate-3f9a1c2e', 'k6 soak')).toEqual([]);
  });
});
