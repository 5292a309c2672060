/**
 * The report of a run that could not produce a verdict: the target did not start, a tool failed,
 * a baseline was unreadable. It says what failed and what to do, with the containers' logs when
 * there are any.
 */
import { COMMENT_LIMIT, COMMENT_MARKER } from '../constants.js';
import { codeBlock, escapeMarkdown } from './escape.js';
import { fitToLimit } from './limit.js';

export interface FailureReportInput {
  /** What failed, in a few words: "the target did not become ready". */
  title: string;
  message: string;
  remedy?: string;
  /** Container logs, newest last; the start is cut when they are too long. */
  logs?: string;
  maxLength?: number;
}

/** Characters of logs kept in a failure report. */
const LOG_BUDGET = 40_000;

export function renderFailureReport(input: FailureReportInput): string {
  const lines = [
    `## ⛔ perf-gate: ${escapeMarkdown(input.title)}`,
    '',
    'No verdict: the run did not finish, so nothing was compared.',
    '',
    codeBlock(input.message),
  ];
  if (input.remedy) lines.push('', `**What to do:** ${escapeMarkdown(input.remedy)}`);
  const sections = [
    { text: COMMENT_MARKER, required: true },
    { text: lines.join('\n'), required: true },
  ];
  if (input.logs !== undefined) {
    const logs = input.logs.trim() === '' ? '(the containers wrote no logs)' : input.logs;
    const kept =
      logs.length > LOG_BUDGET ? `… (earlier lines left out)\n${logs.slice(-LOG_BUDGET)}` : logs;
    sections.push({
      text: `<details open><summary>Container logs</summary>\n\n${codeBlock(kept)}\n\n</details>`,
      required: false,
    });
  }
  return fitToLimit(sections, input.maxLength ?? COMMENT_LIMIT);
}
