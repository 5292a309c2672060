/**
 * Number formatting shared by the comparison's reasons and the report: fixed English number
 * format whatever the machine's locale, so reports are identical everywhere.
 */
import type { MetricUnit } from './compare/metrics.js';

const numberFormats = new Map<number, Intl.NumberFormat>();

/** Formats with a fixed number of significant decimals and thousands separators. */
export function formatNumber(value: number, decimals: number): string {
  let format = numberFormats.get(decimals);
  if (!format) {
    format = new Intl.NumberFormat('en-US', {
      minimumFractionDigits: decimals,
      maximumFractionDigits: decimals,
    });
    numberFormats.set(decimals, format);
  }
  return format.format(value);
}

/** Formats milliseconds with three significant digits: `0.412 ms`, `12.3 ms`, `1,204 ms`. */
export function formatMs(ms: number): string {
  const magnitude = Math.abs(ms);
  const decimals = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : magnitude >= 1 ? 2 : 3;
  return `${formatNumber(ms, decimals)} ms`;
}

/** Formats a ratio 0..1 as a percentage: `0.25 %`. */
export function formatRatio(ratio: number): string {
  return `${formatNumber(ratio * 100, 2)} %`;
}

/** Formats requests per second: `49.8/s`. */
export function formatRate(perSecond: number): string {
  return `${formatNumber(perSecond, perSecond >= 100 ? 0 : 1)}/s`;
}

/** Formats a value in a metric's unit. */
export function formatValue(unit: MetricUnit, value: number): string {
  switch (unit) {
    case 'ms':
      return formatMs(value);
    case 'ratio':
      return formatRatio(value);
    case 'per-second':
      return formatRate(value);
  }
}

/** Formats a relative change with its sign: `+12.4 %`, `-3.0 %`, `+4,012 %`. */
export function formatRelativeChange(fraction: number): string {
  const percent = fraction * 100;
  const magnitude = formatNumber(Math.abs(percent), Math.abs(percent) >= 100 ? 0 : 1);
  // A change that rounds to zero gets a plus sign, never "-0.0 %".
  const sign = percent < 0 && /[1-9]/u.test(magnitude) ? '-' : '+';
  return `${sign}${magnitude} %`;
}

/** Formats a change of a ratio in percentage points: `+0.50 pp`. */
export function formatPointChange(difference: number): string {
  const magnitude = formatNumber(Math.abs(difference * 100), 2);
  const sign = difference < 0 && /[1-9]/u.test(magnitude) ? '-' : '+';
  return `${sign}${magnitude} pp`;
}
