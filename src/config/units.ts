/**
 * Parsers for the value formats of perf-gate.yml: durations, request rates and percentages.
 * Each returns undefined for text it cannot read, so the schema can report the value.
 */

const DURATION_UNIT_MS: Record<string, number> = {
  h: 3_600_000,
  m: 60_000,
  s: 1_000,
  ms: 1,
  us: 0.001,
  µs: 0.001,
  μs: 0.001,
  ns: 0.000_001,
};

/** Matches Go-style durations: `250ms`, `30s`, `1m30s`, `1.5s`, `2h`. */
export const DURATION_PATTERN = '^(\\d+(\\.\\d+)?(h|m|s|ms|us|µs|μs|ns))+$';
const DURATION_PART = /(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|μs|ns)/gy;

/** Parses a duration such as `1m30s` into milliseconds. */
export function parseDurationMs(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '' || !new RegExp(DURATION_PATTERN, 'u').test(trimmed)) return undefined;
  DURATION_PART.lastIndex = 0;
  let totalMs = 0;
  let match: RegExpExecArray | null;
  while ((match = DURATION_PART.exec(trimmed)) !== null) {
    const [, amount, unit] = match;
    totalMs += Number(amount) * (DURATION_UNIT_MS[unit ?? ''] ?? Number.NaN);
  }
  return Number.isFinite(totalMs) ? totalMs : undefined;
}

/**
 * Formats milliseconds as a Go-style duration that k6 and vegeta accept and people read:
 * `1m30s`, `20.04s`, `250ms`.
 */
export function formatDuration(ms: number): string {
  const rounded = Math.round(ms);
  if (rounded <= 0) return '0s';
  if (rounded < 1000) return `${rounded}ms`;
  if (rounded % 1000 !== 0) return `${(rounded / 1000).toFixed(3).replace(/0+$/u, '')}s`;
  let seconds = rounded / 1000;
  const hours = Math.floor(seconds / 3600);
  seconds -= hours * 3600;
  const minutes = Math.floor(seconds / 60);
  seconds -= minutes * 60;
  return (
    (hours > 0 ? `${hours}h` : '') +
    (minutes > 0 ? `${minutes}m` : '') +
    (seconds > 0 ? `${seconds}s` : '')
  );
}

/** Matches request rates: `50/s`, `50/1s`, `3000/m`, `5/100ms`. */
export const RATE_PATTERN = '^\\d+(\\.\\d+)?/(\\d+(\\.\\d+)?)?(h|m|s|ms)$';

/** A request rate, kept both as requests per second and as the text vegeta takes. */
export interface Rate {
  perSecond: number;
  /** The rate as vegeta's -rate flag reads it, such as `50/1s`. */
  vegeta: string;
}

/** Parses a rate such as `50/s` or `3000/1m`. */
export function parseRate(text: string): Rate | undefined {
  const match = /^(\d+(?:\.\d+)?)\/(\d+(?:\.\d+)?)?(h|ms|m|s)$/u.exec(text.trim());
  if (!match) return undefined;
  const [, countText, perText, unit] = match;
  const count = Number(countText);
  const perMs = Number(perText ?? '1') * (DURATION_UNIT_MS[unit ?? ''] ?? Number.NaN);
  if (!(perMs > 0) || !(count > 0)) return undefined;
  const perSecond = (count * 1000) / perMs;
  // vegeta's -rate takes a whole count per duration, so 2.5/s becomes 2500/1000s.
  const vegeta = Number.isInteger(count)
    ? `${count}/${formatDuration(perMs)}`
    : `${Math.round(perSecond * 1000)}/1000s`;
  return { perSecond, vegeta };
}

/** Matches signed percentages: `+10%`, `-5%`, `0.5%`. */
export const PERCENT_PATTERN = '^[+-]?\\d+(\\.\\d+)?%$';

/** Parses `+10%` into the signed fraction 0.1. */
export function parsePercent(text: string): number | undefined {
  const match = /^([+-]?\d+(?:\.\d+)?)%$/u.exec(text.trim());
  return match ? Number(match[1]) / 100 : undefined;
}

/**
 * Size units in any case: decimal (kB, MB, GB), binary (KiB, MiB, GiB), and Docker's single
 * letters (k, m, g), which are binary as in `docker run --memory 200m`.
 */
const SIZE_UNIT_BYTES: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  k: 2 ** 10,
  m: 2 ** 20,
  g: 2 ** 30,
};

/** Matches memory sizes: `200MB`, `256MiB`, `1.5GB`, `512k`, `200m`. */
export const SIZE_PATTERN = '^\\d+(\\.\\d+)?\\s?([kKmMgG][iI]?[bB]|[bBkKmMgG])$';

/** Parses a size such as `200MB` (decimal), `256MiB` or `200m` (binary) into bytes. */
export function parseSizeBytes(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s?([kmg]i?b|[bkmg])$/iu.exec(text.trim());
  if (!match) return undefined;
  const bytes = Number(match[1]) * (SIZE_UNIT_BYTES[(match[2] ?? '').toLowerCase()] ?? Number.NaN);
  return Number.isFinite(bytes) ? Math.round(bytes) : undefined;
}
