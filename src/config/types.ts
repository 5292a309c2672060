/**
 * The resolved configuration: every default applied, every path absolute, every value in the
 * unit its name says. The engine reads only this, never the raw file.
 */

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

/** Absolute limits; an undefined limit is not checked. */
export interface Budgets {
  p50Ms?: number;
  p90Ms?: number;
  p95Ms?: number;
  p99Ms?: number;
  maxMs?: number;
  /** Largest share of failed requests, 0..1. */
  errorRatio?: number;
  /** Lowest acceptable throughput, requests per second. */
  throughputPerSecond?: number;
}

/** Tolerances relative to the baseline; an undefined tolerance is not checked. */
export interface Tolerances {
  /** Allowed relative increase of each latency percentile, 0.1 for +10 %. */
  p50?: number;
  p90?: number;
  p95?: number;
  p99?: number;
  max?: number;
  /** Allowed absolute rise of the error ratio, 0.005 for +0.5 percentage points. */
  errorRatioIncrease?: number;
  /** Allowed relative drop of the throughput, 0.1 for -10 %. */
  throughputDecrease?: number;
  /** Latency changes smaller than this never count as a regression. */
  minLatencyChangeMs: number;
}

export interface Endpoint {
  /** The endpoint's name in results and reports: the configured name, or "METHOD path". */
  key: string;
  method: HttpMethod;
  /** Path and query, starting with `/`. */
  path: string;
  headers: Record<string, string>;
  /** Body sent as is; a mapping from the file arrives here already serialised as JSON. */
  body?: string;
  budgets: Budgets;
  tolerances: Tolerances;
}

export interface TargetSettings {
  /** Absolute paths of the compose files, in the order given. */
  composeFiles: string[];
  /** Base URL without a trailing slash. */
  url: string;
  /** Absolute URL polled until it answers 2xx. */
  readyUrl: string;
  readyTimeoutMs: number;
  build: boolean;
  /** Services to start; empty starts all of them. */
  services: string[];
  /** Variables added to compose's environment for interpolation. */
  env: Record<string, string>;
}

interface SuiteEntryBase {
  /** Unique name of the scenario in results and reports. */
  name: string;
  /** Time at the start of the run that is excluded from the measurement. */
  warmupMs: number;
}

export interface K6Entry extends SuiteEntryBase {
  tool: 'k6';
  /** Absolute path of the script. */
  script: string;
  /** Name of the shipped scenario, when the script is one of perf-gate's own. */
  shipped?: string;
  vus?: number;
  /** Total run time, warm-up included. */
  durationMs?: number;
  ratePerSecond?: number;
  env: Record<string, string>;
}

export interface VegetaEntry extends SuiteEntryBase {
  tool: 'vegeta';
  /** Name of the shipped profile the entry starts from, if any. */
  profile?: string;
  /** Absolute path of a user's targets file; undefined means the configured endpoints. */
  targetsFile?: string;
  targetsFormat: 'http' | 'json';
  ratePerSecond: number;
  /** The rate as vegeta's -rate flag takes it, such as `50/1s`. */
  rateText: string;
  /** Measured attack time; the attack runs for warmupMs + durationMs. */
  durationMs: number;
  /**
   * Rates in turn, already scaled, for a profile that alternates; the first phase is lengthened
   * by the warm-up, and `ratePerSecond` is then their time-weighted mean.
   */
  phases?: { ratePerSecond: number; rateText: string; durationMs: number }[];
  timeoutMs: number;
  workers?: number;
  maxWorkers?: number;
  connections?: number;
  headers: Record<string, string>;
}

export type SuiteEntry = K6Entry | VegetaEntry;

/** The paired design: the base revision's stack, measured alternately with this revision's. */
export interface PairedSettings {
  /** Pairs measured before the first decision. */
  pairs: number;
  /** Pairs an inconclusive comparison may grow to. */
  maxPairs: number;
  base: TargetSettings;
}

/** Limits on each container's resources while the load runs; an undefined limit is not checked. */
export interface ResourceBudgets {
  /** Highest memory in use, in bytes. */
  memoryBytes?: number;
  /** Highest mean CPU, in percent of one core (150 is one and a half cores). */
  cpuPercent?: number;
}

/** Watching the target's containers while the load runs. */
export interface MonitorSettings {
  enabled: boolean;
  /** Time between two samples. */
  intervalMs: number;
  /** How long sampling may go on after the load stops while sockets remain in CLOSE_WAIT. */
  afterLoadMs: number;
  budgets: ResourceBudgets;
  /** Log lines that count as errors, as a regular expression. */
  logErrorPattern: string;
}

/** Metric names as perf-gate.yml writes them. */
export type MetricName = 'p50' | 'p90' | 'p95' | 'p99' | 'max' | 'error-rate' | 'throughput';

export interface Config {
  /** Absolute path of the file read, or a description when the config came from elsewhere. */
  source: string;
  /** Directory that relative paths in the file are resolved against. */
  baseDir: string;
  target: TargetSettings;
  endpoints: Endpoint[];
  suite: SuiteEntry[];
  /** Multiplier applied to durations of shipped scenarios and vegeta entries. */
  scale: number;
  budgets: Budgets;
  tolerances: Tolerances;
  /** Verdict when no baseline exists. */
  onMissingBaseline: 'pass' | 'fail';
  /** Runs of the suite per measurement. */
  repetitions: number;
  /** Chance of any false regression per comparison that the noise-aware tests allow. */
  familyAlpha: number;
  /** Metrics tested and shown but never failing the gate. */
  advisory: MetricName[];
  /** Baseline runs kept in the history. */
  historyLength: number;
  /** Set when base and head are measured alternately on this machine. */
  paired?: PairedSettings;
  monitor: MonitorSettings;
}
