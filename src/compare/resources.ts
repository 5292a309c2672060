/**
 * Judges what the container monitoring saw. Each finding of this run (a connection leak, memory
 * growth, a restart, an OOM kill, a stopped container, errors in the log) fails the gate. The
 * exception is a finding the baseline had on the same container, because the change did not
 * cause it. Each container's peak memory and mean CPU must stay within the resource budgets.
 */
import type { ResourceBudgets } from '../config/types.js';
import type { Finding, RunResult } from '../result/types.js';

export interface JudgedFinding extends Finding {
  scenario: string;
  /** Whether a baseline run had the same finding, which then does not fail the gate. */
  inBaseline: boolean;
}

export interface ResourceJudgement {
  findings: JudgedFinding[];
  /** One sentence per container over a resource budget, with its scenario. */
  overBudget: { scenario: string; message: string }[];
}

/** Judges the findings and budgets of `head` against the baseline runs in `baselines`. */
export function judgeResources(
  head: RunResult,
  baselines: readonly RunResult[],
  budgets: ResourceBudgets = {},
): ResourceJudgement {
  const findings: JudgedFinding[] = [];
  const overBudget: ResourceJudgement['overBudget'] = [];
  for (const scenario of head.scenarios) {
    for (const finding of scenario.findings ?? []) {
      const inBaseline = baselines.some((baseline) =>
        baseline.scenarios
          .find((candidate) => candidate.name === scenario.name)
          ?.findings?.some(
            (known) => known.kind === finding.kind && known.container === finding.container,
          ),
      );
      findings.push({ ...finding, scenario: scenario.name, inBaseline });
    }
    for (const container of scenario.resources ?? []) {
      const where = `${container.service} (${container.name})`;
      if (
        budgets.memoryBytes !== undefined &&
        container.memoryMaxBytes !== undefined &&
        container.memoryMaxBytes > budgets.memoryBytes
      ) {
        overBudget.push({
          scenario: scenario.name,
          message: `${where}: memory peaked at ${formatBytes(container.memoryMaxBytes)}, over the budget of ${formatBytes(budgets.memoryBytes)}`,
        });
      }
      if (
        budgets.cpuPercent !== undefined &&
        container.cpuMeanPercent !== undefined &&
        container.cpuMeanPercent > budgets.cpuPercent
      ) {
        overBudget.push({
          scenario: scenario.name,
          message: `${where}: CPU averaged ${formatPercent(container.cpuMeanPercent)} of a core, over the budget of ${formatPercent(budgets.cpuPercent)}`,
        });
      }
    }
  }
  return { findings, overBudget };
}

/** Formats bytes in MiB or GiB, as `docker stats` does. */
export function formatBytes(bytes: number): string {
  const mebibytes = bytes / 2 ** 20;
  if (mebibytes >= 1024) return `${(mebibytes / 1024).toFixed(2)} GiB`;
  return `${mebibytes >= 100 ? Math.round(mebibytes) : mebibytes.toFixed(1)} MiB`;
}

export function formatPercent(percent: number): string {
  return `${percent >= 10 ? Math.round(percent) : percent.toFixed(1)} %`;
}
