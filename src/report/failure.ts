/**
 * The report of a run that could not produce a verdict: the target did not start, a tool failed,
 * a baseline was unreadable. It states what failed and what to do, with the containers' logs when
 * there are any.
 */
import { COMMENT_LIMIT, COMMENT_MARKER } from '../constants.js';
import { codeBlock, escapeMarkdown } from './escape.js';
import { fitToLimit } from './limit.js';

export interface FailureReportInput {
  /** Summary of the failure in a few words, such as "the target did not become ready". */
  title: string;
  message: string;
  remedy?: string;
  /** Container logs, newest last; the start is cut when they are too long. */
  logs?: string;
  maxLength?: number;
}

/** Characters of logs kept in a failure report. */
const LOG_BUDGET = 40_000;
/** Room for the marker, the details element, the code fence and the note on cut lines. */
const LOG_FRAME_LENGTH = 300;

export function renderFailureReport(input: FailureReportInput): string {
  const lines = [
    `## ⛔ perf-gate: ${escapeMarkdown(input.title)}`,
    '',
    'No verdict: the run did not finish, so nothing was compared.',
    '',
    codeBlock(input.message),
  ];
  if (input.remedy) lines.push('', `**What to do:** ${escapeMarkdown(input.remedy)}`);
  const header = lines.join('\n');
  const maxLength = input.maxLength ?? COMMENT_LIMIT;
  const sections = [
    { text: COMMENT_MARKER, required: true },
    { text: header, required: true },
  ];
  if (input.logs !== undefined) {
    // The newest lines explain a failure best, so the start of long logs is left out.
    const budget = Math.max(0, Math.min(LOG_BUDGET, maxLength - header.length - LOG_FRAME_LENGTH));
    const logs = input.logs.trim() === '' ? '(the containers wrote no logs)' : input.logs;
    const kept = logs.length > budget ? `… (earlier lines left out)\n${logs.slice(-budget)}` : logs;
    sections.push({
      text: `<details open><summary>Container logs</summary>\n\n${codeBlock(kept)}\n\n</details>`,
      required: true,
    });
  }
  return fitToLimit(sections, maxLength);
}
