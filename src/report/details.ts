/**
 * The folded sections of the report: what was compared with what, requests and errors per
 * endpoint, cross-checks and notes.
 */
import { markdownTable } from 'markdown-table';

import { formatMs, formatNumber } from '../format.js';
import type { RunResult, ScenarioResult } from '../result/types.js';
import { codeSpan, escapeMarkdown } from './escape.js';
import type { ReportInput } from './markdown.js';

/** Describes a run in a phrase: "`main` @ `3f9a1c2` recorded 2026-12-04 19:02 UTC". */
export function describeRun(run: RunResult): string {
  const parts: string[] = [];
  const ref = shortRef(run.source.ref);
  if (ref) parts.push(codeSpan(ref));
  if (run.source.commit)
    parts.push(`${ref ? '@ ' : 'commit '}${codeSpan(run.source.commit.slice(0, 7))}`);
  if (run.source.file) parts.push(`from ${codeSpan(run.source.file)}`);
  parts.push(`recorded ${formatTime(run.createdAt)}`);
  return parts.join(' ');
}

function shortRef(ref: string | undefined): string | undefined {
  return ref?.replace(/^refs\/(heads|tags)\//u, '');
}

function formatTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return escapeMarkdown(iso);
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function fold(summary: string, body: string): string {
  return `<details><summary>${summary}</summary>\n\n${body}\n\n</details>`;
}

/** Renders every folded section, most useful first; the size limit drops them from the end. */
export function renderDetails(input: ReportInput): string[] {
  const sections = [renderCompared(input), renderRequests(input.head)];
  const errors = renderErrors(input.head);
  if (errors) sections.push(errors);
  sections.push(renderCrossChecks(input.head));
  const notes = input.head.scenarios.flatMap((scenario) =>
    scenario.notes.map((note) => `- ${escapeMarkdown(scenario.name)}: ${escapeMarkdown(note)}`),
  );
  if (notes.length > 0) sections.push(fold('Notes', notes.join('\n')));
  return sections;
}

function renderCompared({ head, base }: ReportInput): string {
  const rows: string[][] = [];
  const add = (label: string, pick: (run: RunResult) => string | undefined) => {
    const headPicked = pick(head);
    const basePicked = base ? pick(base) : undefined;
    // A row that neither side has a value for says nothing.
    if (headPicked === undefined && basePicked === undefined) return;
    const headValue = headPicked ?? '–';
    rows.push(base ? [label, basePicked ?? '–', headValue] : [label, headValue]);
  };
  add('Commit', (run) =>
    run.source.commit ? codeSpan(run.source.commit.slice(0, 12)) : undefined,
  );
  add('Ref', (run) => (run.source.ref ? codeSpan(run.source.ref) : undefined));
  add('Recorded', (run) => formatTime(run.createdAt));
  add('perf-gate', (run) => escapeMarkdown(run.perfGateVersion));
  const tools = new Set([...Object.keys(head.tools), ...Object.keys(base?.tools ?? {})]);
  for (const tool of [...tools].sort())
    add(escapeMarkdown(tool), (run) =>
      run.tools[tool] ? escapeMarkdown(run.tools[tool]) : undefined,
    );
  add('Machine', (run) =>
    run.environment
      ? escapeMarkdown(
          `${run.environment.cpuCount} × ${run.environment.cpuModel}, ${formatNumber(run.environment.memoryBytes / 2 ** 30, 1)} GiB, ${run.environment.os} ${run.environment.kernel}`,
        )
      : undefined,
  );
  add('Run', (run) => (run.source.runUrl ? `[link](${encodeURI(run.source.runUrl)})` : undefined));
  const header = base ? ['', 'Baseline', 'This run'] : ['', 'This run'];
  const suite = head.scenarios.map(
    (scenario) => `- **${escapeMarkdown(scenario.name)}**: ${describeSettings(scenario)}`,
  );
  return fold(
    'What was compared',
    `${markdownTable([header, ...rows], { alignDelimiters: false })}\n\nSuite of this run:\n\n${suite.join('\n')}`,
  );
}

function describeSettings(scenario: ScenarioResult): string {
  const settings = Object.entries(scenario.settings).map(
    ([key, value]) => `${key} ${escapeMarkdown(String(value))}`,
  );
  return `${scenario.tool}, ${settings.join(', ') || 'no settings recorded'}`;
}

function renderRequests(head: RunResult): string {
  const rows = [['Scenario', 'Endpoint', 'Requests', 'Failed', 'Status codes', 'Mean', 'Max']];
  for (const scenario of head.scenarios) {
    for (const endpoint of [...scenario.endpoints, scenario.total]) {
      const codes = Object.entries(endpoint.statusCodes)
        .map(([code, count]) => `${code === '0' ? 'none' : code}: ${formatNumber(count, 0)}`)
        .join(', ');
      rows.push([
        escapeMarkdown(scenario.name),
        endpoint === scenario.total ? '**all**' : codeSpan(endpoint.key),
        formatNumber(endpoint.requests, 0),
        formatNumber(endpoint.failures, 0),
        codes || '–',
        endpoint.latency.meanMs === undefined ? '–' : formatMs(endpoint.latency.meanMs),
        endpoint.latency.maxMs === undefined ? '–' : formatMs(endpoint.latency.maxMs),
      ]);
    }
  }
  return fold(
    'Requests per endpoint',
    markdownTable(rows, { align: ['l', 'l', 'r', 'r', 'l', 'r', 'r'], alignDelimiters: false }),
  );
}

function renderErrors(head: RunResult): string | undefined {
  const rows = [['Scenario', 'Endpoint', 'Count', 'Error']];
  for (const scenario of head.scenarios) {
    for (const endpoint of scenario.endpoints) {
      for (const [message, count] of Object.entries(endpoint.errors)) {
        rows.push([
          escapeMarkdown(scenario.name),
          codeSpan(endpoint.key),
          formatNumber(count, 0),
          escapeMarkdown(message.slice(0, 300)),
        ]);
      }
    }
  }
  if (rows.length === 1) return undefined;
  return fold(
    `Errors (${formatNumber(rows.length - 1, 0)} distinct)`,
    markdownTable(rows, { align: ['l', 'l', 'r', 'l'], alignDelimiters: false }),
  );
}

function renderCrossChecks(head: RunResult): string {
  const lines: string[] = [
    "Figures recomputed from every request of the raw output, compared with the tool's own summary of the same run (warm-up included).",
    '',
  ];
  for (const scenario of head.scenarios) {
    const mismatches = scenario.crossChecks.filter((check) => check.status === 'mismatch');
    if (scenario.crossChecks.length === 0) {
      lines.push(`- ${escapeMarkdown(scenario.name)}: no summary to check against.`);
    } else if (mismatches.length === 0) {
      lines.push(
        `- ${escapeMarkdown(scenario.name)}: all ${scenario.crossChecks.length} figures match (${scenario.crossChecks.map((check) => check.metric).join(', ')}).`,
      );
    } else {
      const listed = mismatches.map(
        (check) =>
          `${check.metric} ours ${formatNumber(check.ours, 3)}, tool ${formatNumber(check.tool, 3)}`,
      );
      lines.push(
        `- ${escapeMarkdown(scenario.name)}: ⚠️ ${mismatches.length} of ${scenario.crossChecks.length} differ: ${listed.join('; ')}.`,
      );
    }
  }
  return fold('Cross-checks', lines.join('\n'));
}
