/**
 * Renders a calibration (A/A) as Markdown: the noise of each metric, what each design can detect
 * at that noise, and how often the configured margins would raise a false alarm.
 */
import { markdownTable } from 'markdown-table';

import type { Calibration, MetricNoise } from '../compare/calibration.js';
import { metricDefinition } from '../compare/metrics.js';
import { formatNumber, formatRelativeChange } from '../format.js';
import type { RunResult } from '../result/types.js';
import { codeSpan, escapeMarkdown } from './escape.js';
import { describeRun } from './details.js';

/** Renders `calibration` of the runs in `b` (the second side) as a Markdown document. */
export function renderCalibration(calibration: Calibration, b: RunResult): string {
  const { pairs, design, patterns, falseAlarmPatterns, familyAlpha, tests } = calibration;
  const verdict = calibration.comparison.verdict;
  const lines = [
    `## perf-gate calibration: ${pairs} pairs of A/A runs`,
    '',
    `The same revision measured ${2 * pairs} times on one stack, as sides A and B in alternating order (A B, B A, …). Every difference between A and B is noise.`,
    '',
    `- **Comparison of B with A:** ${verdict}${verdict === 'regression' ? ' (a false alarm: the margins are narrower than the noise)' : ''}.`,
    `- **False alarms per comparison:** ${falseAlarmPatterns} of ${patterns} sign-flipped comparisons (${formatShare(falseAlarmPatterns / patterns)}) end in a regression; the family bound is ${formatShare(familyAlpha)} over ${tests} gated ${tests === 1 ? 'test' : 'tests'}.`,
    `- **Detectable:** the smallest slowdown found 80 % of the time with ${design.pairs} pairs (paired mode) or against a history of ${design.history} baseline runs (artifact mode, if the runs of the base branch vary as little as these).`,
    '',
  ];
  const scenarios = [...new Set(calibration.endpoints.map((endpoint) => endpoint.scenario))];
  for (const scenario of scenarios) {
    lines.push(`### ${escapeMarkdown(scenario)}`, '');
    const rows = calibration.endpoints
      .filter((endpoint) => endpoint.scenario === scenario)
      .flatMap((endpoint) =>
        endpoint.metrics.map((metric, index) => [
          index === 0 ? codeSpan(endpoint.key) : '',
          metric.advisory
            ? `${metricDefinition(metric.metric).label} (advisory)`
            : metricDefinition(metric.metric).label,
          formatRelativeChange(metric.shift),
          formatSpread(metric.pairNoise),
          formatSpread(metric.runNoise),
          formatMargin(metric),
          formatRelativeChange(metric.detectablePaired),
          formatRelativeChange(metric.detectableHistory),
          formatShare(metric.falseAlarms),
        ]),
      );
    lines.push(
      markdownTable(
        [
          [
            'Endpoint',
            'Metric',
            'B vs A',
            'Noise per pair',
            'Noise per run',
            'Margin',
            `Detectable, ${design.pairs} pairs`,
            `Detectable, ${design.history} runs`,
            'False alarms',
          ],
          ...rows,
        ],
        { align: ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r'] },
      ),
      '',
    );
  }
  lines.push(
    '<details><summary>How to read this</summary>',
    '',
    "- **Noise per pair** is the standard deviation of the change between the two runs of a pair; **noise per run** is that of one run around its side's mean. Both are fractions of the value.",
    '- **Detectable** changes assume the noise measured here. Lower it with longer runs, a higher rate, or more pairs; a change smaller than the margin is never called a regression.',
    '- **False alarms** is the share of sign-flipped comparisons in which this metric alone would fail the gate. The sign flips ignore `min-latency-change`, so real comparisons raise fewer.',
    '',
    `Runs: ${escapeMarkdown(describeRun(b))}`,
    '',
    '</details>',
    '',
  );
  return lines.join('\n');
}

function formatMargin(metric: MetricNoise): string {
  const definition = metricDefinition(metric.metric);
  const sign = definition.better === 'lower' ? '+' : '-';
  return `${sign}${formatNumber(metric.margin * 100, 1)} %`;
}

/** A spread as a percentage without a sign: `2.4 %`. */
function formatSpread(fraction: number): string {
  return `${formatNumber(fraction * 100, 1)} %`;
}

/** A share with enough digits to show small rates: `0 %`, `0.39 %`, `12 %`. */
function formatShare(share: number): string {
  if (share === 0) return '0 %';
  const percent = share * 100;
  return `${formatNumber(percent, percent < 1 ? 2 : percent < 10 ? 1 : 0)} %`;
}
