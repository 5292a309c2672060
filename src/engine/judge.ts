/**
 * Compare, then render: the steps after a measurement that the CLI and the action share.
 */
import { noiseAwareComparator } from '../compare/compare-runs.js';
import type { Comparator, Comparison, ComparisonContext, Policy } from '../compare/types.js';
import { renderReport } from '../report/markdown.js';
import type { RunResult } from '../result/types.js';

export interface Judgement {
  comparison: Comparison;
  /** The report, sized for a pull request comment. */
  markdown: string;
}

export interface JudgeOptions {
  head: RunResult;
  base?: RunResult;
  policy: Policy;
  /** Earlier baseline runs, for the history comparison. */
  history?: ComparisonContext['history'];
  comparator?: Comparator;
  fullReportHint?: string;
  maxLength?: number;
}

/** Compares `head` with `base` under `policy` and renders the report. */
export function judge(options: JudgeOptions): Judgement {
  const comparator = options.comparator ?? noiseAwareComparator;
  const comparison = comparator.compare(
    options.head,
    options.base,
    options.policy,
    options.history ? { history: options.history } : {},
  );
  const markdown = renderReport({
    comparison,
    head: options.head,
    ...(options.base ? { base: options.base } : {}),
    ...(options.fullReportHint ? { fullReportHint: options.fullReportHint } : {}),
    ...(options.maxLength ? { maxLength: options.maxLength } : {}),
  });
  return { comparison, markdown };
}
