/**
 * Latency over time for the report's chart: requests, p50 and p95 of all endpoints together for
 * each second of a run. Each second keeps a coarse log-scale histogram (eight buckets per
 * doubling, so a percentile is within about 4.5 % of the exact one), which is plenty for a chart
 * and costs under a kilobyte per second.
 */
import type { TimelinePoint } from '../result/types.js';

/** Buckets per doubling of latency, and the lowest latency the buckets distinguish. */
const BUCKETS_PER_OCTAVE = 8;
const LOWEST_MS = 0.01;
/** Covers 0.01 ms to about 5.5 minutes; slower requests land in the last bucket. */
const BUCKETS = 25 * BUCKETS_PER_OCTAVE;
/** Seconds kept; a longer run's later seconds are left out of the timeline. */
export const MAX_TIMELINE_SECONDS = 4 * 3600;

export class LatencyTimeline {
  private readonly seconds = new Map<number, Uint32Array>();
  private startMs: number | undefined;

  /** Sets the time that second 0 starts at; without it, the first sample's time is used. */
  setStart(timestampMs: number): void {
    this.startMs ??= timestampMs;
  }

  add(timestampMs: number, latencyMs: number): void {
    this.setStart(timestampMs);
    const second = Math.max(0, Math.floor((timestampMs - (this.startMs ?? timestampMs)) / 1000));
    if (second >= MAX_TIMELINE_SECONDS) return;
    let counts = this.seconds.get(second);
    if (!counts) {
      counts = new Uint32Array(BUCKETS);
      this.seconds.set(second, counts);
    }
    counts[bucketOf(latencyMs)] = (counts[bucketOf(latencyMs)] ?? 0) + 1;
  }

  /** Returns one point per second from the first to the last, empty seconds included. */
  points(): TimelinePoint[] {
    if (this.seconds.size === 0) return [];
    const last = Math.max(...this.seconds.keys());
    const points: TimelinePoint[] = [];
    for (let second = 0; second <= last; second += 1) {
      const counts = this.seconds.get(second);
      const requests = counts ? counts.reduce((sum, count) => sum + count, 0) : 0;
      points.push([
        second,
        requests,
        counts && requests > 0 ? percentile(counts, requests, 0.5) : null,
        counts && requests > 0 ? percentile(counts, requests, 0.95) : null,
      ]);
    }
    return points;
  }
}

function bucketOf(latencyMs: number): number {
  if (!(latencyMs > LOWEST_MS)) return 0;
  const index = Math.floor(Math.log2(latencyMs / LOWEST_MS) * BUCKETS_PER_OCTAVE);
  return Math.min(BUCKETS - 1, index);
}

/** Returns the geometric middle of the bucket that contains the `quantile` of the second's requests. */
function percentile(counts: Uint32Array, requests: number, quantile: number): number {
  const rank = Math.ceil(quantile * requests);
  let seen = 0;
  for (let index = 0; index < counts.length; index += 1) {
    seen += counts[index] ?? 0;
    if (seen >= rank) {
      const value = LOWEST_MS * 2 ** ((index + 0.5) / BUCKETS_PER_OCTAVE);
      return Math.round(value * 100) / 100;
    }
  }
  return Math.round(LOWEST_MS * 2 ** (BUCKETS / BUCKETS_PER_OCTAVE) * 100) / 100;
}
