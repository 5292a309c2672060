/**
 * Benchmark of the container monitoring's cost: the CPU that perf-gate spends sampling a running
 * stack, as a share of one core. It covers one container and a stack of ten, with /proc read
 * directly and through the helper shell that `sudo -n` starts on GitHub's runners.
 *
 *   npm run bench:monitor                 60 s per case
 *   npm run bench:monitor -- --seconds 20
 *
 * Needs Docker with compose and Go (to build the demo). Writes bench/results/monitor.md.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, release } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { markdownTable } from 'markdown-table';

import { ResourceMonitor, type MonitoredContainer } from '../src/monitor/monitor.js';
import { directReader, helperReader, type ProcessReader } from '../src/monitor/process-figures.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const demo = join(root, 'examples', 'movies-api');
const output = join(root, 'bench', 'results', 'monitor.md');
const { values } = parseArgs({ options: { seconds: { type: 'string', default: '60' } } });
const seconds = Number(values.seconds);
if (!(seconds >= 5)) {
  process.stderr.write('--seconds takes a number of at least 5\n');
  process.exit(2);
}

const project = `perf-gate-bench-monitor-${process.pid}`;
const env = { ...process.env, DEMO_PORT: '18190', DEMO_DOCKERFILE: 'Dockerfile.local' };
const compose = (...args: string[]) =>
  execFileSync('docker', ['compose', '-p', project, ...args], { cwd: demo, env, encoding: 'utf8' });

interface Case {
  label: string;
  containers: number;
  reader: () => ProcessReader;
  /** The helper's process id, whose CPU counts too, once it started. */
  helper: boolean;
}

const cases: Case[] = [
  {
    label: 'one container, /proc read directly',
    containers: 1,
    reader: () => directReader(),
    helper: false,
  },
  {
    label: 'ten containers, /proc read directly',
    containers: 10,
    reader: () => directReader(),
    helper: false,
  },
  {
    label: 'one container, through the helper shell',
    containers: 1,
    reader: () => helperReader([]),
    helper: true,
  },
  {
    label: 'ten containers, through the helper shell',
    containers: 10,
    reader: () => helperReader([]),
    helper: true,
  },
];

execFileSync('go', ['build', '-trimpath', '-ldflags=-s -w', '-o', 'movies-api', '.'], {
  cwd: demo,
  env: { ...process.env, CGO_ENABLED: '0' },
  stdio: 'inherit',
});
const rows: string[][] = [];
try {
  compose('up', '--build', '--detach', '--wait');
  const id = compose('ps', '--quiet', 'api').trim();
  const pid = Number(
    execFileSync('docker', ['inspect', '--format', '{{.State.Pid}}', id], {
      encoding: 'utf8',
    }).trim(),
  );
  for (const item of cases) {
    // The same container, watched as if the stack had this many: each costs the same reads.
    const containers: MonitoredContainer[] = Array.from(
      { length: item.containers },
      (_, index) => ({
        id,
        name: `api-${index + 1}`,
        service: 'api',
        pid,
      }),
    );
    // Children that exist already, such as an earlier case's helper that is still ending, do
    // not count.
    const earlier = new Set(children());
    const before = process.cpuUsage();
    const began = process.hrtime.bigint();
    const reader = item.reader();
    const monitor = await ResourceMonitor.start(containers, { intervalMs: 1000, reader });
    await new Promise((resolveWait) => setTimeout(resolveWait, seconds * 1000));
    // Read the helper's CPU before stop() ends it.
    const helperMs = item.helper
      ? children()
          .filter((child) => !earlier.has(child))
          .reduce((sum, child) => sum + cpuMsOf(child), 0)
      : 0;
    const recording = await monitor.stop();
    const wallMs = Number(process.hrtime.bigint() - began) / 1e6;
    const used = process.cpuUsage(before);
    const ownMs = (used.user + used.system) / 1000;
    const samples = recording.containers.reduce((sum, series) => sum + series.samples.length, 0);
    const share = ((ownMs + helperMs) / wallMs) * 100;
    rows.push([
      item.label,
      String(samples),
      (ownMs / samples).toFixed(2),
      item.helper ? (helperMs / samples).toFixed(2) : '–',
      `${share.toFixed(2)} %`,
    ]);
    process.stderr.write(
      `${item.label}: ${share.toFixed(2)} % of one core over ${samples} samples\n`,
    );
  }
} finally {
  compose('down', '--volumes', '--timeout', '5');
}

const machine = `${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${cpus().length} cores, Linux ${release()}, Node.js ${process.version}`;
const text = [
  '# Container monitoring: cost',
  '',
  `Measured ${new Date().toISOString().slice(0, 10)} on ${machine}, with \`npm run bench:monitor\`: one`,
  `demo container sampled once a second for ${seconds} s per case. A stack of ten is the same`,
  'container watched ten times over, which costs the same reads. The helper shell is what `sudo -n`',
  'starts on a runner where perf-gate is not root; here it runs without sudo.',
  '',
  markdownTable(
    [
      [
        'Case',
        'Samples',
        'perf-gate CPU per sample, ms',
        'Helper CPU per sample, ms',
        'Share of one core',
      ],
      ...rows,
    ],
    { align: ['l', 'r', 'r', 'r', 'r'] },
  ),
  '',
  'Once per scenario, after the load, perf-gate also runs `docker inspect` and `docker logs` for',
  'each container; that is a few process starts per scenario, not per second.',
  '',
].join('\n');
writeFileSync(output, text);
process.stderr.write(`wrote ${output}\n`);

/** Process ids of this process's children. */
function children(): string[] {
  return readFileSync(`/proc/${process.pid}/task/${process.pid}/children`, 'utf8')
    .trim()
    .split(/\s+/u)
    .filter(Boolean);
}

/** CPU time of a process and of the children it waited for, in milliseconds, from /proc. */
function cpuMsOf(pid: string): number {
  const ticksPerSecond = 100;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    // utime, stime, cutime, cstime.
    const ticks = [11, 12, 13, 14].reduce((sum, index) => sum + Number(fields[index] ?? 0), 0);
    return (ticks / ticksPerSecond) * 1000;
  } catch {
    // The child ended between listing and reading.
    return 0;
  }
}
