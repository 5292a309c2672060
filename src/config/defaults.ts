/**
 * Defaults applied when perf-gate.yml leaves a value out.
 *
 * The relative tolerances are loose on purpose: a plain tolerance rule compares one run with one
 * stored run, and latency percentiles of two identical runs differ by several percent even on a
 * quiet machine, more in the tail.
 */
import type { Tolerances } from './types.js';

export const DEFAULT_WARMUP_MS = 10_000;
export const DEFAULT_READY_TIMEOUT_MS = 120_000;
export const DEFAULT_VEGETA_TIMEOUT_MS = 30_000;

export const DEFAULT_TOLERANCES: Tolerances = {
  p50: 0.1,
  p90: 0.15,
  p95: 0.15,
  p99: 0.25,
  errorRatioIncrease: 0.005,
  throughputDecrease: 0.1,
  minLatencyChangeMs: 2,
};

/** Chance of any false regression per comparison that the noise-aware tests allow. */
export const DEFAULT_FAMILY_ALPHA = 0.05;

/** Tail percentiles move most between identical runs; by default they inform but never fail. */
export const DEFAULT_ADVISORY = ['p99', 'max'] as const;

/** Baseline runs kept in the history. */
export const DEFAULT_HISTORY_LENGTH = 20;

/** Pairs of the paired design, and the most an inconclusive comparison may add up to. */
export const DEFAULT_PAIRS = 7;
export const DEFAULT_MAX_PAIRS = 12;

/** The suite run when perf-gate.yml has no `suite`. */
export const DEFAULT_SUITE = [{ k6: 'baseline' }, { vegeta: 'baseline' }] as const;

/** The configuration file name looked for when none is given. */
export const DEFAULT_CONFIG_FILE = 'perf-gate.yml';
