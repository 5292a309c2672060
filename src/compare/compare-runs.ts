/**
 * Chooses the comparison rule from what was measured: the paired test when base and head ran
 * alternately, the history test when the baseline carries enough earlier runs, and the plain
 * tolerance rule for one run against one baseline run.
 */
import { MIN_HISTORY, compareNoiseAware } from './noise-aware.js';
import { toleranceComparator } from './tolerance-comparator.js';
import type { Comparator, Comparison, ComparisonContext, Policy } from './types.js';
import type { RunResult } from '../result/types.js';

export const noiseAwareComparator: Comparator = {
  compare(
    head: RunResult,
    base: RunResult | undefined,
    policy: Policy,
    context: ComparisonContext = {},
  ): Comparison {
    if (head.design?.kind === 'paired' && base?.design?.kind === 'paired') {
      return compareNoiseAware('paired', head, base, policy, context);
    }
    const history = context.history ?? [];
    if (history.length >= MIN_HISTORY)
      return compareNoiseAware('history', head, base, policy, context);

    const comparison = toleranceComparator.compare(head, base ?? history.at(-1), policy);
    if (history.length > 0) {
      comparison.method.note =
        `Calibrating: the baseline has ${history.length} of the ${MIN_HISTORY} runs needed to learn the noise, ` +
        'so this run is compared with the latest one under plain tolerances.';
    }
    return comparison;
  },
};
