import { describe, expect, it } from 'vitest';

import {
  formatDuration,
  parseDurationMs,
  parsePercent,
  parseRate,
  parseSizeBytes,
} from '../../src/config/units.js';

describe('durations', () => {
  it.each([
    ['250ms', 250],
    ['30s', 30_000],
    ['1m30s', 90_000],
    ['1.5s', 1_500],
    ['2h', 7_200_000],
    ['500us', 0.5],
    ['500µs', 0.5],
  ])('%s is %d ms', (text, ms) => {
    expect(parseDurationMs(text)).toBeCloseTo(ms, 10);
  });

  it.each(['', '10', 'ten seconds', '1x', '-5s', 's'])('%j is rejected', (text) => {
    expect(parseDurationMs(text)).toBeUndefined();
  });

  it.each([
    [90_000, '1m30s'],
    [20_040, '20.04s'],
    [250, '250ms'],
    [3_600_000, '1h'],
    [0, '0s'],
  ])('%d ms is written %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
    expect(parseDurationMs(text)).toBe(ms);
  });
});

describe('rates', () => {
  it.each([
    ['50/s', 50, '50/1s'],
    ['50/1s', 50, '50/1s'],
    ['3000/m', 50, '3000/1m'],
    ['5/100ms', 50, '5/100ms'],
    ['2.5/s', 2.5, '2500/1000s'],
    ['0.5/s', 0.5, '500/1000s'],
  ])('%s is %d per second, %s for vegeta', (text, perSecond, vegeta) => {
    const rate = parseRate(text);
    expect(rate?.perSecond).toBeCloseTo(perSecond, 10);
    expect(rate?.vegeta).toBe(vegeta);
  });

  it.each(['fifty', '50', '0/s', '50/0s', '/s'])('%j is rejected', (text) => {
    expect(parseRate(text)).toBeUndefined();
  });
});

describe('percentages', () => {
  it.each([
    ['+10%', 0.1],
    ['-5%', -0.05],
    ['0.5%', 0.005],
  ])('%s is %d', (text, fraction) => {
    expect(parsePercent(text)).toBeCloseTo(fraction, 10);
  });

  it('percentage without a sign of percent is rejected', () => {
    expect(parsePercent('10')).toBeUndefined();
  });
});

describe('sizes', () => {
  it.each([
    ['200MB', 200_000_000],
    ['200mb', 200_000_000],
    ['1.5GB', 1_500_000_000],
    ['1kB', 1_000],
    ['256MiB', 256 * 2 ** 20],
    ['512KiB', 512 * 2 ** 10],
    ['200m', 200 * 2 ** 20],
    ['2g', 2 * 2 ** 30],
    ['100 B', 100],
  ])('%s is %d bytes', (text, bytes) => {
    expect(parseSizeBytes(text)).toBe(bytes);
  });

  it.each(['200', 'MB', '200 TB', '-1MB', '1.MB'])('%s is rejected', (text) => {
    expect(parseSizeBytes(text)).toBeUndefined();
  });
});
