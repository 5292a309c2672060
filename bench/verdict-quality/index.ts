/**
 * Benchmark of verdict quality: how often perf-gate calls a regression when nothing changed, and
 * how often it finds a real slowdown, in artifact and paired mode.
 *
 *   npm run bench:verdicts                    real trials for 30 minutes, then the simulation
 *   npm run bench:verdicts -- --minutes 10    a shorter real phase
 *   npm run bench:verdicts -- --from FILE     only the simulation, from a recording of real runs
 *   npm run bench:verdicts -- --resume FILE   go on with an interrupted recording, then simulate
 *   npm run bench:verdicts -- --smoke         a few minutes: four pushes and one paired trial, to
 *                                             check that the benchmark works (figures mean little)
 *
 * Needs Docker with compose, Go (to build the demo) and vegeta. Writes
 * bench/results/verdict-quality.md and the recording of the real runs next to it.
 */
import { execFileSync } from 'node:child_process';
import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { cpus, release, totalmem, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gunzipSync, gzipSync } from 'node:zlib';

import { policyFromConfig } from '../../src/compare/policy.js';
import { loadConfig } from '../../src/config/load-config.js';
import type { Logger } from '../../src/log.js';
import type { RunResult } from '../../src/result/types.js';
import { noiseAwareComparator } from '../../src/compare/compare-runs.js';
import { outcomeOf, tally, type Outcome } from './outcomes.js';
import { formatEffect, runRealTrials, type Recording } from './real.js';
import { renderResults, type Row, type Spread } from './report.js';
import {
  firstRunView,
  judgePushes,
  pairNoise,
  simulateArtifact,
  simulatePaired,
  singleEffect,
  uniformEffect,
  type EffectProfile,
} from './simulate.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const configFile = join(root, 'bench', 'verdict-quality', 'perf-gate.yml');
const resultsDir = join(root, 'bench', 'results');
const recordingFile = join(resultsDir, 'verdict-quality-runs.json.gz');

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '30' },
    simulations: { type: 'string', default: '10000' },
    from: { type: 'string' },
    resume: { type: 'string' },
    smoke: { type: 'boolean', default: false },
  },
});
const minutes = Number(values.minutes);
const simulations = Number(values.simulations);
if (!(minutes > 0) || !(simulations > 0)) {
  say('--minutes and --simulations take positive numbers');
  process.exit(2);
}

const REPETITIONS = 3;
const PAIRS = 7;
const MAX_PAIRS = 12;
const config = loadConfig({ file: configFile });
const policy = policyFromConfig(config);

const recording = values.from ? readRecording(resolve(values.from)) : await measure();
// A smoke run's figures are not the benchmark's; they go to a temporary file.
const output = values.smoke
  ? join(tmpdir(), 'verdict-quality-smoke.md')
  : join(resultsDir, 'verdict-quality.md');
writeFileSync(output, analyse(recording));
say(`wrote ${output}`);

async function measure(): Promise<Recording> {
  buildDemo();
  const logFile = join(tmpdir(), `perf-gate-verdicts-${process.pid}.log`);
  say(`real trials for ${minutes} min; the engine's log goes to ${logFile}`);
  return runRealTrials({
    configFile,
    budgetMs: minutes * 60_000,
    repetitions: REPETITIONS,
    pairs: PAIRS,
    basePushes: values.smoke ? 3 : 10,
    headPushEffects: values.smoke ? [0.5] : [0.1, 0.2],
    // Trials without a slowdown come often: their stack offsets drive the simulation's noise.
    trialEffects: values.smoke ? [0.5] : [0, 0.1, 0, 0.2, 0, 0.5, 0.1, 0.2],
    maxTrials: values.smoke ? 1 : 40,
    logger: fileLogger(logFile),
    progress: say,
    onRecord: async (current) => {
      await writeFile(
        values.smoke ? join(tmpdir(), 'verdict-quality-smoke-runs.json.gz') : recordingFile,
        gzipSync(JSON.stringify(current)),
      );
    },
    machine: describeMachine(),
    ...(values.resume ? { resume: readRecording(resolve(values.resume)) } : {}),
  });
}

function analyse(recording: Recording): string {
  const rows: Row[] = [];
  const pushWall = meanOf(recording.pushes.map((push) => push.wallMs));
  // A push's time is the stack's start plus its runs; one run is the scenario's length and some.
  const runWall = meanOf(
    recording.pushes.map(
      (push) =>
        push.result.scenarios.reduce(
          (sum, scenario) => sum + scenario.warmupSeconds + scenario.measuredSeconds,
          0,
        ) * 1000,
    ),
  );
  const views = [
    {
      label: `${REPETITIONS} runs per push`,
      view: (result: (typeof recording.pushes)[number]['result']) => result,
      wallMs: pushWall,
    },
    {
      label: '1 run per push',
      view: firstRunView,
      wallMs: pushWall - runWall * ((REPETITIONS - 1) / REPETITIONS),
    },
  ];

  // Real artifact-mode comparisons: each push against the pushes without a slowdown but itself.
  for (const { label, view, wallMs } of views) {
    const judged = judgePushes(recording.pushes, view, policy);
    for (const effect of unique(judged.map((item) => item.effect))) {
      rows.push({
        source: 'real',
        mode: 'artifact',
        design: `${label}, history of ${recording.pushes.filter((push) => push.effect === 0).length - (effect === 0 ? 1 : 0)}`,
        change: formatEffect(effect),
        effect,
        outcomes: tally(
          judged.filter((item) => item.effect === effect).map((item) => item.outcome),
        ),
        wallSeconds: wallMs / 1000,
      });
    }
  }

  // Real paired trials.
  for (const effect of unique(recording.trials.map((trial) => trial.effect))) {
    const trials = recording.trials.filter((trial) => trial.effect === effect);
    const outcomes = trials.map((trial) =>
      outcomeOf(noiseAwareComparator.compare(trial.head, trial.base, policy)),
    );
    rows.push({
      source: 'real',
      mode: 'paired',
      design: `${PAIRS} pairs`,
      change: formatEffect(effect),
      effect,
      outcomes: tally(outcomes),
      wallSeconds: meanOf(trials.map((trial) => trial.wallMs)) / 1000,
    });
  }

  const effects: EffectProfile[] = [
    uniformEffect(0),
    singleEffect('p50Ms', 0.1),
    singleEffect('p95Ms', 0.2),
    uniformEffect(0.1),
    uniformEffect(0.2),
    uniformEffect(0.5),
  ];

  // Simulated paired comparisons, with a fixed number of pairs and growing up to the cap.
  if (recording.trials.length > 0) {
    const noise = pairNoise(recording.trials);
    const trialWall = meanOf(recording.trials.map((trial) => trial.wallMs)) / 1000;
    for (const maxPairs of [PAIRS, MAX_PAIRS]) {
      for (const [index, effect] of effects.entries()) {
        const { outcomes, meanPairs } = simulatePaired(
          noise,
          { effect, comparisons: simulations, pairs: PAIRS, maxPairs, seed: 1000 + index },
          policy,
        );
        rows.push({
          source: 'simulated',
          mode: 'paired',
          design: maxPairs === PAIRS ? `${PAIRS} pairs` : `${PAIRS} pairs, up to ${maxPairs}`,
          change: effect.label,
          effect: effect.label === 'none' ? 0 : 1,
          outcomes: tally(outcomes),
          meanPairs,
          wallSeconds: (trialWall * meanPairs) / PAIRS,
        });
      }
    }
  }

  // Simulated artifact-mode comparisons against histories of the default length.
  const basePushes = recording.pushes.filter((push) => push.effect === 0);
  if (basePushes.length >= 2) {
    for (const { label, view, wallMs } of views) {
      const pushes = basePushes.map((push) => view(push.result));
      for (const [index, effect] of effects.entries()) {
        const outcomes: Outcome[] = simulateArtifact(
          pushes,
          {
            effect,
            comparisons: simulations,
            historyLength: config.historyLength,
            seed: 2000 + index,
          },
          policy,
        );
        rows.push({
          source: 'simulated',
          mode: 'artifact',
          design: `${label}, history of ${config.historyLength}`,
          change: effect.label,
          effect: effect.label === 'none' ? 0 : 1,
          outcomes: tally(outcomes),
          wallSeconds: wallMs / 1000,
        });
      }
    }
  }
  return renderResults({
    recording,
    rows,
    configFile,
    simulations,
    spreads: pushSpreads(recording),
  });
}

/**
 * Measures how much one push's result varies between pushes without a slowdown, from its first
 * run and from all its runs merged, for each endpoint's p50 and p95. The spread is the standard
 * deviation of the log values.
 */
function pushSpreads(recording: Recording): Spread[] {
  const base = recording.pushes.filter((push) => push.effect === 0).map((push) => push.result);
  const first = base[0];
  if (!first || base.length < 3) return [];
  const spread = (values: number[]) => {
    const logs = values.filter((value) => value > 0).map((value) => Math.log(value));
    const center = meanOf(logs);
    return Math.expm1(
      Math.sqrt(logs.reduce((sum, value) => sum + (value - center) ** 2, 0) / (logs.length - 1)),
    );
  };
  const spreads: Spread[] = [];
  for (const scenario of first.scenarios) {
    for (const endpoint of scenario.endpoints) {
      for (const field of ['p50Ms', 'p95Ms'] as const) {
        const of = (result: RunResult) =>
          result.scenarios
            .find((candidate) => candidate.name === scenario.name)
            ?.endpoints.find((candidate) => candidate.key === endpoint.key);
        spreads.push({
          endpoint: endpoint.key,
          metric: field.replace('Ms', ''),
          oneRun: spread(base.map((result) => of(result)?.runs?.[0]?.[field] ?? 0)),
          merged: spread(base.map((result) => of(result)?.latency[field] ?? 0)),
        });
      }
    }
  }
  return spreads;
}

function readRecording(file: string): Recording {
  const bytes = readFileSync(file);
  const text = file.endsWith('.gz') ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8');
  return JSON.parse(text) as Recording;
}

function buildDemo(): void {
  const demo = join(root, 'examples', 'movies-api');
  execFileSync('go', ['build', '-trimpath', '-ldflags=-s -w', '-o', 'movies-api', '.'], {
    cwd: demo,
    env: { ...process.env, CGO_ENABLED: '0' },
    stdio: 'inherit',
  });
  execFileSync('docker', ['compose', 'build', '--quiet'], {
    cwd: demo,
    env: { ...process.env, DEMO_DOCKERFILE: 'Dockerfile.local' },
    stdio: 'inherit',
  });
}

function describeMachine(): Record<string, string> {
  const run = (command: string, args: string[]) => {
    try {
      return execFileSync(command, args, { encoding: 'utf8' }).trim();
    } catch {
      return 'unknown';
    }
  };
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: String(cpus().length),
    memory: `${Math.round(totalmem() / 2 ** 30)} GiB`,
    kernel: release(),
    docker: run('docker', ['version', '--format', '{{.Server.Version}}']),
    compose: run('docker', ['compose', 'version', '--short']),
    vegeta: /v?\d+\.\d+\.\d+/u.exec(run('vegeta', ['-version']))?.[0] ?? 'unknown',
    node: process.version,
  };
}

/** Creates a logger that writes the engine's lines to a file, so the terminal shows only progress. */
function fileLogger(file: string): Logger {
  const stream = createWriteStream(file);
  const write = (line: string) => stream.write(`${new Date().toISOString()} ${line}\n`);
  return {
    info: write,
    debug: () => undefined,
    warning: (message) => write(`warning: ${message}`),
    notice: (message) => write(`notice: ${message}`),
    group: async (name, work) => {
      write(`▶ ${name}`);
      return work();
    },
  };
}

/** Progress for the terminal; the report goes to a file. */
function say(line: string): void {
  process.stderr.write(`${line}\n`);
}

function unique(values: readonly number[]): number[] {
  return [...new Set(values)].sort((a, b) => a - b);
}

function meanOf(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length;
}
