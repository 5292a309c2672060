/**
 * Renders a comparison as the Markdown that the pull request comment and the job summary carry:
 * the verdict first, then a table per scenario, then what was compared with what and the details,
 * folded. Everything arrives as arguments; nothing is read from the environment.
 */
import { markdownTable } from 'markdown-table';

import { COMMENT_LIMIT, COMMENT_MARKER } from '../constants.js';
import { METRICS, metricDefinition, type MetricDefinition } from '../compare/metrics.js';
import type {
  Comparison,
  EndpointComparison,
  MetricComparison,
  MetricStatus,
  ScenarioComparison,
  Verdict,
} from '../compare/types.js';
import {
  formatMs,
  formatNumber,
  formatPointChange,
  formatRelativeChange,
  formatValue,
} from '../format.js';
import type { RunResult, ScenarioResult } from '../result/types.js';
import { codeSpan, escapeMarkdown } from './escape.js';
import { describeRun, renderDetails } from './details.js';
import { fitToLimit, type Section } from './limit.js';
import { renderCharts, renderFindings, renderResources } from './resources.js';

export interface ReportInput {
  comparison: Comparison;
  head: RunResult;
  base?: RunResult;
  /** Location of the full report when the comment had to be shortened, such as the job summary. */
  fullReportHint?: string;
  /** Largest report size in characters; GitHub's comment limit by default. */
  maxLength?: number;
}

/** Failing endpoints listed under the headline; the tables have the rest. */
const MAX_HEADLINE_ITEMS = 15;

/** Rows per scenario table when a report must shrink: failing and faster rows only, at most this many. */
const SHRUNK_ROWS = 100;

const STATUS_LABELS: Record<MetricStatus, string> = {
  pass: '✅ pass',
  improvement: '🚀 faster',
  regression: '❌ regression',
  inconclusive: '⚠️ inconclusive',
  'over-budget': '❌ over budget',
  advisory: 'ℹ️ advisory',
  'no-baseline': '🆕 no baseline',
  'no-data': '⚪ no data',
  'not-gated': '➖ not gated',
};

/** Renders the whole report, shortened to fit `maxLength` when needed. */
export function renderReport(input: ReportInput): string {
  const findings = renderFindings(input.comparison);
  const resources = renderResources(input.head, input.base);
  const charts = renderCharts(input.head, input.base);
  const sections: Section[] = [
    { text: COMMENT_MARKER, required: true },
    { text: renderHeadline(input), required: true },
    ...(findings ? [{ text: findings, required: true }] : []),
    ...input.comparison.scenarios.map((scenario) => {
      const result = input.head.scenarios.find((candidate) => candidate.name === scenario.name);
      const hasBaseline = input.comparison.baseline === 'present';
      return {
        text: renderScenario(scenario, result, hasBaseline),
        required: true,
        shrink: () => renderScenario(scenario, result, hasBaseline, SHRUNK_ROWS),
      };
    }),
    ...(resources ? [{ text: resources }] : []),
    ...(charts ? [{ text: charts }] : []),
    ...renderDetails(input).map((text) => ({ text })),
    { text: renderFooter(input), required: true },
  ];
  return fitToLimit(sections, input.maxLength ?? COMMENT_LIMIT, input.fullReportHint);
}

const TITLES: Record<Verdict, string> = {
  invalid: '## ⛔ perf-gate: invalid measurement',
  regression: '## ❌ perf-gate: slower than the baseline',
  faults: '## ❌ perf-gate: faults under load',
  'over-budget': '## ❌ perf-gate: over budget',
  inconclusive: '## ⚠️ perf-gate: inconclusive',
  improvement: '## 🚀 perf-gate: faster than the baseline',
  pass: '## ✅ perf-gate: no regression',
  'no-baseline': '## 🆕 perf-gate: no baseline yet',
};

function renderHeadline(input: ReportInput): string {
  const { comparison, base } = input;
  const lines: string[] = [TITLES[comparison.verdict], ''];
  const endpointCount = distinctEndpoints(
    comparison.scenarios.flatMap((scenario) => scenario.endpoints),
  );
  const scenarioText = plural(comparison.scenarios.length, 'scenario');
  switch (comparison.verdict) {
    case 'invalid':
      lines.push('The measurement cannot be trusted, so it was not judged:', '');
      for (const failure of comparison.failures.slice(0, MAX_HEADLINE_ITEMS))
        lines.push(`- ${escapeMarkdown(failure)}`);
      break;
    case 'regression':
    case 'faults':
    case 'over-budget':
      lines.push(...renderFailures(comparison));
      break;
    case 'inconclusive':
      lines.push(
        `No regression was proven, but ${plural(comparison.counts.inconclusive, 'metric')} moved beyond the margin without enough confidence, or part of the baseline was not measured:`,
        '',
        ...renderInconclusive(comparison),
      );
      break;
    case 'improvement':
      lines.push(
        `${plural(endpointCount, 'endpoint')} in ${scenarioText} within budget and margin; ${plural(comparison.counts.improvements, 'metric')} faster than the baseline.`,
      );
      break;
    case 'pass':
      lines.push(
        `${plural(endpointCount, 'endpoint')} in ${scenarioText} within budget and margin.`,
      );
      break;
    case 'no-baseline':
      lines.push(
        `${plural(endpointCount, 'endpoint')} in ${scenarioText} measured and within budget; ` +
          'there is no baseline to compare with, so regressions cannot be judged. ' +
          'Record one on the base branch (perf-gate run --save-baseline DIR, or a push to the default branch in CI).',
      );
      break;
  }
  // Without a baseline nothing was compared, so no method applies.
  if (comparison.baseline === 'present') lines.push('', describeMethod(comparison));
  lines.push(
    '',
    base
      ? `Baseline: ${describeRun(base)}. This run: ${describeRun(input.head)}.`
      : `This run: ${describeRun(input.head)}.`,
  );
  if (comparison.environmentWarnings.length > 0) {
    lines.push(
      '',
      '> [!WARNING]',
      '> Base and head ran in different environments, so part of any difference may come from them:',
    );
    for (const warning of comparison.environmentWarnings)
      lines.push(`> - ${escapeMarkdown(warning)}`);
  }
  if (comparison.missingScenarios.length > 0) {
    lines.push(
      '',
      `Not run this time, though in the baseline: ${comparison.missingScenarios.map(codeSpan).join(', ')}.`,
    );
  }
  return lines.join('\n');
}

/** Lists the inconclusive metrics and the parts of the baseline that were not measured. */
function renderInconclusive(comparison: Comparison): string[] {
  const lines: string[] = [];
  for (const scenario of comparison.scenarios) {
    for (const endpoint of scenario.endpoints) {
      const metrics = endpoint.metrics
        .filter((metric) => metric.status === 'inconclusive')
        .map(describeFailingMetric);
      if (metrics.length > 0)
        lines.push(
          `- ${codeSpan(endpoint.key)} in ${escapeMarkdown(scenario.name)}: ${metrics.join(', ')}`,
        );
    }
    if (scenario.missingEndpoints.length > 0) {
      lines.push(
        `- ${escapeMarkdown(scenario.name)}: in the baseline but not measured: ${scenario.missingEndpoints.map(codeSpan).join(', ')}`,
      );
    }
  }
  if (comparison.missingScenarios.length > 0) {
    lines.push(
      `- scenarios in the baseline but not run: ${comparison.missingScenarios.map(codeSpan).join(', ')}`,
    );
  }
  return lines;
}

/** Describes how the comparison was made, in a sentence or two. */
function describeMethod(comparison: Comparison): string {
  const { method } = comparison;
  const alpha =
    method.familyAlpha === undefined
      ? ''
      : ` Holm's method keeps the chance of any false regression in this comparison under ${formatNumber(method.familyAlpha * 100, 0)} % over ${plural(method.tests ?? 0, 'gated test')}.`;
  switch (method.kind) {
    case 'paired':
      return `_Paired comparison: ${plural(method.samples, 'pair')} of base and head runs, alternating on this machine; each metric is judged on the log ratios of the pairs.${alpha}_`;
    case 'history':
      return `_Compared with the spread of ${plural(method.samples, 'baseline run')}${method.headRuns > 1 ? `, this measurement being ${plural(method.headRuns, 'run')}` : ''}; the margin is at least the noise between runs.${alpha}_`;
    case 'tolerance':
      return `_${method.note ?? 'One run against one baseline run: tolerances only, no estimate of noise.'}_`;
  }
}

function distinctEndpoints(endpoints: readonly EndpointComparison[]): number {
  return new Set(endpoints.map((endpoint) => endpoint.key)).size;
}

/** Lists what failed: invalid scenarios, one line per endpoint with its failing metrics, then other failures. */
function renderFailures(comparison: Comparison): string[] {
  const { counts } = comparison;
  const lines: string[] = [];
  const failing = comparison.scenarios.flatMap((scenario) =>
    scenario.endpoints
      .filter((endpoint) =>
        endpoint.metrics.some(
          (metric) => metric.status === 'regression' || metric.status === 'over-budget',
        ),
      )
      .map((endpoint) => ({ scenario, endpoint })),
  );
  const parts: string[] = [];
  if (counts.regressions > 0) parts.push(`${plural(counts.regressions, 'metric')} regressed`);
  if (counts.overBudget > 0) parts.push(`${plural(counts.overBudget, 'budget')} exceeded`);
  if (parts.length > 0) {
    const affected = distinctEndpoints(failing.map(({ endpoint }) => endpoint));
    const total = distinctEndpoints(comparison.scenarios.flatMap((scenario) => scenario.endpoints));
    lines.push(
      `**${parts.join(', ')}** on ${formatNumber(affected, 0)} of ${plural(total, 'endpoint')}:`,
      '',
    );
  }
  for (const { scenario, endpoint } of failing.slice(0, MAX_HEADLINE_ITEMS)) {
    const metrics = endpoint.metrics
      .filter((metric) => metric.status === 'regression' || metric.status === 'over-budget')
      .map(describeFailingMetric);
    lines.push(
      `- ${codeSpan(endpoint.key)} in ${escapeMarkdown(scenario.name)}: ${metrics.join(', ')}`,
    );
  }
  if (failing.length > MAX_HEADLINE_ITEMS) {
    lines.push(
      `- … and ${failing.length - MAX_HEADLINE_ITEMS} more endpoints, in the tables below`,
    );
  }

  const newFindings = comparison.findings.filter((finding) => !finding.inBaseline).length;
  if (newFindings > 0) {
    if (lines.length > 0) lines.push('');
    lines.push(
      comparison.baseline === 'present'
        ? `**${plural(newFindings, 'fault')} found under load** that the baseline did not have, listed below.`
        : `**${plural(newFindings, 'fault')} found under load**, listed below.`,
    );
  }
  const other = comparison.scenarios.flatMap((scenario) =>
    scenario.failures.map((failure) => `${scenario.name}: ${failure}`),
  );
  if (comparison.baseline === 'missing-fails') {
    other.push(
      'No baseline was found, and the configuration says a missing baseline fails (baseline.missing: fail).',
    );
  }
  if (other.length > 0) {
    if (lines.length > 0 && lines.at(-1) !== '') lines.push('');
    for (const failure of other) lines.push(`- ${escapeMarkdown(failure)}`);
  }
  while (lines.at(-1) === '') lines.pop();
  return lines;
}

function describeFailingMetric(metric: MetricComparison): string {
  const definition = metricDefinition(metric.metric);
  const value = (number: number) => formatValue(definition.unit, number);
  if (metric.status === 'over-budget' && metric.head !== undefined && metric.budget !== undefined) {
    return `${definition.label} ${value(metric.head)} over the ${value(metric.budget)} budget`;
  }
  if (metric.head === undefined || metric.base === undefined) return definition.label;
  const change =
    metric.change === undefined
      ? ''
      : ` (${formatChange(definition, metric.change)}${metric.interval ? `, 95 % CI ${formatInterval(definition, metric.interval)}` : ''})`;
  return `${definition.label} ${value(metric.base)} → ${value(metric.head)}${change}`;
}

/** Renders one scenario's table; with `maxRows` only failing and notable rows are kept, at most that many. */
export function renderScenario(
  scenario: ScenarioComparison,
  result: ScenarioResult | undefined,
  hasBaseline: boolean,
  maxRows?: number,
): string {
  const lines = [`### ${escapeMarkdown(scenario.name)}`, ''];
  if (result) lines.push(describeScenario(result), '');
  if (scenario.invalid.length > 0) {
    lines.push('> [!CAUTION]', '> Invalid run, not judged:');
    for (const reason of scenario.invalid) lines.push(`> - ${escapeMarkdown(reason)}`);
    lines.push('');
  }
  for (const failure of scenario.failures)
    lines.push('> [!WARNING]', `> ${escapeMarkdown(failure)}`, '');

  if (scenario.inBaseline) lines.push(...comparisonTable(scenario, maxRows));
  else if (scenario.endpoints.length > 0) lines.push(measurementTable(scenario));
  if (scenario.endpoints.length === 0)
    lines.push('_No endpoint received requests in the measured window._');
  if (scenario.missingEndpoints.length > 0) {
    lines.push(
      '',
      `In the baseline but not requested this time: ${scenario.missingEndpoints.map(codeSpan).join(', ')}.`,
    );
  }
  if (hasBaseline && !scenario.inBaseline)
    lines.push('', '_Not in the baseline: these figures are not compared with anything._');
  return lines.join('\n');
}

/** Columns of the comparison table; optional ones appear only when a row has a value for them. */
const COLUMNS = [
  'Endpoint',
  'Metric',
  'Budget',
  'Baseline',
  'This run',
  'Change (95 % CI)',
  'Margin',
  'Detectable',
  'Status',
] as const;
const OPTIONAL_COLUMNS = new Set(['Budget', 'Margin', 'Detectable']);

/**
 * Renders one row per metric: endpoint, metric, budget, baseline, this run, the change with its
 * confidence interval, the margin the decision used, the smallest detectable change, status.
 */
function comparisonTable(scenario: ScenarioComparison, maxRows: number | undefined): string[] {
  const rows: { severity: number; cells: string[] }[] = [];
  for (const endpoint of scenario.endpoints) {
    let first = true;
    for (const metric of endpoint.metrics) {
      // Ungated metrics without a test (max, by default) are shown only where an endpoint failed.
      if (
        metric.status === 'not-gated' &&
        metric.change === undefined &&
        (metric.head === undefined || severityOf(endpoint) < 2)
      )
        continue;
      rows.push({ severity: severityOf(endpoint), cells: metricRow(endpoint, metric, first) });
      first = false;
    }
  }
  let shown = rows;
  if (maxRows !== undefined && rows.length > maxRows)
    shown = rows.filter((row) => row.severity > 0).slice(0, maxRows);
  const keep = COLUMNS.map(
    (column, index) =>
      !OPTIONAL_COLUMNS.has(column) || shown.some((row) => row.cells[index] !== '–'),
  );
  const pick = (cells: readonly string[]) => cells.filter((_, index) => keep[index]);
  const lines: string[] = [];
  if (shown.length > 0) {
    const align = pick(['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'l']);
    lines.push(
      markdownTable([pick(COLUMNS), ...shown.map((row) => pick(row.cells))], {
        align,
        alignDelimiters: false,
      }),
    );
  }
  if (shown.length < rows.length)
    lines.push(
      '',
      `_${rows.length - shown.length} passing rows left out to fit GitHub's comment limit._`,
    );
  return lines;
}

/** Without a baseline there is nothing to compare: one row per endpoint with its figures. */
function measurementTable(scenario: ScenarioComparison): string {
  const columns: MetricComparison['metric'][] = [
    'p50',
    'p90',
    'p95',
    'p99',
    'errorRatio',
    'throughput',
  ];
  const header = [
    'Endpoint',
    'Requests',
    ...columns.map((id) => metricDefinition(id).label),
    'Status',
  ];
  const rows = scenario.endpoints.map((endpoint) => {
    const cells = columns.map((id) => {
      const metric = endpoint.metrics.find((candidate) => candidate.metric === id);
      if (metric?.head === undefined) return '–';
      const text = formatValue(metricDefinition(id).unit, metric.head);
      return metric.status === 'over-budget' ? `**${text}** ❌` : text;
    });
    const status =
      endpoint.status === 'over-budget'
        ? `**${STATUS_LABELS['over-budget']}**`
        : endpoint.metrics.some((metric) => metric.budget !== undefined)
          ? '✅ within budget'
          : STATUS_LABELS['no-baseline'];
    return [codeSpan(endpoint.key), formatNumber(endpoint.requests, 0), ...cells, status];
  });
  return markdownTable([header, ...rows], {
    align: ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l'],
    alignDelimiters: false,
  });
}

function severityOf(endpoint: EndpointComparison): number {
  if (
    endpoint.metrics.some(
      (metric) => metric.status === 'regression' || metric.status === 'over-budget',
    )
  )
    return 3;
  if (endpoint.metrics.some((metric) => metric.status === 'inconclusive')) return 2;
  return endpoint.metrics.some(
    (metric) => metric.status === 'improvement' || metric.status === 'advisory',
  )
    ? 1
    : 0;
}

function metricRow(
  endpoint: EndpointComparison,
  metric: MetricComparison,
  first: boolean,
): string[] {
  const definition = metricDefinition(metric.metric);
  const value = (number: number | undefined) =>
    number === undefined ? '–' : formatValue(definition.unit, number);
  let change = '–';
  if (metric.change !== undefined) {
    change = formatChange(definition, metric.change);
    if (metric.interval) change += ` (${formatInterval(definition, metric.interval)})`;
  }
  const margin = metric.margin === undefined ? '–' : formatMargin(definition, metric.margin);
  const detectable =
    metric.detectable === undefined ? '–' : formatChange(definition, metric.detectable);
  let status =
    metric.status === 'regression' || metric.status === 'over-budget'
      ? `**${STATUS_LABELS[metric.status]}**`
      : STATUS_LABELS[metric.status];
  // A change beyond the margin that passed because it is smaller than the latency floor.
  if (
    metric.status === 'pass' &&
    metric.floorMs !== undefined &&
    metric.change !== undefined &&
    metric.margin !== undefined &&
    metric.change > metric.margin
  )
    status += `, change under ${formatMs(metric.floorMs).replace(/\.0+ ms$/u, ' ms')}`;
  return [
    first ? codeSpan(endpoint.key) : '',
    definition.label,
    value(metric.budget),
    value(metric.base),
    value(metric.head),
    change,
    margin,
    detectable,
    status,
  ];
}

/** Formats a change in the metric's kind: `+12.4 %`, or `+0.50 pp` for the error rate. */
function formatChange(definition: MetricDefinition, change: number): string {
  return definition.toleranceKind === 'absolute'
    ? formatPointChange(change)
    : formatRelativeChange(change);
}

function formatInterval(definition: MetricDefinition, interval: [number, number]): string {
  return `${formatChange(definition, interval[0])} to ${formatChange(definition, interval[1])}`;
}

/** Formats a margin with the direction that counts as worse: `+5.0 %`, `-5.0 %`, `+0.50 pp`. */
function formatMargin(definition: MetricDefinition, margin: number): string {
  if (definition.toleranceKind === 'absolute') return formatPointChange(margin);
  return definition.better === 'lower'
    ? formatRelativeChange(margin)
    : formatRelativeChange(-margin);
}

function describeScenario(result: ScenarioResult): string {
  const settings = Object.entries(result.settings)
    .map(([key, value]) => `${key} ${escapeMarkdown(String(value))}`)
    .join(', ');
  const requests = `${formatNumber(result.total.requests, 0)} requests in ${formatNumber(result.measuredSeconds, 1)} s measured`;
  const warmup =
    result.warmup.requests > 0
      ? ` after ${formatNumber(result.warmup.requests, 0)} in the warm-up`
      : '';
  return `${result.tool}: ${settings || 'no settings recorded'}. ${requests}${warmup}.`;
}

function renderFooter(input: ReportInput): string {
  const metrics = METRICS.map((metric) => metric.label).join(', ');
  const advisory =
    input.comparison.method.kind === 'tolerance'
      ? ''
      : ' · Change: 95 % confidence interval · Detectable: smallest change found with 80 % power, an estimate';
  return `<sub>perf-gate ${escapeMarkdown(input.head.perfGateVersion)} · metrics ${metrics}${advisory}</sub>`;
}

function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${formatNumber(count, 0)} ${count === 1 ? singular : pluralForm}`;
}
