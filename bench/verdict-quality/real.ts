/**
 * The real half of the verdict-quality benchmark: the demo stack measured on this machine with
 * perf-gate's own engine, in both designs, with a slowdown of 0, +10 %, +20 % or +50 % on the
 * search endpoint.
 *
 * - Artifact mode: "pushes", each a fresh stack measured `repetitions` times, as a push to the
 *   default branch would be. Pushes without a slowdown form the history; each is also judged
 *   against the others (an A/A comparison), and each slowed push against all of them.
 * - Paired mode: trials of two fresh stacks, base and head, measured alternately for 7 pairs.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { Config } from '../../src/config/types.js';
import { loadConfig } from '../../src/config/load-config.js';
import { runPaired, runSuite } from '../../src/engine/run-suite.js';
import { withSignals } from '../../src/engine/signals.js';
import type { Logger } from '../../src/log.js';
import type { RunResult } from '../../src/result/types.js';

/** The endpoint that the slowdown is injected on, and its route in the demo. */
export const TARGET_ENDPOINT = 'GET /api/movies/search?q=matrix';
const TARGET_ROUTE = '/api/movies/search';

export interface RecordedPush {
  /** Injected slowdown as a share of the route's service time: 0, 0.1, 0.2 or 0.5. */
  effect: number;
  result: RunResult;
  wallMs: number;
}

export interface RecordedTrial {
  effect: number;
  base: RunResult;
  head: RunResult;
  wallMs: number;
}

export interface Recording {
  startedAt: string;
  finishedAt: string;
  machine: Record<string, string>;
  repetitions: number;
  pairs: number;
  pushes: RecordedPush[];
  trials: RecordedTrial[];
}

export interface RealOptions {
  configFile: string;
  /** Time for all real trials together. */
  budgetMs: number;
  repetitions: number;
  pairs: number;
  /** Pushes without a slowdown (the history), and the slowdowns of the other pushes. */
  basePushes: number;
  headPushEffects: number[];
  /** Slowdowns of the paired trials, in the order they cycle through. */
  trialEffects: number[];
  /** Most paired trials, whatever the time left. */
  maxTrials: number;
  logger: Logger;
  progress: (line: string) => void;
  /** Called after every push and trial, so an interrupted benchmark keeps what it measured. */
  onRecord: (recording: Recording) => Promise<void>;
  machine: Record<string, string>;
  /** A recording cut short, to go on from: its pushes and trials are kept and not run again. */
  resume?: Recording;
}

/** Runs the real trials until the time budget runs out. */
export async function runRealTrials(options: RealOptions): Promise<Recording> {
  const started = Date.now();
  const recording: Recording = options.resume
    ? { ...options.resume, pushes: [...options.resume.pushes], trials: [...options.resume.trials] }
    : {
        startedAt: new Date(started).toISOString(),
        finishedAt: '',
        machine: options.machine,
        repetitions: options.repetitions,
        pairs: options.pairs,
        pushes: [],
        trials: [],
      };
  if (recording.repetitions !== options.repetitions || recording.pairs !== options.pairs) {
    throw new Error(
      `the recording to resume has ${recording.repetitions} runs per push and ${recording.pairs} pairs, the benchmark ${options.repetitions} and ${options.pairs}; start a new recording`,
    );
  }
  const outDir = mkdtempSync(join(tmpdir(), 'perf-gate-verdicts-'));
  const save = async () => {
    recording.finishedAt = new Date().toISOString();
    await options.onRecord(recording);
  };

  const pushEffects = [
    ...Array.from({ length: options.basePushes }, () => 0),
    ...options.headPushEffects,
  ];
  for (const [index, effect] of pushEffects.entries()) {
    if (index < recording.pushes.length) continue;
    const config = {
      ...demoConfig(options.configFile, 18181, effect),
      repetitions: options.repetitions,
    };
    const begin = Date.now();
    const result = await withSignals(options.logger, (signal) =>
      runSuite({ config, outDir, logger: options.logger, signal }),
    );
    recording.pushes.push({ effect, result, wallMs: Date.now() - begin });
    options.progress(
      `push ${index + 1} of ${pushEffects.length} (slowdown ${formatEffect(effect)}): ${seconds(Date.now() - begin)}`,
    );
    await save();
  }

  const deadline = started + options.budgetMs;
  let trialTime = Math.max(0, ...recording.trials.map((trial) => trial.wallMs));
  for (let index = recording.trials.length; index < options.maxTrials; index += 1) {
    // Start a trial only if one as long as the slowest so far still fits.
    if (Date.now() + trialTime > deadline) break;
    const effect = options.trialEffects[index % options.trialEffects.length] ?? 0;
    const head = demoConfig(options.configFile, 18182, effect);
    const base = demoConfig(options.configFile, 18183, 0);
    const config: Config = {
      ...head,
      paired: { pairs: options.pairs, maxPairs: options.pairs, base: base.target },
    };
    const begin = Date.now();
    const measured = await withSignals(options.logger, (signal) =>
      runPaired({ config, outDir, logger: options.logger, signal }),
    );
    const wallMs = Date.now() - begin;
    trialTime = Math.max(trialTime, wallMs);
    recording.trials.push({ effect, base: measured.base, head: measured.head, wallMs });
    options.progress(
      `paired trial ${index + 1} (slowdown ${formatEffect(effect)}): ${seconds(wallMs)}`,
    );
    await save();
  }
  await save();
  return recording;
}

/** The benchmark's configuration for one stack: its port and the slowdown of the search route. */
function demoConfig(file: string, port: number, effect: number): Config {
  return loadConfig({
    file,
    env: {
      ...process.env,
      DEMO_PORT: String(port),
      DEMO_SLOWDOWN: effect > 0 ? `${TARGET_ROUTE}=+${Math.round(effect * 100)}%` : '',
    },
  });
}

export function formatEffect(effect: number): string {
  return effect === 0 ? 'none' : `+${Math.round(effect * 100)} %`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(0)} s`;
}
