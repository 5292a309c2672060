/**
 * The verdict-quality benchmark's output: the machine, the set-up, the bars with the figures that
 * decide them, and a table of every real and simulated design.
 */
import { relative } from 'node:path';

import { markdownTable } from 'markdown-table';

import type { Tally } from './outcomes.js';
import type { Recording } from './real.js';

export interface Row {
  source: 'real' | 'simulated';
  mode: 'artifact' | 'paired';
  design: string;
  change: string;
  /** 0 when nothing was slowed. */
  effect: number;
  outcomes: Tally;
  meanPairs?: number;
  wallSeconds: number;
}

/** The spread of one push's result between pushes, measured once or merged over its runs. */
export interface Spread {
  endpoint: string;
  metric: string;
  oneRun: number;
  merged: number;
}

interface Bar {
  text: string;
  row: Row | undefined;
  measure: (tally: Tally) => number;
  test: (rate: number) => boolean;
  kind: 'false alarms' | 'detection';
}

export function renderResults(input: {
  recording: Recording;
  rows: Row[];
  configFile: string;
  simulations: number;
  spreads: Spread[];
}): string {
  const { recording, rows } = input;
  const find = (source: Row['source'], mode: Row['mode'], design: string, change: string) =>
    rows.find(
      (row) =>
        row.source === source &&
        row.mode === mode &&
        row.design === design &&
        row.change === change,
    );
  const pairs = `${recording.pairs} pairs`;
  const falseAlarmRate = (tally: Tally) => tally.regressions / Math.max(1, tally.comparisons);
  const detectionRate = (tally: Tally) => tally.detected / Math.max(1, tally.comparisons);
  const artifactDesign = rows.find(
    (row) =>
      row.source === 'simulated' &&
      row.mode === 'artifact' &&
      row.design.startsWith(`${recording.repetitions} runs`),
  )?.design;
  const bars: Bar[] = [
    {
      text: `A/A, paired, ${pairs}: at most 1 % of comments end in "regression"`,
      row: find('simulated', 'paired', pairs, 'none'),
      measure: falseAlarmRate,
      test: (rate) => rate <= 0.01,
      kind: 'false alarms',
    },
    {
      text: `A/A, artifact (${artifactDesign ?? 'no pushes'}): at most 1 % of comments end in "regression"`,
      row: artifactDesign ? find('simulated', 'artifact', artifactDesign, 'none') : undefined,
      measure: falseAlarmRate,
      test: (rate) => rate <= 0.01,
      kind: 'false alarms',
    },
    {
      text: `Paired, ${pairs}: at least 95 % detection of +10 % median latency`,
      row: find('simulated', 'paired', pairs, '+10 %, p50 only'),
      measure: detectionRate,
      test: (rate) => rate >= 0.95,
      kind: 'detection',
    },
    {
      text: `Paired, ${pairs}: at least 95 % detection of +20 % p95 latency`,
      row: find('simulated', 'paired', pairs, '+20 %, p95 only'),
      measure: detectionRate,
      test: (rate) => rate >= 0.95,
      kind: 'detection',
    },
  ];

  const scenario =
    recording.pushes[0]?.result.scenarios[0] ?? recording.trials[0]?.base.scenarios[0];
  const load = {
    rate: scenario?.requestedRatePerSecond ?? '?',
    seconds: scenario ? Math.round(scenario.measuredSeconds / (scenario.runs ?? 1)) : '?',
    warmup: scenario?.warmupSeconds ?? '?',
  };
  const machine = Object.entries(recording.machine)
    .map(([key, value]) => `${key} ${value}`)
    .join(', ');
  const lines = [
    '# Verdict quality',
    '',
    `Measured from ${recording.startedAt} to ${recording.finishedAt} by \`npm run bench:verdicts\`.`,
    '',
    `**Machine:** ${machine}.`,
    '',
    `**Set-up:** the demo catalogue (\`${relative(process.cwd(), input.configFile)}\`): three endpoints with service times of 8, 3 and 30 ms spread log-normally (σ 0.25), measured by vegeta at ${load.rate} requests/s for ${load.seconds} s after a ${load.warmup} s warm-up. The slowdown scales every wait of the search endpoint by +10, +20 or +50 %. Margins, family alpha, advisory metrics and the latency floor are perf-gate's defaults. Artifact mode: ${recording.pushes.length} pushes, each a fresh stack measured ${recording.repetitions} times; each push without a slowdown is judged against the others, each slowed push against all of them. Paired mode: ${recording.trials.length} ${recording.trials.length === 1 ? 'trial' : 'trials'} of two fresh stacks measured alternately for ${recording.pairs} pairs. The simulation runs ${input.simulations.toLocaleString('en-US')} comparisons per row on the noise recorded in those runs (see simulate.ts).`,
    '',
    '## Bars',
    '',
    markdownTable(
      [
        ['Bar', 'Measured (simulated)', 'Real trials', 'Met'],
        ...bars.map((bar) => {
          const real = bar.row ? realCounterpart(rows, bar.row) : undefined;
          const met = bar.row !== undefined && bar.test(bar.measure(bar.row.outcomes));
          return [
            bar.text,
            bar.row
              ? describeRate(bar.measure(bar.row.outcomes), bar.row.outcomes, bar.kind)
              : 'not measured',
            real ? describeRate(bar.measure(real.outcomes), real.outcomes, bar.kind) : 'none',
            met ? 'yes' : '**no**',
          ];
        }),
      ],
      { align: ['l', 'r', 'r', 'c'] },
    ),
    '',
    '## Noise between pushes',
    '',
    `The spread (standard deviation, as a share) of a push's result across the ${recording.pushes.filter((push) => push.effect === 0).length} pushes without a slowdown, from its first run alone and from all ${recording.repetitions} runs merged. The history design widens its margin to this spread.`,
    '',
    markdownTable(
      [
        ['Endpoint', 'Metric', 'One run', `${recording.repetitions} runs merged`],
        ...input.spreads.map((spread) => [
          `\`${spread.endpoint}\``,
          spread.metric,
          percent(spread.oneRun),
          percent(spread.merged),
        ]),
      ],
      { align: ['l', 'l', 'r', 'r'] },
    ),
    '',
    '## Every design',
    '',
    'A detection is a regression reported on the slowed endpoint; a false alarm is a regression reported on any other endpoint, or anywhere when nothing was slowed. Inconclusive comparisons pass the gate. The change columns are the mean change perf-gate measured on the slowed endpoint.',
    '',
    markdownTable(
      [
        [
          'Source',
          'Mode',
          'Design',
          'Injected change',
          'Comparisons',
          'Detected',
          'False alarms',
          'Inconclusive',
          'Invalid',
          'p50 change',
          'p95 change',
          'Pairs',
          'Wall time',
        ],
        ...rows.map((row) => [
          row.source,
          row.mode,
          row.design,
          row.change,
          row.outcomes.comparisons.toLocaleString('en-US'),
          row.effect === 0 ? '–' : percent(row.outcomes.detected / row.outcomes.comparisons),
          percent(
            (row.effect === 0 ? row.outcomes.regressions : row.outcomes.falseAlarms) /
              row.outcomes.comparisons,
          ),
          percent(row.outcomes.inconclusive / row.outcomes.comparisons),
          percent(row.outcomes.invalid / row.outcomes.comparisons),
          signed(row.outcomes.p50Change),
          signed(row.outcomes.p95Change),
          row.meanPairs === undefined
            ? row.mode === 'paired'
              ? String(recording.pairs)
              : '–'
            : row.meanPairs.toFixed(1),
          `${Math.round(row.wallSeconds)} s`,
        ]),
      ],
      { align: ['l', 'l', 'l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'] },
    ),
    '',
  ];
  return lines.join('\n');
}

/** Finds the real row of the same mode and slowdown as a simulated bar's row, if measured. */
function realCounterpart(rows: readonly Row[], row: Row): Row | undefined {
  const realChange = row.change === 'none' ? 'none' : row.change.replace(/, (p50|p95) only$/u, '');
  return rows.find(
    (candidate) =>
      candidate.source === 'real' &&
      candidate.mode === row.mode &&
      candidate.change === realChange &&
      (row.mode === 'paired' || candidate.design.startsWith(row.design.split(',')[0] ?? '')),
  );
}

function describeRate(rate: number, tally: Tally, kind: Bar['kind']): string {
  const count = kind === 'detection' ? tally.detected : tally.regressions;
  const [low, high] = wilson(count, tally.comparisons);
  const bound = kind === 'detection' ? `≥ ${percent(low)}` : `≤ ${percent(high)}`;
  return `${percent(rate)} (${count.toLocaleString('en-US')} of ${tally.comparisons.toLocaleString('en-US')}; 95 % bound ${bound})`;
}

/** Wilson's 95 % score interval of a proportion. */
function wilson(successes: number, trials: number): [number, number] {
  if (trials === 0) return [0, 1];
  const z = 1.96;
  const share = successes / trials;
  const center = (share + (z * z) / (2 * trials)) / (1 + (z * z) / trials);
  const half =
    (z * Math.sqrt((share * (1 - share)) / trials + (z * z) / (4 * trials * trials))) /
    (1 + (z * z) / trials);
  return [Math.max(0, center - half), Math.min(1, center + half)];
}

function percent(share: number): string {
  if (Number.isNaN(share)) return '–';
  return `${(share * 100).toFixed(share > 0 && share < 0.01 ? 2 : 1)} %`;
}

function signed(change: number): string {
  if (Number.isNaN(change)) return '–';
  return `${change >= 0 ? '+' : ''}${(change * 100).toFixed(1)} %`;
}
