/**
 * Latency histograms on HdrHistogram: constant memory whatever the number of requests, three
 * significant digits of precision, and mergeable across runs.
 */
import * as hdr from 'hdr-histogram-js';

import type { LatencySummary } from '../result/types.js';

/** Values are recorded in whole microseconds; one hour is the largest value kept exactly. */
const HIGHEST_TRACKABLE_US = 3_600_000_000;
const SIGNIFICANT_DIGITS = 3;

export class LatencyHistogram {
  private readonly histogram: hdr.Histogram;
  private sumMs = 0;
  private minMs = Number.POSITIVE_INFINITY;
  private maxMs = Number.NEGATIVE_INFINITY;

  constructor(existing?: hdr.Histogram) {
    this.histogram =
      existing ??
      hdr.build({
        bitBucketSize: 32,
        autoResize: true,
        lowestDiscernibleValue: 1,
        highestTrackableValue: HIGHEST_TRACKABLE_US,
        numberOfSignificantValueDigits: SIGNIFICANT_DIGITS,
        useWebAssembly: false,
      });
    if (existing) {
      this.sumMs = (existing.mean * existing.totalCount) / 1000;
      if (existing.totalCount > 0) {
        this.minMs = existing.minNonZeroValue / 1000;
        this.maxMs = existing.maxValue / 1000;
      }
    }
  }

  /** Number of values recorded. */
  get count(): number {
    return this.histogram.totalCount;
  }

  /** Records one latency in milliseconds; exact min, max and mean are kept beside the buckets. */
  record(latencyMs: number): void {
    const clamped = Math.max(0, latencyMs);
    this.histogram.recordValue(Math.max(1, Math.round(clamped * 1000)));
    this.sumMs += clamped;
    if (clamped < this.minMs) this.minMs = clamped;
    if (clamped > this.maxMs) this.maxMs = clamped;
  }

  /** Adds another histogram's values to this one. */
  add(other: LatencyHistogram): void {
    if (other.count === 0) return;
    this.histogram.add(other.histogram);
    this.sumMs += other.sumMs;
    this.minMs = Math.min(this.minMs, other.minMs);
    this.maxMs = Math.max(this.maxMs, other.maxMs);
  }

  /** Returns the latency at `percentile` (0..100) in milliseconds. */
  percentileMs(percentile: number): number {
    return this.histogram.getValueAtPercentile(Math.min(100, Math.max(0, percentile))) / 1000;
  }

  /** Computes the summary; every field is absent when nothing was recorded. */
  summarize(): LatencySummary {
    if (this.count === 0) return {};
    return {
      minMs: this.minMs,
      meanMs: this.sumMs / this.count,
      p50Ms: this.percentileMs(50),
      p90Ms: this.percentileMs(90),
      p95Ms: this.percentileMs(95),
      p99Ms: this.percentileMs(99),
      maxMs: this.maxMs,
    };
  }

  /** Encodes the buckets as HdrHistogram's compressed base64 form. */
  encode(): string {
    return hdr.encodeIntoCompressedBase64(this.histogram);
  }

  /** Decodes a histogram written by encode(). */
  static decode(encoded: string): LatencyHistogram {
    return new LatencyHistogram(hdr.decodeFromCompressedBase64(encoded, 32, false));
  }
}
