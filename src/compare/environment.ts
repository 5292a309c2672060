/**
 * Compares the environment fingerprints of two results. Latency measured on different CPUs,
 * kernels or tool versions differs for reasons that have nothing to do with the code.
 */
import type { RunResult } from '../result/types.js';

/** Returns one sentence per difference between the machines and tools of `base` and `head`. */
export function environmentDifferences(head: RunResult, base: RunResult): string[] {
  const differences: string[] = [];
  const headEnvironment = head.environment;
  const baseEnvironment = base.environment;
  if (headEnvironment && baseEnvironment) {
    if (headEnvironment.cpuModel !== baseEnvironment.cpuModel) {
      differences.push(
        `CPU: the baseline ran on ${baseEnvironment.cpuModel}, this run on ${headEnvironment.cpuModel}`,
      );
    }
    if (headEnvironment.cpuCount !== baseEnvironment.cpuCount) {
      differences.push(
        `CPU count: ${baseEnvironment.cpuCount} for the baseline, ${headEnvironment.cpuCount} for this run`,
      );
    }
    if (headEnvironment.kernel !== baseEnvironment.kernel) {
      differences.push(
        `kernel: ${baseEnvironment.kernel} for the baseline, ${headEnvironment.kernel} for this run`,
      );
    }
  }
  for (const tool of new Set([...Object.keys(head.tools), ...Object.keys(base.tools)])) {
    const before = base.tools[tool];
    const after = head.tools[tool];
    if (before !== undefined && after !== undefined && before !== after) {
      differences.push(`${tool}: ${before} for the baseline, ${after} for this run`);
    }
  }
  return differences;
}
