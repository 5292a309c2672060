/**
 * Defaults applied when perf-gate.yml leaves a value out.
 */
import type { Tolerances } from './types.js';

export const DEFAULT_WARMUP_MS = 10_000;
export const DEFAULT_READY_TIMEOUT_MS = 120_000;
export const DEFAULT_VEGETA_TIMEOUT_MS = 30_000;

/**
 * The margins: the smallest change worth failing a pull request for. The noise-aware comparisons
 * call a regression only when the change is beyond the margin with confidence, so the margins
 * need not absorb noise themselves; they are set to what a backend team would want to hear about.
 */
export const DEFAULT_TOLERANCES: Tolerances = {
  p50: 0.05,
  p90: 0.1,
  p95: 0.1,
  p99: 0.2,
  errorRatioIncrease: 0.005,
  throughputDecrease: 0.1,
  minLatencyChangeMs: 2,
};

/**
 * The noise that the plain rule, one run against one, assumes because it cannot measure any: its
 * margins are never narrower than these. Latency percentiles of two identical runs differ by
 * several percent even on a quiet machine, more in the tail.
 */
export const ASSUMED_NOISE_FLOOR: Readonly<
  Partial<Record<'p50' | 'p90' | 'p95' | 'p99' | 'throughput', number>>
> = {
  p50: 0.1,
  p90: 0.15,
  p95: 0.15,
  p99: 0.25,
  throughput: 0.1,
};

/** Chance of any false regression per comparison that the noise-aware tests allow. */
export const DEFAULT_FAMILY_ALPHA = 0.05;

/** Tail percentiles move most between identical runs; by default they inform but never fail. */
export const DEFAULT_ADVISORY = ['p99', 'max'] as const;

/**
 * Runs of the suite per measurement outside the paired design. Merging three runs cut the spread
 * of a result between pushes on the test machine by about half (p95 of the search endpoint from
 * 1.9 % to 0.77 %), and with it the history test's margin. With one run, the benchmark in bench/
 * found a +10 % change of the median in 92 % of comparisons, and with three in all of them.
 */
export const DEFAULT_REPETITIONS = 3;

/** Baseline runs kept in the history. */
export const DEFAULT_HISTORY_LENGTH = 20;

/** Pairs of the paired design, and the most an inconclusive comparison may add up to. */
export const DEFAULT_PAIRS = 7;

/** Pairs of A/A runs that a calibration measures. */
export const DEFAULT_CALIBRATION_PAIRS = 10;
export const DEFAULT_MAX_PAIRS = 12;

/**
 * Container monitoring: a sample a second, and after the load up to five seconds more while
 * sockets remain in CLOSE_WAIT, to tell a leak from connections that were closing.
 */
export const DEFAULT_MONITOR_INTERVAL_MS = 1_000;
export const DEFAULT_MONITOR_AFTER_LOAD_MS = 5_000;

/**
 * Log lines that count as errors: a word that Go, Java, Node.js and Python services print with
 * errors, whole and in any case.
 */
export const DEFAULT_LOG_ERROR_PATTERN = '\\b(error|fatal|panic|exception|traceback|critical)\\b';

/** The suite run when perf-gate.yml has no `suite`. */
export const DEFAULT_SUITE = [{ k6: 'baseline' }, { vegeta: 'baseline' }] as const;

/** The configuration file name looked for when none is given. */
export const DEFAULT_CONFIG_FILE = 'perf-gate.yml';
