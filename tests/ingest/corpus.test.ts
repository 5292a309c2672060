/**
 * Ingest over real outputs from public repositories, read in place from ../shared/corpus. The
 * expected figures are the tools' own summaries of the same runs.
 */
import { readFile } from 'node:fs/promises';

import { describe, expect, it } from 'vitest';

import { createEndpointNamer } from '../../src/ingest/endpoint-names.js';
import { ingestK6, readSummary } from '../../src/ingest/ingest-scenario.js';
import { detectSummaryFormat } from '../../src/ingest/tool-summary.js';
import { corpusAvailable, corpusFile } from '../helpers/paths.js';

if (!corpusAvailable) {
  // eslint-disable-next-line no-console -- the skip reason must reach the person running the tests
  console.warn('Skipping corpus tests: ../shared/corpus is not present next to this repository.');
}

describe.skipIf(!corpusAvailable)('corpus k6 JSON output', () => {
  it('ticket-reserve matches its summary export', async () => {
    const scenario = await ingestK6({
      name: 'ticket-reserve',
      origin: 'import',
      warmupMs: 0,
      namer: createEndpointNamer('http://localhost:8080'),
      jsonOutput: corpusFile('k6/out-json-ndjson-ticket-reserve.ndjson'),
      summaryFile: corpusFile('k6/summary-export-one-500-error-ticket-reserve.json'),
    });
    expect(scenario.total.requests).toBe(100);
    expect(scenario.total.failures).toBe(1);
    expect(scenario.total.statusCodes).toEqual({ '200': 99, '500': 1 });
    expect(scenario.endpoints.map((endpoint) => endpoint.key)).toEqual(['POST /event/reserve']);
    // The export has the default trend stats: p(90) and p(95), no p(99).
    expect(scenario.crossChecks.map((check) => check.metric)).toEqual([
      'requests',
      'failures',
      'p50',
      'p90',
      'p95',
      'max',
      'mean',
    ]);
    for (const check of scenario.crossChecks) {
      expect(check, `${check.metric}: ours ${check.ours}, k6 ${check.tool}`).toMatchObject({
        status: 'match',
      });
    }
  });

  it('reads the 2021 layout with null tags and tainted fields', async () => {
    const scenario = await ingestK6({
      name: 'trello',
      origin: 'import',
      warmupMs: 0,
      namer: createEndpointNamer('http://localhost:3000'),
      jsonOutput: corpusFile(
        'k6/out-json-ndjson-2021-legacy-tainted-sub-fields-trello.HEAD240.ndjson',
      ),
    });
    expect(scenario.total.requests).toBe(22);
    expect(scenario.total.statusCodes).toEqual({ '200': 20, '201': 2 });
    expect(scenario.total.failures).toBe(0);
    expect(scenario.endpoints.map((endpoint) => endpoint.key)).toEqual([
      'GET /',
      'GET /api/boards',
      'POST /api/boards',
    ]);
  });
});

interface SummaryCase {
  file: string;
  format: string;
  requests: number;
  failures: number;
  p95Ms: number;
  p99Ms?: number;
  thresholdsFailed: string[];
  droppedIterations?: number;
}

const summaryCases: SummaryCase[] = [
  {
    file: 'k6/summary-export-nested-groups-habiba2811.json',
    format: 'k6-summary-export',
    requests: 4,
    failures: 0,
    p95Ms: 245.635895,
    thresholdsFailed: [],
  },
  {
    file: 'k6/summary-export-failed-p95-threshold-429s-752k-reqs-rate-limiter.json',
    format: 'k6-summary-export',
    requests: 752192,
    failures: 171890,
    p95Ms: 165.2882499,
    thresholdsFailed: ['http_req_duration: p(95)<50'],
    droppedIterations: 188,
  },
  {
    file: 'k6/summary-export-ramping-arrival-rate-custom-trends-gateways.json',
    format: 'k6-summary-export',
    requests: 613790,
    failures: 0,
    p95Ms: 83.938906,
    thresholdsFailed: ['fast_latency: p(95)<50'],
    droppedIterations: 7207,
  },
  {
    file: 'k6/handlesummary-data-failed-thresholds-empty-submetrics-mn1809.json',
    format: 'k6-handle-summary',
    requests: 53976,
    failures: 4576,
    p95Ms: 60000.45025,
    thresholdsFailed: ['http_req_duration: p(95)<2000', 'http_req_failed: rate<0.01'],
  },
  {
    file: 'k6/handlesummary-data-minified-petstore.json',
    format: 'k6-handle-summary',
    requests: 45,
    failures: 0,
    p95Ms: 798.57732,
    thresholdsFailed: [],
  },
  {
    file: 'vegeta/report-json-long-tail-p99-5s-seldon-argo-2020.json',
    format: 'vegeta-report',
    requests: 8882,
    failures: 0,
    p95Ms: 368.299307,
    p99Ms: 4982.426813,
    thresholdsFailed: [],
  },
  {
    file: 'vegeta/report-json-v12.7-no-p90-no-min-openprequal-leastlatencyp2c_r1600_20250915T022704Z.json',
    format: 'vegeta-report',
    requests: 7981,
    failures: 6478,
    p95Ms: 30000.472352,
    p99Ms: 30000.960743,
    thresholdsFailed: [],
  },
];

describe.skipIf(!corpusAvailable)('corpus tool summaries', () => {
  it.each(summaryCases)('$file', async (testCase) => {
    const path = corpusFile(testCase.file);
    expect(detectSummaryFormat(JSON.parse(await readFile(path, 'utf8')))).toBe(testCase.format);
    const summary = await readSummary(path);
    expect(summary.requests).toBe(testCase.requests);
    expect(summary.failures).toBe(testCase.failures);
    expect(summary.latency.p95Ms).toBeCloseTo(testCase.p95Ms, 5);
    if (testCase.p99Ms === undefined) expect(summary.latency.p99Ms).toBeUndefined();
    else expect(summary.latency.p99Ms).toBeCloseTo(testCase.p99Ms, 5);
    expect(summary.thresholdsFailed.sort()).toEqual(testCase.thresholdsFailed);
    expect(summary.droppedIterations).toBe(testCase.droppedIterations);
  });

  it('vegeta v12.7 report has no p90 and no min', async () => {
    const summary = await readSummary(
      corpusFile(
        'vegeta/report-json-v12.7-no-p90-no-min-openprequal-leastlatency_r1000_20250915T022033Z.json',
      ),
    );
    expect(summary.latency.p90Ms).toBeUndefined();
    expect(summary.latency.minMs).toBeUndefined();
    expect(summary.latency.p50Ms).toBeCloseTo(18007.510817, 5);
  });

  it('k6 handleSummary duration comes from the state', async () => {
    const summary = await readSummary(corpusFile('k6/handlesummary-data-circleci-orb.json'));
    expect(summary.durationSeconds).toBeCloseTo(8.301648, 6);
  });

  it('k6 summary export duration is derived from the request rate', async () => {
    const summary = await readSummary(
      corpusFile('k6/summary-export-one-500-error-ticket-reserve.json'),
    );
    expect(summary.durationSeconds).toBeCloseTo(100 / 23.738350582489275, 6);
  });
});
