/**
 * Names of the action's inputs, outputs and saved state, as action.yml declares them.
 */

export const Inputs = {
  Config: 'config',
  Compose: 'compose',
  Url: 'url',
  Ready: 'ready',
  Suite: 'suite',
  Scale: 'scale',
  BudgetP50: 'budget-p50',
  BudgetP90: 'budget-p90',
  BudgetP95: 'budget-p95',
  BudgetP99: 'budget-p99',
  BudgetMax: 'budget-max',
  BudgetErrorRate: 'budget-error-rate',
  BudgetThroughput: 'budget-throughput',
  ToleranceP50: 'tolerance-p50',
  ToleranceP90: 'tolerance-p90',
  ToleranceP95: 'tolerance-p95',
  ToleranceP99: 'tolerance-p99',
  ToleranceMax: 'tolerance-max',
  ToleranceErrorRate: 'tolerance-error-rate',
  ToleranceThroughput: 'tolerance-throughput',
  MinLatencyChange: 'min-latency-change',
  Mode: 'mode',
  CalibrationPairs: 'calibration-pairs',
  FailOnRegression: 'fail-on-regression',
  FailWithoutBaseline: 'fail-without-baseline',
  Comment: 'comment',
  CommentKey: 'comment-key',
  GithubToken: 'github-token',
  BaselineArtifact: 'baseline-artifact',
  BaselineRetentionDays: 'baseline-retention-days',
  ReportArtifact: 'report-artifact',
  K6Version: 'k6-version',
  VegetaVersion: 'vegeta-version',
} as const;

export const Outputs = {
  Verdict: 'verdict',
  Result: 'result',
  Report: 'report',
  CommentUrl: 'comment-url',
  BaselineUploaded: 'baseline-uploaded',
} as const;

export const State = {
  IsPost: 'isPost',
  /** JSON list of {name, files} of every compose project the main step started. */
  Projects: 'compose-projects',
} as const;

/** Files inside the report artifact that the fork-safe comment workflow reads. */
export const ReportArtifactFiles = {
  Result: 'result.json',
  PullRequest: 'pull-request.json',
  Report: 'report.md',
} as const;
