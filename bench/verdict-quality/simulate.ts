/**
 * The simulated half of the verdict-quality benchmark: many more comparisons than real time
 * allows, driven by the noise recorded in the real runs, and judged by perf-gate's own comparator.
 *
 * - Paired: each real trial's per-pair log ratios, minus the trial's mean, are its pair noise. The
 *   means of the trials without a slowdown are the offsets between two stacks. A simulated trial
 *   draws one offset and, for each pair, one pair's noise (whole vectors, so the metrics and
 *   endpoints of one pair stay correlated), adds the injected change, and applies the result to a
 *   real base side.
 * - Artifact: the history is drawn with replacement from the real pushes without a slowdown, and
 *   the head is another real push, left out of the draw, with the change applied.
 */
import { noiseAwareComparator } from '../../src/compare/compare-runs.js';
import type { Policy } from '../../src/compare/types.js';
import type { EndpointResult, EndpointRunFigures, RunResult } from '../../src/result/types.js';
import { seededRandom } from '../../src/stats/random.js';
import { outcomeOf, type Outcome } from './outcomes.js';
import { TARGET_ENDPOINT, type RecordedPush, type RecordedTrial } from './real.js';

type Field = 'p50Ms' | 'p90Ms' | 'p95Ms' | 'p99Ms' | 'maxMs' | 'throughputPerSecond';
const FIELDS: readonly Field[] = [
  'p50Ms',
  'p90Ms',
  'p95Ms',
  'p99Ms',
  'maxMs',
  'throughputPerSecond',
];
type LatencyField = Exclude<Field, 'throughputPerSecond'>;
const LATENCY: readonly LatencyField[] = ['p50Ms', 'p90Ms', 'p95Ms', 'p99Ms', 'maxMs'];

/** An injected change: log shifts of the slowed endpoint's latency percentiles. */
export interface EffectProfile {
  label: string;
  shifts: Partial<Record<Field, number>>;
}

/** Builds the change that slows every latency percentile of the slowed endpoint by `fraction`. */
export function uniformEffect(fraction: number): EffectProfile {
  const shift = Math.log1p(fraction);
  return {
    label: fraction === 0 ? 'none' : `+${Math.round(fraction * 100)} %, all percentiles`,
    shifts: Object.fromEntries(LATENCY.map((field) => [field, shift])),
  };
}

/** Builds the change that slows only one percentile of the slowed endpoint by `fraction`. */
export function singleEffect(field: 'p50Ms' | 'p95Ms', fraction: number): EffectProfile {
  return {
    label: `+${Math.round(fraction * 100)} %, ${field.replace('Ms', '')} only`,
    shifts: { [field]: Math.log1p(fraction) },
  };
}

/** The location of one series: scenario, endpoint and field. */
interface SeriesKey {
  scenario: string;
  endpoint: string;
  field: Field;
}

export interface PairNoise {
  keys: SeriesKey[];
  /** One vector over `keys` per recorded pair. */
  residuals: number[][];
  /** One vector over `keys` per trial without a slowdown. */
  offsets: number[][];
  /** A real base side to apply simulated pairs to. */
  template: RunResult;
}

/** Extracts the pair noise and stack offsets of the recorded paired trials. */
export function pairNoise(trials: readonly RecordedTrial[]): PairNoise {
  const [first] = trials;
  if (!first) throw new Error('the paired simulation needs at least one real trial');
  const keys = seriesKeys(first.base);
  const residuals: number[][] = [];
  const offsets: number[][] = [];
  for (const trial of trials) {
    const pairs = Math.min(trial.base.design?.runs ?? 0, trial.head.design?.runs ?? 0);
    const ratios = Array.from({ length: pairs }, (_, index) =>
      keys.map((key) => {
        const head = figure(trial.head, key, index);
        const base = figure(trial.base, key, index);
        return head !== undefined && base !== undefined && head > 0 && base > 0
          ? Math.log(head / base)
          : Number.NaN;
      }),
    );
    const means = keys.map((_, column) => meanOf(ratios.map((row) => row[column] ?? Number.NaN)));
    // Centring on the trial's own mean shrinks the spread by (k - 1) / k; undo that.
    const inflate = Math.sqrt(pairs / Math.max(1, pairs - 1));
    for (const row of ratios) {
      residuals.push(
        row.map((value, column) =>
          Number.isNaN(value) ? 0 : (value - (means[column] ?? 0)) * inflate,
        ),
      );
    }
    if (trial.effect === 0) offsets.push(means.map((value) => (Number.isNaN(value) ? 0 : value)));
  }
  if (offsets.length === 0) offsets.push(keys.map(() => 0));
  return { keys, residuals, offsets, template: first.base };
}

export interface PairedSimulation {
  effect: EffectProfile;
  comparisons: number;
  pairs: number;
  /** Pairs an inconclusive comparison may grow to; equal to `pairs` for a fixed design. */
  maxPairs: number;
  seed: number;
}

/** Simulates paired comparisons and returns their outcomes and the mean pairs measured. */
export function simulatePaired(
  noise: PairNoise,
  settings: PairedSimulation,
  policy: Policy,
): { outcomes: Outcome[]; meanPairs: number } {
  const random = seededRandom(settings.seed);
  const pick = <T>(items: readonly T[]): T =>
    items[Math.floor(random() * items.length)] ?? (items[0] as T);
  const outcomes: Outcome[] = [];
  let pairsMeasured = 0;
  for (let trial = 0; trial < settings.comparisons; trial += 1) {
    const offset = pick(noise.offsets);
    const draws = Array.from({ length: settings.pairs }, () => pick(noise.residuals));
    let outcome: Outcome;
    for (;;) {
      const base = withPairs(noise.template, draws.length, 'base');
      const head = shiftedHead(base, noise.keys, offset, draws, settings.effect);
      outcome = outcomeOf(noiseAwareComparator.compare(head, base, policy));
      // Like the real paired run, an inconclusive comparison measures one more pair, up to the cap.
      if (outcome.verdict !== 'inconclusive' || draws.length >= settings.maxPairs) break;
      draws.push(pick(noise.residuals));
    }
    pairsMeasured += draws.length;
    outcomes.push(outcome);
  }
  return { outcomes, meanPairs: pairsMeasured / Math.max(1, settings.comparisons) };
}

export interface ArtifactSimulation {
  effect: EffectProfile;
  comparisons: number;
  historyLength: number;
  seed: number;
}

/** Simulates artifact-mode comparisons against histories drawn from the real pushes. */
export function simulateArtifact(
  pushes: readonly RunResult[],
  settings: ArtifactSimulation,
  policy: Policy,
): Outcome[] {
  if (pushes.length < 2) throw new Error('the artifact simulation needs at least two real pushes');
  const random = seededRandom(settings.seed);
  const outcomes: Outcome[] = [];
  for (let trial = 0; trial < settings.comparisons; trial += 1) {
    const headIndex = Math.floor(random() * pushes.length);
    const others = pushes.filter((_, index) => index !== headIndex);
    const history = Array.from(
      { length: settings.historyLength },
      () => others[Math.floor(random() * others.length)] as RunResult,
    );
    const head = withEffect(pushes[headIndex] as RunResult, settings.effect);
    outcomes.push(
      outcomeOf(noiseAwareComparator.compare(head, history.at(-1), policy, { history })),
    );
  }
  return outcomes;
}

/** Judges each real push against a history of all the pushes without a slowdown but itself. */
export function judgePushes(
  pushes: readonly RecordedPush[],
  view: (result: RunResult) => RunResult,
  policy: Policy,
): { effect: number; outcome: Outcome }[] {
  const history = pushes.filter((push) => push.effect === 0);
  return pushes.map((push) => {
    const runs = history.filter((candidate) => candidate !== push).map((item) => view(item.result));
    const comparison = noiseAwareComparator.compare(view(push.result), runs.at(-1), policy, {
      history: runs,
    });
    return { effect: push.effect, outcome: outcomeOf(comparison) };
  });
}

/** Returns a push as if it had been measured once: every figure from its first run. */
export function firstRunView(result: RunResult): RunResult {
  const copy = structuredClone(result);
  copy.design = { kind: 'repeated', runs: 1 };
  for (const scenario of copy.scenarios) {
    for (const endpoint of scenario.endpoints) {
      const run = endpoint.runs?.[0];
      if (!run) continue;
      for (const field of LATENCY) {
        const value = run[field];
        if (value !== undefined) endpoint.latency[field] = value;
      }
      if (run.throughputPerSecond !== undefined)
        endpoint.throughputPerSecond = run.throughputPerSecond;
      endpoint.requests = run.requests;
      endpoint.failures = run.failures;
      endpoint.errorRatio = run.requests > 0 ? run.failures / run.requests : 0;
      endpoint.runs = [run];
    }
  }
  return copy;
}

function seriesKeys(result: RunResult): SeriesKey[] {
  return result.scenarios.flatMap((scenario) =>
    scenario.endpoints.flatMap((endpoint) =>
      FIELDS.map((field) => ({ scenario: scenario.name, endpoint: endpoint.key, field })),
    ),
  );
}

function endpointOf(result: RunResult, key: SeriesKey): EndpointResult | undefined {
  return result.scenarios
    .find((scenario) => scenario.name === key.scenario)
    ?.endpoints.find((endpoint) => endpoint.key === key.endpoint);
}

function figure(result: RunResult, key: SeriesKey, index: number): number | undefined {
  return endpointOf(result, key)?.runs?.[index]?.[key.field];
}

/** Builds the template's base side with `count` pairs, reusing its runs in turn beyond its own count. */
function withPairs(template: RunResult, count: number, role: 'base' | 'head'): RunResult {
  const copy = structuredClone(template);
  copy.design = { kind: 'paired', runs: count, role };
  for (const scenario of copy.scenarios) {
    for (const endpoint of scenario.endpoints) {
      const runs = endpoint.runs ?? [];
      endpoint.runs = Array.from(
        { length: count },
        (_, index) => ({ ...runs[index % Math.max(1, runs.length)] }) as EndpointRunFigures,
      );
    }
  }
  return copy;
}

function shiftedHead(
  base: RunResult,
  keys: readonly SeriesKey[],
  offset: readonly number[],
  draws: readonly number[][],
  effect: EffectProfile,
): RunResult {
  const head = structuredClone(base);
  head.design = { kind: 'paired', runs: draws.length, role: 'head' };
  for (const [column, key] of keys.entries()) {
    const endpoint = endpointOf(head, key);
    if (!endpoint?.runs) continue;
    const injected = endpoint.key === TARGET_ENDPOINT ? (effect.shifts[key.field] ?? 0) : 0;
    let total = 0;
    for (const [index, run] of endpoint.runs.entries()) {
      const shift = (offset[column] ?? 0) + (draws[index]?.[column] ?? 0) + injected;
      total += shift;
      const value = run[key.field];
      if (value !== undefined) run[key.field] = value * Math.exp(shift);
    }
    scaleMerged(endpoint, key.field, Math.exp(total / endpoint.runs.length));
  }
  return head;
}

function withEffect(result: RunResult, effect: EffectProfile): RunResult {
  const copy = structuredClone(result);
  for (const scenario of copy.scenarios) {
    for (const endpoint of scenario.endpoints.filter((item) => item.key === TARGET_ENDPOINT)) {
      for (const [field, shift] of Object.entries(effect.shifts) as [Field, number][]) {
        const factor = Math.exp(shift);
        scaleMerged(endpoint, field, factor);
        for (const run of endpoint.runs ?? []) {
          const value = run[field];
          if (value !== undefined) run[field] = value * factor;
        }
      }
    }
  }
  return copy;
}

function scaleMerged(endpoint: EndpointResult, field: Field, factor: number): void {
  if (field === 'throughputPerSecond') {
    if (endpoint.throughputPerSecond !== undefined) endpoint.throughputPerSecond *= factor;
    return;
  }
  const value = endpoint.latency[field];
  if (value !== undefined) endpoint.latency[field] = value * factor;
}

function meanOf(values: readonly number[]): number {
  const present = values.filter((value) => !Number.isNaN(value));
  return present.length === 0
    ? Number.NaN
    : present.reduce((sum, value) => sum + value, 0) / present.length;
}
