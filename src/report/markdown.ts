/**
 * Renders a comparison as the Markdown that the pull request comment and the job summary carry:
 * the verdict first, then a table per scenario, then what was compared with what and the details,
 * folded. Everything arrives as arguments; nothing is read from the environment.
 */
import { markdownTable } from 'markdown-table';

import { COMMENT_LIMIT, COMMENT_MARKER } from '../constants.js';
import { METRICS, metricDefinition } from '../compare/metrics.js';
import type {
  Comparison,
  EndpointComparison,
  MetricComparison,
  MetricStatus,
  ScenarioComparison,
} from '../compare/types.js';
import { formatNumber, formatPointChange, formatRelativeChange, formatValue } from '../format.js';
import type { RunResult, ScenarioResult } from '../result/types.js';
import { codeSpan, escapeMarkdown } from './escape.js';
import { describeRun, renderDetails } from './details.js';
import { fitToLimit, type Section } from './limit.js';

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
  'over-budget': '❌ over budget',
  'no-baseline': '🆕 no baseline',
  'no-data': '⚪ no data',
  'not-gated': '➖ not gated',
};

/** Renders the whole report, shortened to fit `maxLength` when needed. */
export function renderReport(input: ReportInput): string {
  const sections: Section[] = [
    { text: COMMENT_MARKER, required: true },
    { text: renderHeadline(input), required: true },
    ...input.comparison.scenarios.map((scenario) => {
      const result = input.head.scenarios.find((candidate) => candidate.name === scenario.name);
      return {
        text: renderScenario(scenario, result),
        required: true,
        shrink: () => renderScenario(scenario, result, SHRUNK_ROWS),
      };
    }),
    ...renderDetails(input).map((text) => ({ text })),
    { text: renderFooter(input), required: true },
  ];
  return fitToLimit(sections, input.maxLength ?? COMMENT_LIMIT, input.fullReportHint);
}

/** Lists what failed: one line per endpoint with its failing metrics, then other failures. */
function renderFailures(comparison: Comparison): string[] {
  const { counts } = comparison;
  const failing = comparison.scenarios.flatMap((scenario) =>
    scenario.endpoints
      .filter((endpoint) => endpoint.status === 'regression' || endpoint.status === 'over-budget')
      .map((endpoint) => ({ scenario, endpoint })),
  );

  const parts: string[] = [];
  if (counts.regressions > 0) parts.push(`${plural(counts.regressions, 'metric')} regressed`);
  if (counts.overBudget > 0) parts.push(`${plural(counts.overBudget, 'budget')} exceeded`);

  const lines: string[] = [];
  if (parts.length > 0) {
    lines.push(
      `**${parts.join(', ')}** on ${formatNumber(failing.length, 0)} of ${plural(counts.endpoints, 'endpoint')}:`,
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

  const other = comparison.scenarios.flatMap((scenario) =>
    scenario.failures.map((failure) => `${scenario.name}: ${failure}`),
  );
  if (comparison.baseline === 'missing-fails') {
    other.push(
      'No baseline was found, and the configuration says a missing baseline fails (baseline.missing: fail).',
    );
  }
  if (other.length > 0) {
    if (lines.length > 0) lines.push('');
    for (const failure of other) lines.push(`- ${escapeMarkdown(failure)}`);
  }
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
      : ` (${definition.toleranceKind === 'absolute' ? formatPointChange(metric.change) : formatRelativeChange(metric.change)})`;
  return `${definition.label} ${value(metric.base)} → ${value(metric.head)}${change}`;
}

function renderHeadline(input: ReportInput): string {
  const { comparison, base } = input;
  const { counts } = comparison;
  const lines: string[] = [];
  switch (comparison.verdict) {
    case 'fail': {
      const title =
        counts.regressions > 0
          ? 'slower than the baseline'
          : counts.overBudget > 0
            ? 'over budget'
            : 'failed';
      lines.push(`## ❌ perf-gate: ${title}`, '');
      lines.push(...renderFailures(comparison));
      break;
    }
    case 'pass': {
      lines.push('## ✅ perf-gate: no regression', '');
      const faster =
        counts.improvements > 0
          ? `; ${plural(counts.improvements, 'metric')} faster than the baseline`
          : '';
      lines.push(
        `${plural(counts.endpoints, 'endpoint')} in ${plural(comparison.scenarios.length, 'scenario')} within budget and tolerance${faster}.`,
      );
      break;
    }
    case 'no-baseline':
      lines.push('## 🆕 perf-gate: no baseline yet', '');
      lines.push(
        `${plural(counts.endpoints, 'endpoint')} in ${plural(comparison.scenarios.length, 'scenario')} measured and within budget; ` +
          'there is no baseline to compare with, so regressions cannot be judged. ' +
          'Record one on the base branch (perf-gate run --save-baseline DIR, or a push to the default branch in CI).',
      );
      break;
  }
  lines.push('');
  lines.push(
    base
      ? `Baseline: ${describeRun(base)}. This run: ${describeRun(input.head)}.`
      : `This run: ${describeRun(input.head)}.`,
  );
  if (comparison.missingScenarios.length > 0) {
    lines.push(
      '',
      `Not run this time, though in the baseline: ${comparison.missingScenarios.map(codeSpan).join(', ')}.`,
    );
  }
  return lines.join('\n');
}

/** Renders one scenario's table; with `maxRows` only failing and faster rows are kept, at most that many. */
export function renderScenario(
  scenario: ScenarioComparison,
  result: ScenarioResult | undefined,
  maxRows?: number,
): string {
  const lines = [`### ${escapeMarkdown(scenario.name)}`, ''];
  if (result) lines.push(describeScenario(result), '');
  for (const failure of scenario.failures)
    lines.push(`> [!WARNING]`, `> ${escapeMarkdown(failure)}`, '');

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
  if (!scenario.inBaseline)
    lines.push('', '_Not in the baseline: these figures are not compared with anything._');
  return lines.join('\n');
}

/** Renders one row per metric: endpoint, metric, budget, baseline, this run, change, status. */
function comparisonTable(scenario: ScenarioComparison, maxRows: number | undefined): string[] {
  const rows: { severity: number; cells: string[] }[] = [];
  for (const endpoint of scenario.endpoints) {
    let first = true;
    for (const metric of endpoint.metrics) {
      // Ungated metrics (max, by default) are shown only where an endpoint failed.
      if (metric.status === 'not-gated' && (metric.head === undefined || severityOf(endpoint) < 2))
        continue;
      rows.push({ severity: severityOf(endpoint), cells: metricRow(endpoint, metric, first) });
      first = false;
    }
  }
  let shown = rows;
  if (maxRows !== undefined && rows.length > maxRows)
    shown = rows.filter((row) => row.severity > 0).slice(0, maxRows);
  const lines: string[] = [];
  if (shown.length > 0) {
    lines.push(
      markdownTable(
        [
          ['Endpoint', 'Metric', 'Budget', 'Baseline', 'This run', 'Change', 'Status'],
          ...shown.map((row) => row.cells),
        ],
        { align: ['l', 'l', 'r', 'r', 'r', 'r', 'l'], alignDelimiters: false },
      ),
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
  return endpoint.status === 'regression' || endpoint.status === 'over-budget'
    ? 2
    : endpoint.status === 'improvement'
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
    change =
      definition.toleranceKind === 'absolute'
        ? formatPointChange(metric.change)
        : formatRelativeChange(metric.change);
  }
  const status =
    metric.status === 'regression' || metric.status === 'over-budget'
      ? `**${STATUS_LABELS[metric.status]}**`
      : STATUS_LABELS[metric.status];
  return [
    first ? codeSpan(endpoint.key) : '',
    definition.label,
    value(metric.budget),
    value(metric.base),
    value(metric.head),
    change,
    status,
  ];
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
  const tolerances = METRICS.map((metric) => metric.id).join(', ');
  return `<sub>perf-gate ${escapeMarkdown(input.head.perfGateVersion)} · metrics ${tolerances} · plain tolerance rule: one run against one baseline run</sub>`;
}

function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${formatNumber(count, 0)} ${count === 1 ? singular : pluralForm}`;
}
