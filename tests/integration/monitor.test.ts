/**
 * Container monitoring on the demo. The sampler reads figures that are known. Each fault the demo
 * can be switched into (a connection leak, a memory leak, errors in the log, a crash) is named in
 * the verdict and the report. run.test.ts checks that the healthy demo has no findings.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeAll, describe, expect, it } from 'vitest';

import { ResourceMonitor } from '../../src/monitor/monitor.js';
import { directReader } from '../../src/monitor/process-figures.js';
import type { RunResult } from '../../src/result/types.js';
import {
  buildDemoBinary,
  freePort,
  integrationGate,
  leftovers,
  noteExistingStacks,
  runCli,
} from '../helpers/integration.js';
import { ROOT } from '../helpers/paths.js';

const CONFIG = join(ROOT, 'tests', 'integration', 'monitor.yml');
const DEMO = join(ROOT, 'examples', 'movies-api');
const gate = integrationGate();
const asRoot = process.getuid?.() === 0;

interface JsonOutput {
  verdict: string;
  failures: string[];
  result: string;
  report: string;
}

/** Sends one GET that closes its connection, and waits for the whole response. */
function getAndClose(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const sent = request(
      { host: '127.0.0.1', port, path, agent: false, headers: { connection: 'close' } },
      (response) => {
        response.resume();
        response.once('end', () => {
          resolve(response.statusCode ?? 0);
        });
      },
    );
    sent.once('error', reject);
    sent.end();
  });
}

describe.skipIf(gate.skip)('container monitoring on the demo', () => {
  const work = mkdtempSync(join(tmpdir(), 'perf-gate-monitor-'));

  beforeAll(() => {
    noteExistingStacks();
    buildDemoBinary();
  });

  afterEach(() => {
    expect(leftovers()).toEqual({ containers: [], networks: [] });
  });

  it.skipIf(!asRoot)(
    'reads the sockets of a container that holds a known number of them',
    async () => {
      const port = await freePort();
      const project = `perf-gate-sampler-${process.pid}`;
      const env = {
        ...process.env,
        DEMO_PORT: String(port),
        DEMO_DOCKERFILE: 'Dockerfile.local',
        DEMO_LEAK_CONNECTIONS: '/api/movies/{id}',
      };
      const compose = (...args: string[]) =>
        execFileSync('docker', ['compose', '-p', project, ...args], {
          cwd: DEMO,
          env,
          encoding: 'utf8',
        });
      try {
        compose('up', '--build', '--detach', '--wait');
        const id = compose('ps', '--quiet', 'api').trim();
        const pid = Number(
          execFileSync('docker', ['inspect', '--format', '{{.State.Pid}}', id], {
            encoding: 'utf8',
          }).trim(),
        );
        // Five completed requests whose connections the client closed and the server keeps.
        for (let index = 0; index < 5; index += 1)
          expect(await getAndClose(port, `/api/movies/${index + 1}`)).toBe(200);
        const monitor = await ResourceMonitor.start([{ id, name: 'api-1', service: 'api', pid }], {
          intervalMs: 200,
          reader: directReader(),
        });
        await new Promise((resolve) => setTimeout(resolve, 700));
        await monitor.loadEnded();
        const recording = await monitor.stop();
        const [series] = recording.containers;
        expect(series?.notes).toEqual([]);
        const last = series?.samples.at(-1);
        expect(last?.tcp?.CLOSE_WAIT).toBe(5);
        // The service's listener, and Docker's embedded DNS server on a compose network.
        expect(last?.tcp?.LISTEN).toBeGreaterThanOrEqual(1);
        // Five leaked sockets are five open files more than stdin, stdout, stderr and the listener.
        expect(last?.fds).toBeGreaterThanOrEqual(9);
        expect(last?.memoryBytes).toBeGreaterThan(1_000_000);
        expect(last?.processes).toBe(1);
        expect(series?.samples.some((sample) => sample.cpuPercent !== undefined)).toBe(true);
      } finally {
        compose('down', '--volumes', '--timeout', '5');
      }
    },
    180_000,
  );

  it('names leaks and log errors with figures', async () => {
    const run = await runCli(['run', '--config', CONFIG, '--out', join(work, 'leaky'), '--json'], {
      env: {
        DEMO_PORT: String(await freePort()),
        DEMO_LEAK_CONNECTIONS: '/api/movies/{id}',
        DEMO_LEAK_MEMORY: '128KiB',
        DEMO_LOG_ERRORS: '50',
      },
    });
    expect(run.exitCode, run.stderr).toBe(1);
    const output = JSON.parse(run.stdout) as JsonOutput;
    expect(output.verdict).toBe('faults');
    const result = JSON.parse(readFileSync(output.result, 'utf8')) as RunResult;
    const [scenario] = result.scenarios;
    expect(scenario?.findings?.map((finding) => finding.kind).sort()).toEqual(
      asRoot ? ['connection-leak', 'log-errors', 'memory-growth'] : ['log-errors', 'memory-growth'],
    );
    const [api] = scenario?.resources ?? [];
    expect(api?.name).toBe('api-1');
    expect(api?.logErrors).toBeGreaterThanOrEqual(10);
    const report = readFileSync(output.report, 'utf8');
    expect(report).toContain('## ❌ perf-gate: faults under load');
    expect(report).toContain('### Faults found under load');
    expect(report).toMatch(
      /Memory growth in api \(api-1\) in vegeta baseline: from [\d.]+ MiB in the first half of the measured load to [\d.]+ MiB at its end/u,
    );
    expect(report).toMatch(/ERROR GET \/api\/movies\S*: simulated failure of request 50`/u);
    if (asRoot) {
      // Half the requests go by id, and every one of them leaves a socket behind.
      expect(api?.closeWaitMax).toBeGreaterThan(200);
      expect(api?.closeWaitAfterLoad).toBeGreaterThan(200);
      expect(report).toMatch(
        /Connection leak in api \(api-1\) in vegeta baseline: sockets in CLOSE\\?_WAIT rose to \d{3,}, and \d{3,} were still there after the load stopped/u,
      );
      expect(report).toContain('### Containers under load');
    }
  }, 240_000);

  it('names a container that crashed and was restarted', async () => {
    const run = await runCli(['run', '--config', CONFIG, '--out', join(work, 'crash'), '--json'], {
      env: { DEMO_PORT: String(await freePort()), DEMO_CRASH_AFTER: '150' },
    });
    expect(run.exitCode, run.stderr).toBe(1);
    const output = JSON.parse(run.stdout) as JsonOutput;
    const result = JSON.parse(readFileSync(output.result, 'utf8')) as RunResult;
    const kinds = result.scenarios[0]?.findings?.map((finding) => finding.kind) ?? [];
    expect(kinds).toContain('restart');
    // The demo exits at every 150th request it serves, so it may crash more than once.
    const restarts = result.scenarios[0]?.resources?.[0]?.restarts ?? 0;
    expect(restarts).toBeGreaterThanOrEqual(1);
    expect(readFileSync(output.report, 'utf8')).toMatch(
      new RegExp(
        `api \\(api-1\\) in vegeta baseline restarted ${restarts} times? during the run`,
        'u',
      ),
    );
  }, 240_000);
});
