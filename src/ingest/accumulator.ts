/**
 * Accumulates per-request samples into per-endpoint figures. Samples are added one at a time and
 * never stored, so memory depends on the number of endpoints, not of requests. `close()` then
 * computes the derived figures once.
 *
 * Each sample is recorded once, in its endpoint's accumulator or in the warm-up's. The scenario's
 * total and the figures for the cross-check (warm-up included) are merges made at close.
 */
import type { EndpointResult, ScenarioResult } from '../result/types.js';
import { LatencyHistogram } from './histogram.js';
import { LatencyTimeline } from './timeline.js';

/** One HTTP request as a load tool reported it. */
export interface RequestSample {
  /** Time the tool stamped on the request, milliseconds since the epoch. */
  timestampMs: number;
  /** The endpoint's key, such as `GET /api/movies`. */
  key: string;
  method: string;
  /** HTTP status; 0 when no response arrived. */
  status: number;
  /** Whether the request counts as failed (transport error or unexpected status). */
  failed: boolean;
  latencyMs: number;
  /** Error text, when the tool gave one. */
  error?: string;
}

/** Endpoints past this many are merged into one entry, so a URL with ids cannot exhaust memory. */
export const MAX_ENDPOINTS = 200;
const OTHER_ENDPOINTS_KEY = '(other endpoints)';
/** Distinct error messages kept per endpoint; later ones are counted under one entry. */
const MAX_ERROR_MESSAGES = 20;
const OTHER_ERRORS_KEY = '(other errors)';

class EndpointAccumulator {
  readonly histogram = new LatencyHistogram();
  requests = 0;
  failures = 0;
  readonly methods = new Set<string>();
  readonly statusCodes = new Map<number, number>();
  readonly errors = new Map<string, number>();

  constructor(readonly key: string) {}

  add(sample: RequestSample): void {
    this.requests += 1;
    if (sample.failed) this.failures += 1;
    this.methods.add(sample.method);
    this.statusCodes.set(sample.status, (this.statusCodes.get(sample.status) ?? 0) + 1);
    if (sample.error) {
      const message =
        this.errors.has(sample.error) || this.errors.size < MAX_ERROR_MESSAGES
          ? sample.error
          : OTHER_ERRORS_KEY;
      this.errors.set(message, (this.errors.get(message) ?? 0) + 1);
    }
    this.histogram.record(sample.latencyMs);
  }

  /** Adds another accumulator's counts and latencies to this one. */
  merge(other: EndpointAccumulator): void {
    this.requests += other.requests;
    this.failures += other.failures;
    for (const method of other.methods) this.methods.add(method);
    for (const [status, count] of other.statusCodes) {
      this.statusCodes.set(status, (this.statusCodes.get(status) ?? 0) + count);
    }
    for (const [message, count] of other.errors) {
      this.errors.set(message, (this.errors.get(message) ?? 0) + count);
    }
    this.histogram.add(other.histogram);
  }

  close(windowSeconds: number): EndpointResult {
    const result: EndpointResult = {
      key: this.key,
      requests: this.requests,
      failures: this.failures,
      statusCodes: statusRecord(this.statusCodes),
      errors: Object.fromEntries(this.errors),
      latency: this.histogram.summarize(),
    };
    if (this.methods.size === 1) result.method = [...this.methods][0];
    if (this.requests > 0) {
      result.errorRatio = this.failures / this.requests;
      result.histogram = this.histogram.encode();
    }
    if (windowSeconds > 0) result.throughputPerSecond = this.requests / windowSeconds;
    return result;
  }
}

/** Totals over every sample, warm-up included, for the cross-check with the tool's summary. */
export interface AllSamples {
  requests: number;
  failures: number;
  statusCodes: Record<string, number>;
  histogram: LatencyHistogram;
}

export interface ScenarioAccumulatorOptions {
  name: string;
  tool: 'k6' | 'vegeta';
  origin: 'run' | 'import';
  warmupMs: number;
  settings?: Record<string, string | number>;
}

/**
 * Splits samples into warm-up and measurement by time: the warm-up starts with the first sample
 * and lasts `warmupMs`; measured samples are accumulated per endpoint.
 */
export class ScenarioAccumulator {
  private readonly endpoints = new Map<string, EndpointAccumulator>();
  private readonly warmup = new EndpointAccumulator('(warm-up)');
  private readonly timeline = new LatencyTimeline();
  private startMs: number | undefined;
  private warmupEndMs = Number.NEGATIVE_INFINITY;
  private firstMeasuredMs = Number.POSITIVE_INFINITY;
  private lastMeasuredMs = Number.NEGATIVE_INFINITY;
  private endpointsMerged = false;
  private closed: { total: EndpointAccumulator; all: AllSamples } | undefined;
  droppedIterations: number | undefined;

  constructor(private readonly options: ScenarioAccumulatorOptions) {}

  /**
   * Sets the time the run started. Without it the first sample's time is used; samples that
   * arrive out of order by less than the warm-up do not matter.
   */
  setStart(timestampMs: number): void {
    if (this.startMs !== undefined) return;
    this.startMs = timestampMs;
    this.warmupEndMs = timestampMs + this.options.warmupMs;
    this.timeline.setStart(timestampMs);
  }

  add(sample: RequestSample): void {
    if (this.startMs === undefined) this.setStart(sample.timestampMs);
    this.timeline.add(sample.timestampMs, sample.latencyMs);
    if (sample.timestampMs < this.warmupEndMs) {
      this.warmup.add(sample);
      return;
    }
    if (sample.timestampMs < this.firstMeasuredMs) this.firstMeasuredMs = sample.timestampMs;
    if (sample.timestampMs > this.lastMeasuredMs) this.lastMeasuredMs = sample.timestampMs;
    this.endpointFor(sample.key).add(sample);
  }

  /** Returns the totals of every sample seen, warm-up included. */
  allSamples(): AllSamples {
    return this.merged().all;
  }

  /** Computes the scenario's figures. The measured window runs from the end of the warm-up to the last sample. */
  close(): Omit<ScenarioResult, 'crossChecks' | 'thresholdsFailed'> {
    const { total } = this.merged();
    const windowStart =
      this.options.warmupMs > 0 && this.startMs !== undefined
        ? this.warmupEndMs
        : this.firstMeasuredMs;
    const windowMs = total.requests > 0 ? Math.max(0, this.lastMeasuredMs - windowStart) : 0;
    const windowSeconds = windowMs / 1000;
    const notes: string[] = [];
    if (this.endpointsMerged) {
      notes.push(
        `More than ${MAX_ENDPOINTS} distinct endpoints: the rest are counted under "${OTHER_ENDPOINTS_KEY}". Group URLs with ids under one name (k6: the name tag).`,
      );
    }
    const result: Omit<ScenarioResult, 'crossChecks' | 'thresholdsFailed'> = {
      name: this.options.name,
      tool: this.options.tool,
      origin: this.options.origin,
      warmupSeconds: this.options.warmupMs / 1000,
      measuredSeconds: windowSeconds,
      settings: this.options.settings ?? {},
      total: total.close(windowSeconds),
      endpoints: [...this.endpoints.values()]
        .map((endpoint) => endpoint.close(windowSeconds))
        .sort((a, b) => compareText(a.key, b.key)),
      warmup: {
        requests: this.warmup.requests,
        failures: this.warmup.failures,
        noResponse: this.warmup.statusCodes.get(0) ?? 0,
      },
      notes,
    };
    const timeline = this.timeline.points();
    if (timeline.length > 0) result.timeline = timeline;
    if (this.startMs !== undefined) result.startedAt = new Date(this.startMs).toISOString();
    if (this.droppedIterations !== undefined) result.droppedIterations = this.droppedIterations;
    return result;
  }

  /** Merges the endpoints into the total, and the total and the warm-up into all samples, once. */
  private merged(): { total: EndpointAccumulator; all: AllSamples } {
    if (this.closed) return this.closed;
    const total = new EndpointAccumulator('(all endpoints)');
    for (const endpoint of this.endpoints.values()) total.merge(endpoint);
    const all = new EndpointAccumulator('(all samples)');
    all.merge(total);
    all.merge(this.warmup);
    this.closed = {
      total,
      all: {
        requests: all.requests,
        failures: all.failures,
        statusCodes: statusRecord(all.statusCodes),
        histogram: all.histogram,
      },
    };
    return this.closed;
  }

  private endpointFor(key: string): EndpointAccumulator {
    let endpoint = this.endpoints.get(key);
    if (endpoint) return endpoint;
    if (this.endpoints.size >= MAX_ENDPOINTS && key !== OTHER_ENDPOINTS_KEY) {
      this.endpointsMerged = true;
      return this.endpointFor(OTHER_ENDPOINTS_KEY);
    }
    endpoint = new EndpointAccumulator(key);
    this.endpoints.set(key, endpoint);
    return endpoint;
  }
}

/** Returns status counts keyed by status text, in numeric order. */
function statusRecord(map: Map<number, number>): Record<string, number> {
  return Object.fromEntries(
    [...map.entries()].sort(([a], [b]) => a - b).map(([status, count]) => [String(status), count]),
  );
}

/** Orders by code point, so the order is the same in every locale. */
function compareText(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
