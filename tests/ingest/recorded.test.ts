/**
 * Ingest over outputs recorded from real k6 and vegeta runs against the demo service: every count
 * and percentile we compute from the per-request output is checked against the tool's own
 * summary of the same run.
 */
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { createEndpointNamer } from '../../src/ingest/endpoint-names.js';
import { ingestK6, ingestVegeta, readSummary } from '../../src/ingest/ingest-scenario.js';
import { openDataStream } from '../../src/ingest/open-file.js';
import type { ScenarioResult } from '../../src/result/types.js';
import { RECORDED } from '../helpers/paths.js';

const fixture = (name: string) => join(RECORDED, name);
const namer = createEndpointNamer('http://127.0.0.1:18090');

async function k6(name: string, warmupMs = 0): Promise<ScenarioResult> {
  return ingestK6({
    name: `k6 ${name}`,
    origin: 'import',
    warmupMs,
    namer,
    jsonOutput: fixture(`k6-${name}.ndjson.gz`),
    summaryFile: fixture(`k6-${name}.summary.json`),
  });
}

async function vegeta(name: string, warmupMs = 0): Promise<ScenarioResult> {
  const path = fixture(`vegeta-${name}.results.bin.gz`);
  return ingestVegeta({
    name: `vegeta ${name}`,
    origin: 'import',
    warmupMs,
    namer,
    results: await openDataStream(path),
    format: 'binary',
    resultsSource: path,
    reportFile: fixture(`vegeta-${name}.report.json`),
  });
}

function sumOf(scenario: ScenarioResult, field: 'requests' | 'failures'): number {
  return scenario.endpoints.reduce((sum, endpoint) => sum + endpoint[field], 0);
}

describe('k6 recorded baseline run', () => {
  it('matches the summary export in every cross-check', async () => {
    const scenario = await k6('baseline');
    const summary = await readSummary(fixture('k6-baseline.summary.json'));
    expect(scenario.total.requests).toBe(summary.requests);
    expect(scenario.crossChecks.map((check) => check.metric)).toEqual(
      expect.arrayContaining(['requests', 'failures', 'p50', 'p90', 'p95', 'p99', 'max', 'mean']),
    );
    for (const check of scenario.crossChecks) {
      expect(check, `${check.metric}: ours ${check.ours}, k6 ${check.tool}`).toMatchObject({
        status: 'match',
      });
    }
  });

  it('splits requests over the five named endpoints', async () => {
    const scenario = await k6('baseline');
    expect(scenario.endpoints.map((endpoint) => endpoint.key)).toEqual([
      'GET /api/calendar?from=2021-01-01&to=2021-03-01',
      'GET /api/movies/42',
      'GET /api/movies/search?q=matrix',
      'GET /api/movies?page=2',
      'GET /health',
    ]);
    expect(sumOf(scenario, 'requests')).toBe(scenario.total.requests);
    const counts = scenario.endpoints.map((endpoint) => endpoint.requests);
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
  });

  it('computes throughput near the requested 30 per second', async () => {
    const scenario = await k6('baseline');
    expect(scenario.total.throughputPerSecond).toBeGreaterThan(28);
    expect(scenario.total.throughputPerSecond).toBeLessThan(32);
    expect(scenario.measuredSeconds).toBeGreaterThan(5.5);
  });

  it('excludes the warm-up from every figure', async () => {
    const whole = await k6('baseline');
    const warmed = await k6('baseline', 2000);
    expect(warmed.warmup.requests).toBeGreaterThan(50);
    expect(warmed.warmup.requests).toBeLessThan(70);
    expect(warmed.warmup.requests + warmed.total.requests).toBe(whole.total.requests);
    expect(warmed.measuredSeconds).toBeGreaterThan(3.5);
    expect(warmed.measuredSeconds).toBeLessThan(4.1);
    // Cross-checks still cover the whole run, warm-up included.
    expect(warmed.crossChecks.find((check) => check.metric === 'requests')?.tool).toBe(
      whole.total.requests,
    );
  });

  it('keeps latency of the slowed calendar endpoint apart', async () => {
    const scenario = await k6('baseline');
    const calendar = scenario.endpoints.find((endpoint) =>
      endpoint.key.startsWith('GET /api/calendar'),
    );
    const health = scenario.endpoints.find((endpoint) => endpoint.key === 'GET /health');
    // The recording slowed /api/calendar by 3 ms.
    expect(calendar?.latency.p50Ms).toBeGreaterThan(3);
    expect(health?.latency.p50Ms).toBeLessThan(3);
  });
});

describe('k6 recorded run with errors', () => {
  it('counts 404s and refused connections as failures', async () => {
    const scenario = await k6('errors');
    expect(scenario.total.requests).toBe(60);
    expect(scenario.total.failures).toBe(40);
    expect(scenario.total.statusCodes).toEqual({ '0': 20, '200': 20, '404': 20 });
    expect(scenario.total.errorRatio).toBeCloseTo(40 / 60, 10);
  });

  it('names endpoints by URL when the script sets no name tag', async () => {
    const scenario = await k6('errors');
    const keys = scenario.endpoints.map((endpoint) => endpoint.key);
    // Loopback origins are dropped from names, so a changed port keeps the endpoint the same.
    expect(keys).toEqual(['GET /api/movies/1', 'GET /api/movies/999999', 'GET /unreachable']);
  });

  it('keeps transport error messages per endpoint', async () => {
    const scenario = await k6('errors');
    const unreachable = scenario.endpoints.find((endpoint) => endpoint.key.includes('unreachable'));
    const messages = Object.keys(unreachable?.errors ?? {});
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain('connection refused');
    expect(Object.values(unreachable?.errors ?? {})).toEqual([20]);
  });

  it('reports the crossed threshold', async () => {
    const scenario = await k6('errors');
    expect(scenario.thresholdsFailed).toEqual(['http_req_failed: rate<0.01']);
    const stdout = await readFile(fixture('k6-errors.stdout.txt'), 'utf8');
    expect(stdout).toContain('k6 exit code: 99');
  });

  it('matches the summary export in every cross-check', async () => {
    const scenario = await k6('errors');
    for (const check of scenario.crossChecks) {
      expect(check, `${check.metric}: ours ${check.ours}, k6 ${check.tool}`).toMatchObject({
        status: 'match',
      });
    }
  });
});

describe('vegeta recorded mixed run', () => {
  it('matches the JSON report in every cross-check', async () => {
    const scenario = await vegeta('mixed');
    expect(scenario.total.requests).toBe(200);
    expect(scenario.crossChecks.filter((check) => check.metric.startsWith('status'))).toHaveLength(
      2,
    );
    for (const check of scenario.crossChecks) {
      expect(check, `${check.metric}: ours ${check.ours}, vegeta ${check.tool}`).toMatchObject({
        status: 'match',
      });
    }
  });

  it('puts the 404s on the missing movie only', async () => {
    const scenario = await vegeta('mixed');
    const missing = scenario.endpoints.find((endpoint) => endpoint.key === 'GET /api/movies/0');
    expect(missing?.statusCodes).toEqual({ '404': 33 });
    expect(missing?.errors).toEqual({ '404 Not Found': 33 });
    const others = scenario.endpoints.filter((endpoint) => endpoint !== missing);
    expect(others).toHaveLength(5);
    for (const endpoint of others) expect(endpoint.failures).toBe(0);
  });

  it('agrees with the text report on the rate', async () => {
    const scenario = await vegeta('mixed');
    const text = await readFile(fixture('vegeta-mixed.report.txt'), 'utf8');
    const rate = Number(/Requests\s+\[total, rate, throughput\]\s+\d+, ([\d.]+)/u.exec(text)?.[1]);
    expect(scenario.total.throughputPerSecond).toBeCloseTo(rate, 0);
  });
});

describe('vegeta recorded refused run', () => {
  it('counts every request without a response as failed', async () => {
    const scenario = await vegeta('refused');
    expect(scenario.total.requests).toBe(20);
    expect(scenario.total.errorRatio).toBe(1);
    expect(scenario.total.statusCodes).toEqual({ '0': 20 });
    expect(scenario.endpoints.map((endpoint) => endpoint.key)).toEqual(['GET /closed']);
  });
});

describe('k6 JSON output reading', () => {
  it('reads the same run plain or gzip-compressed', async () => {
    const plain = await ingestK6({
      name: 'plain',
      origin: 'import',
      warmupMs: 0,
      namer,
      jsonOutput: fixture('k6-errors.ndjson.gz'),
    });
    const chunks: Buffer[] = [];
    for await (const chunk of createReadStream(fixture('k6-errors.ndjson.gz')))
      chunks.push(chunk as Buffer);
    expect(chunks[0]?.[0]).toBe(0x1f);
    expect(plain.total.requests).toBe(60);
  });
});
