/**
 * Ingests one file in a fresh process and prints a JSON line with the elapsed time and the peak
 * resident memory, so each measurement starts from the same state.
 *
 *   node lib/bench/ingest-worker.js vegeta-binary FILE | vegeta-json FILE | k6 FILE
 */
import { createEndpointNamer } from '../src/ingest/endpoint-names.js';
import { ingestK6, ingestVegeta } from '../src/ingest/ingest-scenario.js';
import { openDataStream } from '../src/ingest/open-file.js';

const [mode, file] = process.argv.slice(2);
if (!mode || !file) throw new Error('usage: ingest-worker MODE FILE');

const namer = createEndpointNamer('http://127.0.0.1:8080');
const options = { name: 'bench', origin: 'import' as const, warmupMs: 0, namer };
const started = performance.now();
let requests: number;
if (mode === 'k6') {
  requests = (await ingestK6({ ...options, jsonOutput: file })).total.requests;
} else {
  const format = mode === 'vegeta-json' ? 'json' : 'binary';
  const results = await openDataStream(file);
  requests = (await ingestVegeta({ ...options, results, format, resultsSource: file })).total
    .requests;
}
const elapsedMs = performance.now() - started;
process.stdout.write(
  `${JSON.stringify({ requests, elapsedMs, peakRssMiB: process.resourceUsage().maxRSS / 1024 })}\n`,
);
