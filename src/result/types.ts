/**
 * The result file: everything the comparison and the report need from one run, in one versioned
 * JSON document. Baselines are result files too.
 *
 * Every figure that a tool did not provide is left out rather than written as 0: a missing p99
 * is "unknown", not "0 ms".
 */

/** Bumped whenever a field changes meaning or a required field is added. */
export const RESULT_SCHEMA_VERSION = 1;

/** Latency statistics in milliseconds; a missing field means the source did not provide it. */
export interface LatencySummary {
  minMs?: number;
  meanMs?: number;
  p50Ms?: number;
  p90Ms?: number;
  p95Ms?: number;
  p99Ms?: number;
  maxMs?: number;
}

/** Figures of one endpoint, or of all endpoints of a scenario together. */
export interface EndpointResult {
  /** The configured endpoint name, or "METHOD path". */
  key: string;
  /** HTTP method, when every request of this entry used the same one. */
  method?: string;
  requests: number;
  /** Requests that failed: transport errors and unexpected statuses (by default >= 400). */
  failures: number;
  /** failures / requests, 0..1; absent when there were no requests. */
  errorRatio?: number;
  /** Requests per second over the measured window; absent when the window is empty. */
  throughputPerSecond?: number;
  /** Count per HTTP status; "0" counts requests that got no response. */
  statusCodes: Record<string, number>;
  /** Count per distinct error message, at most a few dozen messages. */
  errors: Record<string, number>;
  latency: LatencySummary;
  /** HDR histogram of latencies in microseconds, compressed and base64-encoded. */
  histogram?: string;
  /**
   * Figures of each run, in run order, when the scenario ran several times (repetitions or the
   * pairs of a paired comparison); the figures above then cover all runs together.
   */
  runs?: EndpointRunFigures[];
}

/** The figures of one endpoint in one run, which the noise-aware comparison uses as samples. */
export interface EndpointRunFigures {
  requests: number;
  failures: number;
  p50Ms?: number;
  p90Ms?: number;
  p95Ms?: number;
  p99Ms?: number;
  maxMs?: number;
  throughputPerSecond?: number;
}

/** A figure recomputed from raw output and compared with the tool's own summary. */
export interface CrossCheck {
  /** Such as `requests` or `p95`. */
  metric: string;
  /** Our figure from the raw per-request output, warm-up included. */
  ours: number;
  /** The tool's figure from its summary. */
  tool: number;
  status: 'match' | 'mismatch';
}

export interface ScenarioResult {
  /** Unique name within the run, such as `k6 baseline`. */
  name: string;
  tool: 'k6' | 'vegeta';
  /** Whether perf-gate ran the tool or read an existing output file. */
  origin: 'run' | 'import';
  /** Wall-clock start of the first request, ISO 8601. */
  startedAt?: string;
  warmupSeconds: number;
  /** Length of the measured window. */
  measuredSeconds: number;
  /** Load settings as given to the tool, for the report's "what was compared" section. */
  settings: Record<string, string | number>;
  /** All endpoints together, measured window only. */
  total: EndpointResult;
  endpoints: EndpointResult[];
  /**
   * Requests sent during the warm-up, which are excluded from every figure above; `noResponse`
   * counts those that got no response at all (refused, reset, timed out).
   */
  warmup: { requests: number; failures: number; noResponse?: number };
  /** The arrival rate the scenario asked the tool for, when it set one. */
  requestedRatePerSecond?: number;
  /** The rate the tool achieved over the whole run, warm-up included, from its own summary. */
  achievedRatePerSecond?: number;
  /** Times the scenario ran; the figures cover all runs together. Absent means one. */
  runs?: number;
  /** Iterations k6 could not start in time (arrival-rate executors); absent for vegeta. */
  droppedIterations?: number;
  /** k6 thresholds that failed (exit code 99); empty when none did. */
  thresholdsFailed: string[];
  crossChecks: CrossCheck[];
  /** Notes for the report, such as endpoints merged because there were too many. */
  notes: string[];
  /** The target's containers while the load ran; absent when monitoring was off. */
  resources?: ContainerResources[];
  /** Faults the monitoring found; absent when monitoring was off, empty when it found none. */
  findings?: Finding[];
  /**
   * All endpoints together over time, one point per second from the first request, warm-up
   * included; of the first run when the scenario ran several times.
   */
  timeline?: TimelinePoint[];
}

/** One second of load: [seconds since the first request, requests, p50 ms, p95 ms]. */
export type TimelinePoint = [number, number, number | null, number | null];

/**
 * A container's resources while a scenario ran. Maxima cover the whole run; means cover the load
 * only. Figures that could not be read are left out, and `notes` gives the reason.
 */
export interface ContainerResources {
  /** The container's name without the compose project, such as `api-1`: the same on every run. */
  name: string;
  service: string;
  samples: number;
  /** CPU in percent of one core. */
  cpuMeanPercent?: number;
  cpuMaxPercent?: number;
  memoryMeanBytes?: number;
  memoryMaxBytes?: number;
  /** Highest memory in the first half of the measured load, and memory at its end. */
  memoryStartBytes?: number;
  memoryEndBytes?: number;
  fdsMax?: number;
  establishedMax?: number;
  timeWaitMax?: number;
  closeWaitMax?: number;
  /** Sockets in CLOSE_WAIT when the load started, when it ended, and in the last sample after it. */
  closeWaitAtStart?: number;
  closeWaitAtLoadEnd?: number;
  closeWaitAfterLoad?: number;
  oomKills: number;
  restarts: number;
  /** Lines of the container's log during the run that look like errors. */
  logErrors?: number;
  notes: string[];
  /** Per sample: [seconds since the load started, CPU %, memory MiB, CLOSE_WAIT]. */
  timeline: [number, number | null, number | null, number | null][];
}

export type FindingKind =
  'connection-leak' | 'memory-growth' | 'restart' | 'oom-kill' | 'log-errors' | 'exited';

/** A fault of the target that the monitoring found while a scenario ran. */
export interface Finding {
  kind: FindingKind;
  /** The container it is about, named as in `ContainerResources.name`. */
  container: string;
  /** One sentence with the figures, for the report. */
  message: string;
  /** Examples for the report, such as the first error lines of the log. */
  examples?: string[];
}

/** Where a run came from. */
export interface RunSource {
  commit?: string;
  ref?: string;
  repository?: string;
  /** Link to the CI run that produced the result. */
  runUrl?: string;
  /** Name of the output file the run was read from, for runs `compare` imported. */
  file?: string;
}

export interface RunEnvironment {
  os: string;
  kernel: string;
  cpuModel: string;
  cpuCount: number;
  memoryBytes: number;
  node: string;
}

/** How the runs of a result were taken. */
export interface RunDesign {
  /** `repeated`: several runs of one stack; `paired`: runs alternating with another stack's. */
  kind: 'single' | 'repeated' | 'paired';
  runs: number;
  /** For paired results, which side this is; the other side's result has the same pairs. */
  role?: 'base' | 'head';
  /** For paired results, the order of each pair, such as ["base-head", "head-base", …]. */
  order?: string[];
}

export interface RunResult {
  schemaVersion: typeof RESULT_SCHEMA_VERSION;
  perfGateVersion: string;
  /** ISO 8601 time the run finished. */
  createdAt: string;
  source: RunSource;
  /** Versions of the tools that produced the data, such as `{ k6: "2.2.0" }`. */
  tools: Record<string, string>;
  environment?: RunEnvironment;
  /** How the runs were taken; absent means a single run. */
  design?: RunDesign;
  scenarios: ScenarioResult[];
}
