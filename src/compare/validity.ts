/**
 * Checks whether a scenario's measurement can be trusted at all. A run is invalid when the load
 * generator could not produce the load it was asked for, when there were too few requests for the
 * percentiles, or when the target did not answer during the warm-up; comparing such a run would
 * judge the load generator or the start-up, not the code.
 */
import { formatRate, formatRatio } from '../format.js';
import type { ScenarioResult } from '../result/types.js';

/** Fewest requests per endpoint and run for the percentiles up to p95 to mean anything. */
export const MIN_REQUESTS_PER_RUN = 20;

/** Share of the requested rate below which vegeta counts as not keeping up. */
const MIN_RATE_SHARE = 0.95;

/**
 * A warm-up counts as failed with at least this many failures and an error ratio more than this
 * far above the measured window's.
 */
const WARMUP_FAILURES = 3;
const WARMUP_EXCESS = 0.01;

/**
 * Tells whether the warm-up failed clearly more often than the measured window. Errors a service
 * always returns appear in both, while a target that was not ready fails only at the start.
 */
function warmupFailed(scenario: ScenarioResult): boolean {
  const { requests, failures } = scenario.warmup;
  if (requests === 0 || failures < WARMUP_FAILURES) return false;
  return failures / requests > measuredErrorRatio(scenario) + WARMUP_EXCESS;
}

function measuredErrorRatio(scenario: ScenarioResult): number {
  const { requests, failures } = scenario.total;
  return requests > 0 ? failures / requests : 0;
}

/** Returns why the scenario's measurement is invalid, one sentence per reason; empty when valid. */
export function validityProblems(scenario: ScenarioResult): string[] {
  const problems: string[] = [];
  if (scenario.total.requests === 0) {
    problems.push('no requests were measured; check the warm-up, the duration and the tool output');
    return problems;
  }
  if (scenario.droppedIterations !== undefined && scenario.droppedIterations > 0) {
    problems.push(
      `k6 dropped ${scenario.droppedIterations} iterations: its virtual users could not keep up with the arrival rate; raise vus or lower the rate`,
    );
  }
  const requested = scenario.requestedRatePerSecond;
  const achieved = scenario.achievedRatePerSecond;
  // k6 reports dropped iterations itself; its overall rate also counts the graceful stop.
  if (
    scenario.tool === 'vegeta' &&
    requested !== undefined &&
    achieved !== undefined &&
    achieved < requested * MIN_RATE_SHARE
  ) {
    problems.push(
      `vegeta sent ${formatRate(achieved)} of the requested ${formatRate(requested)}: the load generator could not keep up; lower the rate or raise -max-workers`,
    );
  }
  const runs = scenario.runs ?? 1;
  for (const endpoint of scenario.endpoints) {
    const counts = endpoint.runs?.map((run) => run.requests) ?? [endpoint.requests];
    const fewest = Math.min(...counts);
    if (fewest < MIN_REQUESTS_PER_RUN) {
      problems.push(
        `${endpoint.key} got only ${fewest} request(s) in ${runs > 1 ? 'a run' : 'the run'}; at least ${MIN_REQUESTS_PER_RUN} are needed; raise the rate or the duration`,
      );
    }
  }
  const noResponse = scenario.warmup.noResponse ?? 0;
  if (noResponse > 0) {
    problems.push(
      `${noResponse} request(s) in the warm-up got no response: the target was not ready when the load began; check the ready URL`,
    );
  } else if (warmupFailed(scenario)) {
    const { requests, failures } = scenario.warmup;
    problems.push(
      `${failures} of ${requests} requests in the warm-up failed (${formatRatio(failures / requests)}, against ${formatRatio(measuredErrorRatio(scenario))} afterwards): the target was not ready when the load began; check the ready URL or lengthen the warm-up`,
    );
  }
  return problems;
}
