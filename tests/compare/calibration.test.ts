/**
 * The calibration's analysis on constructed A/A runs whose noise is known.
 */
import { describe, expect, it } from 'vitest';

import { MAX_PATTERNS, calibrate, signPatterns } from '../../src/compare/calibration.js';
import { defaultPolicy } from '../../src/compare/policy.js';
import type { Policy } from '../../src/compare/types.js';
import { DEFAULT_TOLERANCES } from '../../src/config/defaults.js';
import { renderCalibration } from '../../src/report/calibration.js';
import type { EndpointResult, RunResult } from '../../src/result/types.js';
import { endpoint, run, scenario } from '../helpers/results.js';

/** Per-run multipliers of p50 for sides A and B: B differs from A by ±3 % in alternate pairs. */
const A = [1, 1.01, 0.99, 1.02, 0.98, 1, 1.01, 0.99];
const B = [1.03, 0.98, 1.02, 0.99, 1.01, 0.97, 1.04, 0.96];

function side(role: 'base' | 'head', multipliers: number[]): RunResult {
  const item: EndpointResult = {
    ...endpoint('GET /a', { p50: 100, p95: 200 }),
    runs: multipliers.map((factor) => ({
      requests: 1000,
      failures: 0,
      p50Ms: 100 * factor,
      p90Ms: 180 * factor,
      p95Ms: 200 * factor,
      p99Ms: 300 * factor,
      throughputPerSecond: 50,
    })),
  };
  return run([scenario('vegeta baseline', [item], { runs: multipliers.length })], {
    design: { kind: 'paired', runs: multipliers.length, role },
  });
}

const design = { pairs: 7, history: 20 };

describe('calibration', () => {
  it('measures the noise and finds no false alarm at wide margins', () => {
    const calibration = calibrate(side('base', A), side('head', B), defaultPolicy(), design);
    expect(calibration.pairs).toBe(8);
    expect(calibration.patterns).toBe(256);
    expect(calibration.falseAlarmPatterns).toBe(0);
    expect(calibration.comparison.verdict).toBe('pass');
    const p50 = calibration.endpoints[0]?.metrics.find((metric) => metric.metric === 'p50');
    // Log ratios of B to A, computed by hand.
    const ratios = B.map((value, index) => Math.log(value / (A[index] ?? 1)));
    const average = ratios.reduce((sum, value) => sum + value, 0) / ratios.length;
    const sd = Math.sqrt(
      ratios.reduce((sum, value) => sum + (value - average) ** 2, 0) / (ratios.length - 1),
    );
    expect(p50?.pairNoise).toBeCloseTo(Math.expm1(sd), 12);
    expect(p50?.shift).toBeCloseTo(Math.expm1(average), 12);
    expect(p50?.margin).toBe(DEFAULT_TOLERANCES.p50);
    expect(p50?.detectablePaired).toBeGreaterThan(DEFAULT_TOLERANCES.p50 ?? 0);
    expect(p50?.falseAlarms).toBe(0);
    // p99 is advisory by default: measured, never part of the family.
    expect(
      calibration.endpoints[0]?.metrics.find((metric) => metric.metric === 'p99')?.advisory,
    ).toBe(true);
  });

  it('counts false alarms when the margins are narrower than the noise', () => {
    const narrow: Policy = {
      ...defaultPolicy(),
      forEndpoint: () => ({
        budgets: {},
        tolerances: { ...DEFAULT_TOLERANCES, p50: 0.001, p90: 0.001, p95: 0.001 },
      }),
    };
    const calibration = calibrate(side('base', A), side('head', B), narrow, design);
    expect(calibration.falseAlarmPatterns).toBeGreaterThan(0);
    const p50 = calibration.endpoints[0]?.metrics.find((metric) => metric.metric === 'p50');
    expect(p50?.falseAlarms).toBeGreaterThan(0);
    expect(p50?.falseAlarms).toBeLessThan(0.5);
  });

  it('renders the noise, the margins and what can be detected', () => {
    const b = side('head', B);
    const markdown = renderCalibration(calibrate(side('base', A), b, defaultPolicy(), design), b);
    expect(markdown).toContain('## perf-gate calibration: 8 pairs of A/A runs');
    expect(markdown).toContain('- **Comparison of B with A:** pass.');
    expect(markdown).toContain(
      '- **False alarms per comparison:** 0 of 256 sign-flipped comparisons (0 %) end in a regression',
    );
    expect(markdown).toMatch(
      /\| `GET \/a` +\| p50 +\| +[+-]\d\.\d % \| +\d\.\d % \| +\d\.\d % \| +\+5\.0 % \|/u,
    );
    expect(markdown).toMatch(/\| +\| throughput +\|.*\| +-10\.0 % \|/u);
    expect(markdown).toContain('Detectable, 7 pairs');
  });

  it('enumerates every sign pattern of few pairs and samples those of many', () => {
    const few = signPatterns(3).map((pattern) => pattern.map(Number).join(''));
    expect(new Set(few)).toEqual(new Set(['000', '100', '010', '110', '001', '101', '011', '111']));
    const many = signPatterns(20);
    expect(many).toHaveLength(MAX_PATTERNS);
    expect(signPatterns(20)).toEqual(many);
  });
});
