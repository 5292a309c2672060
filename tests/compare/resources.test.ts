/**
 * What the monitoring found, judged against the baseline: a new fault fails, one the baseline
 * had does not, and containers over their resource budgets fail their scenario.
 */
import { describe, expect, it } from 'vitest';

import { defaultPolicy } from '../../src/compare/policy.js';
import { toleranceComparator } from '../../src/compare/tolerance-comparator.js';
import { FAILING_VERDICTS } from '../../src/compare/types.js';
import type { ContainerResources, Finding } from '../../src/result/types.js';
import { endpoint, run, scenario } from '../helpers/results.js';

const MiB = 2 ** 20;

function container(overrides: Partial<ContainerResources> = {}): ContainerResources {
  return {
    name: 'api-1',
    service: 'api',
    samples: 20,
    cpuMeanPercent: 25,
    cpuMaxPercent: 60,
    memoryMeanBytes: 30 * MiB,
    memoryMaxBytes: 32 * MiB,
    closeWaitMax: 0,
    oomKills: 0,
    restarts: 0,
    notes: [],
    timeline: [],
    ...overrides,
  };
}

const LEAK: Finding = {
  kind: 'connection-leak',
  container: 'api-1',
  message:
    'Connection leak in api (api-1) in vegeta baseline: sockets in CLOSE_WAIT rose to 40, and 40 were still there after the load stopped.',
};

function measured(findings: Finding[], resources = [container()]) {
  return run([scenario('vegeta baseline', [endpoint('GET /api/movies')], { findings, resources })]);
}

describe('findings', () => {
  it('fail the gate when the baseline did not have them', () => {
    const comparison = toleranceComparator.compare(measured([LEAK]), measured([]), defaultPolicy());
    expect(comparison.verdict).toBe('faults');
    expect(FAILING_VERDICTS.has(comparison.verdict)).toBe(true);
    expect(comparison.findings).toEqual([
      { ...LEAK, scenario: 'vegeta baseline', inBaseline: false },
    ]);
    expect(comparison.failures).toContain(LEAK.message);
  });

  it('pass when the baseline had them', () => {
    const comparison = toleranceComparator.compare(
      measured([LEAK]),
      measured([{ ...LEAK, message: 'an older wording' }]),
      defaultPolicy(),
    );
    expect(comparison.verdict).toBe('pass');
    expect(comparison.findings[0]?.inBaseline).toBe(true);
  });

  it('fail without a baseline, since nothing shows the fault was there before', () => {
    const comparison = toleranceComparator.compare(measured([LEAK]), undefined, defaultPolicy());
    expect(comparison.verdict).toBe('faults');
  });

  it('leave a healthy run alone', () => {
    const comparison = toleranceComparator.compare(measured([]), measured([]), defaultPolicy());
    expect(comparison.verdict).toBe('pass');
    expect(comparison.findings).toEqual([]);
  });
});

describe('resource budgets', () => {
  const policy = () => ({
    ...defaultPolicy(),
    resourceBudgets: { memoryBytes: 200 * 1e6, cpuPercent: 40 },
  });

  it('pass containers within them', () => {
    const comparison = toleranceComparator.compare(measured([]), measured([]), policy());
    expect(comparison.verdict).toBe('pass');
  });

  it('fail the scenario of a container over them, naming figure and budget', () => {
    const hungry = container({ memoryMaxBytes: 250 * MiB, cpuMeanPercent: 55 });
    const comparison = toleranceComparator.compare(measured([], [hungry]), measured([]), policy());
    expect(comparison.verdict).toBe('over-budget');
    expect(comparison.scenarios[0]?.failures).toEqual([
      'api (api-1): memory peaked at 250 MiB, over the budget of 191 MiB',
      'api (api-1): CPU averaged 55 % of a core, over the budget of 40 %',
    ]);
  });
});
