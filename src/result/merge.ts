/**
 * Merges the results of several runs of one suite into one result: each endpoint's figures cover
 * all runs together (histograms added), and its `runs` list keeps every run's own figures, which
 * the noise-aware comparison uses as samples.
 */
import { LatencyHistogram } from '../ingest/histogram.js';
import type {
  ContainerResources,
  EndpointResult,
  EndpointRunFigures,
  Finding,
  RunDesign,
  RunResult,
  ScenarioResult,
} from './types.js';

/** Merges `runs`, which must come from the same suite, in run order. */
export function mergeRuns(runs: readonly RunResult[], design: RunDesign): RunResult {
  const [first] = runs;
  if (!first) throw new Error('mergeRuns needs at least one run');
  const last = runs[runs.length - 1] ?? first;
  const names = [...new Set(runs.flatMap((run) => run.scenarios.map((scenario) => scenario.name)))];
  return {
    ...first,
    createdAt: last.createdAt,
    design,
    scenarios: names.map((name) =>
      mergeScenarios(runs.map((run) => run.scenarios.find((scenario) => scenario.name === name))),
    ),
  };
}

/** Returns the figures of one endpoint in one run. */
export function runFigures(endpoint: EndpointResult | undefined): EndpointRunFigures {
  if (!endpoint) return { requests: 0, failures: 0 };
  const figures: EndpointRunFigures = { requests: endpoint.requests, failures: endpoint.failures };
  const { latency } = endpoint;
  if (latency.p50Ms !== undefined) figures.p50Ms = latency.p50Ms;
  if (latency.p90Ms !== undefined) figures.p90Ms = latency.p90Ms;
  if (latency.p95Ms !== undefined) figures.p95Ms = latency.p95Ms;
  if (latency.p99Ms !== undefined) figures.p99Ms = latency.p99Ms;
  if (latency.maxMs !== undefined) figures.maxMs = latency.maxMs;
  if (endpoint.throughputPerSecond !== undefined)
    figures.throughputPerSecond = endpoint.throughputPerSecond;
  return figures;
}

function mergeScenarios(scenarios: (ScenarioResult | undefined)[]): ScenarioResult {
  const present = scenarios.filter(
    (scenario): scenario is ScenarioResult => scenario !== undefined,
  );
  const [first] = present;
  if (!first) throw new Error('mergeScenarios needs at least one scenario');
  const measuredSeconds = present.reduce((sum, scenario) => sum + scenario.measuredSeconds, 0);
  const keys = [
    ...new Set(present.flatMap((scenario) => scenario.endpoints.map((endpoint) => endpoint.key))),
  ].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

  const merged: ScenarioResult = {
    ...first,
    measuredSeconds,
    total: mergeEndpoints(
      scenarios.map((scenario) => scenario?.total),
      measuredSeconds,
      first.total.key,
    ),
    endpoints: keys.map((key) =>
      mergeEndpoints(
        scenarios.map((scenario) => scenario?.endpoints.find((endpoint) => endpoint.key === key)),
        measuredSeconds,
        key,
      ),
    ),
    warmup: {
      requests: sum(present.map((scenario) => scenario.warmup.requests)),
      failures: sum(present.map((scenario) => scenario.warmup.failures)),
      noResponse: sum(present.map((scenario) => scenario.warmup.noResponse ?? 0)),
    },
    thresholdsFailed: [...new Set(present.flatMap((scenario) => scenario.thresholdsFailed))],
    crossChecks: present.flatMap((scenario, index) =>
      scenario.crossChecks.map((check) => ({
        ...check,
        metric: `run ${index + 1}: ${check.metric}`,
      })),
    ),
    notes: [...new Set(present.flatMap((scenario) => scenario.notes))],
    runs: scenarios.length,
  };
  const dropped = present.filter((scenario) => scenario.droppedIterations !== undefined);
  if (dropped.length > 0)
    merged.droppedIterations = sum(dropped.map((scenario) => scenario.droppedIterations ?? 0));
  const achieved = present
    .map((scenario) => scenario.achievedRatePerSecond)
    .filter((rate): rate is number => rate !== undefined);
  // The slowest run decides whether the load generator kept up.
  if (achieved.length > 0) merged.achievedRatePerSecond = Math.min(...achieved);
  const monitored = present.filter((scenario) => scenario.resources !== undefined);
  if (monitored.length > 0) {
    merged.resources = mergeResources(monitored.map((scenario) => scenario.resources ?? []));
    merged.findings = mergeFindings(
      monitored.map((scenario) => scenario.findings ?? []),
      monitored.length,
    );
  }
  return merged;
}

/**
 * Merges each container's resources over runs: maxima are the highest of any run, means the mean
 * of the runs' means, counts the sum; the timeline stays the first run's.
 */
function mergeResources(runs: readonly ContainerResources[][]): ContainerResources[] {
  const names = [...new Set(runs.flatMap((run) => run.map((container) => container.name)))];
  return names.map((name) => {
    const present = runs
      .map((run) => run.find((container) => container.name === name))
      .filter((container): container is ContainerResources => container !== undefined);
    const [first] = present;
    if (!first) throw new Error(`mergeResources found no run with ${name}`);
    const merged: ContainerResources = {
      name,
      service: first.service,
      samples: sum(present.map((container) => container.samples)),
      oomKills: sum(present.map((container) => container.oomKills)),
      restarts: sum(present.map((container) => container.restarts)),
      notes: [...new Set(present.flatMap((container) => container.notes))],
      timeline: first.timeline,
    };
    const pick = (key: keyof ContainerResources) =>
      present
        .map((container) => container[key])
        .filter((value): value is number => typeof value === 'number');
    for (const key of ['cpuMeanPercent', 'memoryMeanBytes'] as const) {
      const values = pick(key);
      if (values.length > 0) merged[key] = sum(values) / values.length;
    }
    for (const key of [
      'cpuMaxPercent',
      'memoryMaxBytes',
      'fdsMax',
      'establishedMax',
      'timeWaitMax',
      'closeWaitMax',
      'closeWaitAtLoadEnd',
      'closeWaitAfterLoad',
    ] as const) {
      const values = pick(key);
      if (values.length > 0) merged[key] = Math.max(...values);
    }
    const logErrors = pick('logErrors');
    if (logErrors.length > 0) merged.logErrors = sum(logErrors);
    return merged;
  });
}

/** Keeps one finding per kind and container, the first run's, saying in how many runs it fired. */
function mergeFindings(runs: readonly Finding[][], runCount: number): Finding[] {
  const merged: Finding[] = [];
  for (const finding of runs.flat()) {
    if (merged.some((item) => item.kind === finding.kind && item.container === finding.container))
      continue;
    const times = runs.filter((run) =>
      run.some((item) => item.kind === finding.kind && item.container === finding.container),
    ).length;
    merged.push(
      runCount > 1
        ? { ...finding, message: `${finding.message} (in ${times} of ${runCount} runs)` }
        : finding,
    );
  }
  return merged;
}

function mergeEndpoints(
  endpoints: (EndpointResult | undefined)[],
  measuredSeconds: number,
  key: string,
): EndpointResult {
  const present = endpoints.filter(
    (endpoint): endpoint is EndpointResult => endpoint !== undefined,
  );
  const histogram = new LatencyHistogram();
  for (const endpoint of present)
    if (endpoint.histogram) histogram.add(LatencyHistogram.decode(endpoint.histogram));
  const requests = sum(present.map((endpoint) => endpoint.requests));
  const failures = sum(present.map((endpoint) => endpoint.failures));

  const result: EndpointResult = {
    key,
    requests,
    failures,
    statusCodes: addCounts(present.map((endpoint) => endpoint.statusCodes)),
    errors: addCounts(present.map((endpoint) => endpoint.errors)),
    latency: histogram.summarize(),
    runs: endpoints.map(runFigures),
  };
  // Min, max and mean are exact in each run; the histogram keeps them only to its precision.
  const withLatency = present.filter((endpoint) => endpoint.latency.meanMs !== undefined);
  if (withLatency.length > 0) {
    result.latency.minMs = Math.min(
      ...withLatency.map((endpoint) => endpoint.latency.minMs ?? Number.POSITIVE_INFINITY),
    );
    result.latency.maxMs = Math.max(
      ...withLatency.map((endpoint) => endpoint.latency.maxMs ?? Number.NEGATIVE_INFINITY),
    );
    result.latency.meanMs =
      sum(withLatency.map((endpoint) => (endpoint.latency.meanMs ?? 0) * endpoint.requests)) /
      sum(withLatency.map((endpoint) => endpoint.requests));
  }
  const methods = new Set(present.map((endpoint) => endpoint.method));
  if (methods.size === 1 && present[0]?.method !== undefined) result.method = present[0].method;
  if (requests > 0) {
    result.errorRatio = failures / requests;
    result.histogram = histogram.encode();
  }
  if (measuredSeconds > 0) result.throughputPerSecond = requests / measuredSeconds;
  return result;
}

function addCounts(records: Record<string, number>[]): Record<string, number> {
  const total: Record<string, number> = {};
  for (const record of records)
    for (const [key, count] of Object.entries(record)) total[key] = (total[key] ?? 0) + count;
  return total;
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
