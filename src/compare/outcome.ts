/**
 * Turns scenario comparisons into the overall verdict, its counts and the sentences that explain a
 * failure. Shared by every comparison rule, so verdicts mean the same whichever rule ran.
 */
import type { ResourceJudgement } from './resources.js';
import type {
  Comparison,
  ComparisonMethod,
  MetricStatus,
  ScenarioComparison,
  Verdict,
} from './types.js';

/** Severity of statuses when one endpoint's status summarises its metrics: higher wins. */
export const SEVERITY: Record<MetricStatus, number> = {
  'over-budget': 8,
  regression: 7,
  inconclusive: 6,
  advisory: 5,
  improvement: 4,
  pass: 3,
  'no-data': 2,
  'no-baseline': 1,
  'not-gated': 0,
};

/** Returns the most severe of `statuses`. */
export function worstStatus(statuses: readonly MetricStatus[]): MetricStatus {
  return statuses.reduce<MetricStatus>(
    (worst, status) => (SEVERITY[status] > SEVERITY[worst] ? status : worst),
    'not-gated',
  );
}

export interface OutcomeInput {
  scenarios: ScenarioComparison[];
  method: ComparisonMethod;
  hasBaseline: boolean;
  onMissingBaseline: 'pass' | 'fail';
  missingScenarios: string[];
  environmentWarnings: string[];
  /** Findings and resource budgets; none when the runs were not monitored. */
  resources?: ResourceJudgement;
}

/** Builds the comparison: counts, failure sentences and the verdict. */
export function buildComparison(input: OutcomeInput): Comparison {
  const failures: string[] = [];
  const counts = { regressions: 0, overBudget: 0, improvements: 0, inconclusive: 0, endpoints: 0 };
  let invalid = false;
  let scenarioFailures = false;
  // A container over its resource budget fails its scenario, as a crossed k6 threshold does.
  for (const breach of input.resources?.overBudget ?? []) {
    input.scenarios
      .find((scenario) => scenario.name === breach.scenario)
      ?.failures.push(breach.message);
  }
  for (const scenario of input.scenarios) {
    for (const reason of scenario.invalid)
      failures.push(`${scenario.name}: invalid run: ${reason}`);
    if (scenario.invalid.length > 0) invalid = true;
    for (const failure of scenario.failures) failures.push(`${scenario.name}: ${failure}`);
    if (scenario.failures.length > 0) scenarioFailures = true;
    for (const endpoint of scenario.endpoints) {
      counts.endpoints += 1;
      for (const metric of endpoint.metrics) {
        if (metric.status === 'regression') counts.regressions += 1;
        if (metric.status === 'over-budget') counts.overBudget += 1;
        if (metric.status === 'improvement') counts.improvements += 1;
        if (metric.status === 'inconclusive') counts.inconclusive += 1;
        if ((metric.status === 'regression' || metric.status === 'over-budget') && metric.reason) {
          failures.push(`${scenario.name}, ${endpoint.key}: ${metric.reason}`);
        }
      }
    }
  }

  // With a baseline, something must have been compared: renamed endpoints, a changed target URL
  // or outputs of different kinds would otherwise pass without a single comparison.
  const endpoints = input.scenarios.flatMap((scenario) => scenario.endpoints);
  const compared = endpoints.filter((endpoint) => endpoint.inBaseline).length;
  if (input.hasBaseline && endpoints.length > 0 && compared === 0) {
    invalid = true;
    const baselineNames = [
      ...new Set(input.scenarios.flatMap((scenario) => scenario.missingEndpoints)),
    ].slice(0, 5);
    failures.push(
      `nothing was compared: none of this run's endpoints is in the baseline (this run: ${[...new Set(endpoints.map((endpoint) => endpoint.key))].slice(0, 5).join(', ')}; baseline: ${baselineNames.join(', ') || 'other scenarios'}). Endpoints are matched by name; record the baseline again if the suite changed.`,
    );
  }
  const findings = input.resources?.findings ?? [];
  const newFindings = findings.filter((finding) => !finding.inBaseline);
  for (const finding of newFindings) failures.push(finding.message);

  // Parts of the baseline that this run did not measure could hide a regression.
  const unmeasured =
    input.missingScenarios.length +
    input.scenarios.reduce((sum, scenario) => sum + scenario.missingEndpoints.length, 0);

  let baseline: Comparison['baseline'] = 'present';
  if (!input.hasBaseline)
    baseline = input.onMissingBaseline === 'fail' ? 'missing-fails' : 'missing';
  if (baseline === 'missing-fails') {
    failures.push(
      'No baseline was found, and the configuration says a missing baseline fails (baseline.missing: fail).',
    );
  }

  let verdict: Verdict;
  if (invalid) verdict = 'invalid';
  else if (counts.regressions > 0) verdict = 'regression';
  else if (newFindings.length > 0) verdict = 'faults';
  else if (counts.overBudget > 0 || scenarioFailures || baseline === 'missing-fails')
    verdict = 'over-budget';
  else if (!input.hasBaseline) verdict = 'no-baseline';
  else if (counts.inconclusive > 0 || unmeasured > 0) verdict = 'inconclusive';
  else if (counts.improvements > 0) verdict = 'improvement';
  else verdict = 'pass';

  return {
    verdict,
    method: input.method,
    baseline,
    failures,
    scenarios: input.scenarios,
    missingScenarios: input.missingScenarios,
    environmentWarnings: input.environmentWarnings,
    findings,
    counts,
  };
}
