/**
 * Benchmark of ingest: how fast perf-gate reads raw results compared with `vegeta report` on the
 * same results, and whether its memory stays flat as the number of requests grows.
 *
 *   npm run bench:ingest            (needs vegeta on PATH; takes a few minutes)
 *
 * Results are synthetic but shaped like real runs: five endpoints, log-normal latencies, 1 % of
 * responses are 500s. Each measurement runs in a fresh process; the figures are the median of
 * three runs.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const WORKER = join(dirname(fileURLToPath(import.meta.url)), 'ingest-worker.js');
const PATHS = [
  '/health',
  '/api/movies?page=2',
  '/api/movies/42',
  '/api/movies/search?q=matrix',
  '/api/calendar',
];
const RUNS = 3;

interface Measurement {
  elapsedMs: number;
  peakRssMiB: number;
}

/** Yields log-normal latencies in nanoseconds around a median of about 1.5 ms, from a fixed seed. */
function* latencies(): Generator<number> {
  let seed = 42;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  for (;;) {
    const normal = Math.sqrt(-2 * Math.log(random() || 1e-9)) * Math.cos(2 * Math.PI * random());
    yield Math.round(Math.exp(Math.log(1.5e6) + 0.5 * normal));
  }
}

function writeLines(
  path: string,
  count: number,
  line: (index: number, latency: number) => string,
): void {
  const handle = openSync(path, 'w');
  const latency = latencies();
  let buffer: string[] = [];
  for (let index = 0; index < count; index += 1) {
    buffer.push(line(index, latency.next().value as number));
    if (buffer.length === 10_000) {
      writeSync(handle, buffer.join(''));
      buffer = [];
    }
  }
  writeSync(handle, buffer.join(''));
  closeSync(handle);
}

function vegetaResults(path: string, requests: number): void {
  const start = Date.parse('2026-12-01T10:00:00Z');
  writeLines(path, requests, (index, latency) => {
    const code = index % 100 === 7 ? 500 : 200;
    const timestamp = new Date(start + index).toISOString().replace('Z', '000000Z');
    const url = `http://127.0.0.1:8080${PATHS[index % PATHS.length] ?? '/'}`;
    const error = code === 500 ? '500 Internal Server Error' : '';
    return `{"attack":"bench","seq":${index},"code":${code},"timestamp":"${timestamp}","latency":${latency},"bytes_out":0,"bytes_in":120,"error":"${error}","body":null,"method":"GET","url":"${url}","headers":null}\n`;
  });
}

/** k6 writes about a dozen lines per request; this keeps the three that matter plus filler. */
function k6Output(path: string, requests: number): void {
  const start = Date.parse('2026-12-01T10:00:00Z');
  const metrics = [
    'http_reqs',
    'http_req_blocked',
    'http_req_connecting',
    'http_req_tls_handshaking',
    'http_req_sending',
    'http_req_waiting',
    'http_req_receiving',
    'http_req_failed',
    'data_sent',
    'data_received',
    'iteration_duration',
    'iterations',
  ];
  writeLines(path, requests, (index, latency) => {
    const time = new Date(start + index).toISOString();
    const path = PATHS[index % PATHS.length] ?? '/';
    const status = index % 100 === 7 ? '500' : '200';
    const tags = `{"expected_response":"${status === '200'}","group":"","method":"GET","name":"GET ${path}","proto":"HTTP/1.1","scenario":"baseline","status":"${status}","url":"GET ${path}"}`;
    const point = (metric: string, value: number) =>
      `{"metric":"${metric}","type":"Point","data":{"time":"${time}","value":${value},"tags":${tags}}}\n`;
    return (
      point('http_req_duration', latency / 1e6) + metrics.map((metric) => point(metric, 1)).join('')
    );
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function measureWorker(mode: string, file: string): Measurement {
  const runs: Measurement[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    const output = execFileSync(process.execPath, [WORKER, mode, file], {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    });
    runs.push(JSON.parse(output) as Measurement);
  }
  return {
    elapsedMs: median(runs.map((run) => run.elapsedMs)),
    peakRssMiB: median(runs.map((run) => run.peakRssMiB)),
  };
}

function measureVegetaReport(file: string): Measurement {
  const runs: Measurement[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    const started = performance.now();
    // GNU time's %M is the peak resident set in KiB.
    const result = spawnSync(
      '/usr/bin/time',
      ['-f', '%M', 'vegeta', 'report', '-type', 'json', file],
      { encoding: 'utf8' },
    );
    const elapsedMs = performance.now() - started;
    const peakKiB = Number(result.stderr.trim().split('\n').at(-1));
    runs.push({ elapsedMs, peakRssMiB: peakKiB / 1024 });
  }
  return {
    elapsedMs: median(runs.map((run) => run.elapsedMs)),
    peakRssMiB: median(runs.map((run) => run.peakRssMiB)),
  };
}

const format = (measurement: Measurement) =>
  `${(measurement.elapsedMs / 1000).toFixed(2)} s, ${measurement.peakRssMiB.toFixed(0)} MiB`;
const directory = mkdtempSync(join(tmpdir(), 'perf-gate-bench-'));
const rows: string[] = [];
try {
  for (const requests of [100_000, 1_000_000]) {
    const json = join(directory, `vegeta-${requests}.json`);
    const binary = join(directory, `vegeta-${requests}.bin`);
    vegetaResults(json, requests);
    execFileSync('sh', ['-c', `vegeta encode --to gob < "${json}" > "${binary}"`]);
    const report = measureVegetaReport(binary);
    const fromBinary = measureWorker('vegeta-binary', binary);
    const fromJson = measureWorker('vegeta-json', json);
    rows.push(
      `| vegeta | ${requests.toLocaleString('en-US')} | ${format(report)} | ${format(fromBinary)} | ${format(fromJson)} |`,
    );
    rmSync(json);
    rmSync(binary);
  }
  for (const requests of [10_000, 100_000]) {
    const file = join(directory, `k6-${requests}.ndjson`);
    k6Output(file, requests);
    const size = statSync(file).size / 2 ** 20;
    const k6 = measureWorker('k6', file);
    rows.push(
      `| k6 (${size.toFixed(0)} MiB of JSON output) | ${requests.toLocaleString('en-US')} | – | – | ${format(k6)} |`,
    );
    rmSync(file);
  }
} finally {
  rmSync(directory, { recursive: true, force: true });
}

const vegetaVersion = execFileSync('vegeta', ['-version'], { encoding: 'utf8' }).split('\n')[0];
process.stdout.write(
  [
    `Ingest benchmark: ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, Node.js ${process.version}, vegeta ${vegetaVersion?.replace('Version: ', '') ?? ''}`,
    `Median of ${RUNS} runs; each cell is wall time and peak resident memory of the process.`,
    '',
    '| Tool output | Requests | vegeta report -type=json | perf-gate reading binary results | perf-gate reading JSON lines |',
    '| - | -: | -: | -: | -: |',
    ...rows,
    '',
  ].join('\n'),
);
