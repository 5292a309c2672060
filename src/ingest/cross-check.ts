/**
 * Compares our figures, recomputed from every request of the raw output, with the tool's own
 * summary of the same run. Counts must agree exactly: if they do not, a line was lost or read
 * twice, and the run fails. Latency figures are compared within the precision of each side.
 */
import { IngestError } from '../errors.js';
import type { CrossCheck, LatencySummary } from '../result/types.js';
import type { AllSamples } from './accumulator.js';
import type { ToolSummary } from './tool-summary.js';

const PERCENTILES: [keyof LatencySummary, string, number][] = [
  ['p50Ms', 'p50', 50],
  ['p90Ms', 'p90', 90],
  ['p95Ms', 'p95', 95],
  ['p99Ms', 'p99', 99],
];

/** The histogram's relative resolution at three significant digits, plus rounding to 1 µs. */
const RELATIVE_RESOLUTION = 0.001;
const ABSOLUTE_RESOLUTION_MS = 0.001;

/**
 * Cross-checks `all` against `summary`; throws an IngestError when counts differ, and returns one
 * entry per figure compared.
 */
export function crossCheck(all: AllSamples, summary: ToolSummary, source: string): CrossCheck[] {
  const checks: CrossCheck[] = [];
  const mismatchedCounts: string[] = [];

  const compareCount = (metric: string, ours: number, tool: number | undefined): void => {
    if (tool === undefined) return;
    const status = ours === tool ? 'match' : 'mismatch';
    if (status === 'mismatch')
      mismatchedCounts.push(`${metric}: ${ours} in the raw output, ${tool} in the summary`);
    checks.push({ metric, ours, tool, status });
  };

  compareCount('requests', all.requests, summary.requests);
  compareCount('failures', all.failures, summary.failures);
  if (summary.statusCodes) {
    const codes = new Set([...Object.keys(all.statusCodes), ...Object.keys(summary.statusCodes)]);
    for (const code of [...codes].sort()) {
      compareCount(`status ${code}`, all.statusCodes[code] ?? 0, summary.statusCodes[code] ?? 0);
    }
  }
  if (mismatchedCounts.length > 0) {
    throw new IngestError(
      `The raw output and the summary of ${source} disagree:\n  ${mismatchedCounts.join('\n  ')}`,
      { remedy: 'The raw output may be truncated or mixed with another run; rerun the scenario.' },
    );
  }
  if (all.requests === 0) return checks;

  // k6 interpolates between exact samples; vegeta estimates with a t-digest. Either may land
  // anywhere between neighbouring ranks, so the tool's value must fall inside our band of ranks.
  const rankSlack = Math.max(summary.tool === 'vegeta' ? 1 : 0.5, 100 / all.requests);
  for (const [field, metric, percentile] of PERCENTILES) {
    const tool = summary.latency[field];
    if (tool === undefined) continue;
    const low = all.histogram.percentileMs(percentile - rankSlack);
    const high = all.histogram.percentileMs(percentile + rankSlack);
    const ours = all.histogram.percentileMs(percentile);
    checks.push({ metric, ours, tool, status: withinBand(tool, low, high) ? 'match' : 'mismatch' });
  }

  const exact = all.histogram.summarize();
  for (const [field, metric] of [
    ['maxMs', 'max'],
    ['meanMs', 'mean'],
  ] as const) {
    const tool = summary.latency[field];
    const ours = exact[field];
    if (tool === undefined || ours === undefined) continue;
    checks.push({
      metric,
      ours,
      tool,
      status: withinBand(tool, ours, ours) ? 'match' : 'mismatch',
    });
  }
  return checks;
}

function withinBand(value: number, low: number, high: number): boolean {
  const lower = low * (1 - RELATIVE_RESOLUTION) - ABSOLUTE_RESOLUTION_MS;
  const upper = high * (1 + RELATIVE_RESOLUTION) + ABSOLUTE_RESOLUTION_MS;
  return value >= lower && value <= upper;
}
