/**
 * The report's sections about the target's containers: the faults the monitoring found, a table
 * of each container's resources against the baseline, and charts of latency per endpoint and
 * over time.
 */
import { markdownTable } from 'markdown-table';

import { formatBytes, formatPercent } from '../compare/resources.js';
import type { Comparison } from '../compare/types.js';
import { formatNumber } from '../format.js';
import type { ContainerResources, RunResult, ScenarioResult } from '../result/types.js';
import { MAX_CATEGORIES, MAX_POINTS, axisLabel, downsample, renderChart } from './charts.js';
import { codeSpan, escapeMarkdown } from './escape.js';

/** Lists the findings: new ones fail the gate, those the baseline had are shown as known. */
export function renderFindings(comparison: Comparison): string | undefined {
  if (comparison.findings.length === 0) return undefined;
  const lines = ['### Faults found under load', ''];
  for (const finding of comparison.findings) {
    const known = finding.inBaseline ? ' _(also in the baseline, so it does not fail)_' : '';
    lines.push(`- ${finding.inBaseline ? 'ℹ️' : '❌'} ${escapeMarkdown(finding.message)}${known}`);
    for (const example of finding.examples ?? []) lines.push(`  - ${codeSpan(example)}`);
  }
  return lines.join('\n');
}

/** A column of the resources table: its title, the figure it shows and its format. */
interface Column {
  title: string;
  value: (container: ContainerResources) => number | undefined;
  format: (value: number) => string;
}

const COLUMNS: Column[] = [
  { title: 'CPU mean', value: (item) => item.cpuMeanPercent, format: formatPercent },
  { title: 'CPU max', value: (item) => item.cpuMaxPercent, format: formatPercent },
  { title: 'Memory mean', value: (item) => item.memoryMeanBytes, format: formatBytes },
  { title: 'Memory max', value: (item) => item.memoryMaxBytes, format: formatBytes },
  { title: 'Restarts', value: (item) => item.restarts, format: (value) => formatNumber(value, 0) },
  {
    title: 'CLOSE_WAIT max',
    value: (item) => item.closeWaitMax,
    format: (value) => formatNumber(value, 0),
  },
  {
    title: 'Open files max',
    value: (item) => item.fdsMax,
    format: (value) => formatNumber(value, 0),
  },
  {
    title: 'Log errors',
    value: (item) => item.logErrors,
    format: (value) => formatNumber(value, 0),
  },
];

/**
 * Renders one table of every scenario's containers: this run's figures with the baseline's in
 * parentheses, CPU in percent of one core. Returns undefined when nothing was monitored.
 */
export function renderResources(head: RunResult, base: RunResult | undefined): string | undefined {
  const rows: string[][] = [];
  const notes = new Set<string>();
  for (const scenario of head.scenarios) {
    const baseScenario = base?.scenarios.find((candidate) => candidate.name === scenario.name);
    for (const container of scenario.resources ?? []) {
      const before = baseScenario?.resources?.find(
        (candidate) => candidate.name === container.name,
      );
      rows.push([
        escapeMarkdown(scenario.name),
        codeSpan(container.name),
        ...COLUMNS.map((column) => cell(column, container, before)),
      ]);
      for (const note of container.notes) notes.add(`${container.name}: ${note}`);
    }
  }
  if (rows.length === 0) return undefined;
  const lines = [
    '### Containers under load',
    '',
    base
      ? '_This run, with the baseline in parentheses. CPU in percent of one core; maxima over the run, means over the load._'
      : '_CPU in percent of one core; maxima over the run, means over the load._',
    '',
    markdownTable([['Scenario', 'Container', ...COLUMNS.map((column) => column.title)], ...rows], {
      align: ['l', 'l', ...COLUMNS.map(() => 'r' as const)],
      alignDelimiters: false,
    }),
  ];
  if (notes.size > 0) {
    lines.push('', 'Not measured:', '');
    for (const note of notes) lines.push(`- ${escapeMarkdown(note)}`);
  }
  return lines.join('\n');
}

function cell(
  column: Column,
  container: ContainerResources,
  before: ContainerResources | undefined,
): string {
  const value = column.value(container);
  if (value === undefined) return '–';
  const previous = before ? column.value(before) : undefined;
  return previous === undefined
    ? column.format(value)
    : `${column.format(value)} (${column.format(previous)})`;
}

/**
 * Renders the charts of each scenario: p50 and p95 per endpoint, and latency over time. Bars are
 * the baseline and lines this run. The titles state this because xychart-beta draws no legend.
 */
export function renderCharts(head: RunResult, base: RunResult | undefined): string | undefined {
  const parts: string[] = [];
  for (const scenario of head.scenarios) {
    const baseScenario = base?.scenarios.find((candidate) => candidate.name === scenario.name);
    const charts = [
      ...(['p50Ms', 'p95Ms'] as const).map((field) =>
        percentileChart(scenario, baseScenario, field),
      ),
      timelineChart(scenario, baseScenario),
    ].filter((chart): chart is string => chart !== undefined);
    if (charts.length === 0) continue;
    const more =
      scenario.endpoints.length > MAX_CATEGORIES
        ? `\n\n_The first ${MAX_CATEGORIES} of ${scenario.endpoints.length} endpoints are charted; the tables have them all._`
        : '';
    parts.push(
      `<details><summary>Charts: ${escapeMarkdown(scenario.name)}</summary>\n\n${charts.join('\n\n')}${more}\n\n</details>`,
    );
  }
  return parts.length > 0 ? parts.join('\n\n') : undefined;
}

function percentileChart(
  scenario: ScenarioResult,
  base: ScenarioResult | undefined,
  field: 'p50Ms' | 'p95Ms',
): string | undefined {
  const endpoints = scenario.endpoints.slice(0, MAX_CATEGORIES);
  const label = field === 'p50Ms' ? 'p50' : 'p95';
  const headValues = endpoints.map((endpoint) => endpoint.latency[field]);
  const baseValues = endpoints.map(
    (endpoint) =>
      base?.endpoints.find((candidate) => candidate.key === endpoint.key)?.latency[field],
  );
  const hasBase = baseValues.some((value) => value !== undefined);
  return renderChart({
    title: hasBase
      ? `${label} per endpoint, ms (bars: baseline, line: this run)`
      : `${label} per endpoint, ms`,
    categories: endpoints.map((endpoint) => axisLabel(endpoint.key)),
    yLabel: 'ms',
    series: [
      ...(hasBase ? [{ kind: 'bar' as const, values: baseValues }] : []),
      { kind: hasBase ? ('line' as const) : ('bar' as const), values: headValues },
    ],
  });
}

function timelineChart(
  scenario: ScenarioResult,
  base: ScenarioResult | undefined,
): string | undefined {
  // The measured seconds only: the warm-up is not judged, and its first seconds are the slowest.
  const points = (scenario.timeline ?? []).filter(
    (point) => point[0] >= Math.floor(scenario.warmupSeconds),
  );
  if (points.length < 2) return undefined;

  const basePoints = new Map((base?.timeline ?? []).map((point) => [point[0], point]));
  // Baseline bars only where the baseline ran that second too; elsewhere they would show as 0.
  const shared = points.filter((point) => basePoints.has(point[0]));
  const withBase = shared.length >= 2 ? shared : undefined;
  const charted = withBase ?? points;

  const seconds = charted.map((point) => point[0]);
  const p95 = downsample(
    seconds,
    charted.map((point) => point[3] ?? undefined),
  );
  const p50 = downsample(
    seconds,
    charted.map((point) => point[2] ?? undefined),
  );
  const baseP95 = withBase
    ? downsample(
        seconds,
        withBase.map((point) => basePoints.get(point[0])?.[3] ?? undefined),
      ).values
    : undefined;

  return renderChart({
    title: baseP95
      ? 'Latency by second after the warm-up, ms (bars: baseline p95; upper line: p95, lower line: p50 of this run)'
      : 'Latency by second after the warm-up, ms (upper line: p95, lower line: p50)',
    categories: p95.categories,
    maxCategories: MAX_POINTS,
    yLabel: 'ms',
    series: [
      ...(baseP95 ? [{ kind: 'bar' as const, values: baseP95 }] : []),
      { kind: 'line', values: p95.values },
      { kind: 'line', values: p50.values },
    ],
  });
}
