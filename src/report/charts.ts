/**
 * Mermaid `xychart-beta` charts for the report, which GitHub renders in comments and job
 * summaries: latency percentiles per endpoint (baseline as bars, this run as lines) and latency
 * over time. xychart-beta has no legend, so each title names its series.
 */

/** Most categories on one chart's x-axis; more would be unreadable. */
export const MAX_CATEGORIES = 12;
/** Most points of a series over time; longer series are averaged down to this. */
export const MAX_POINTS = 60;

export interface Series {
  kind: 'bar' | 'line';
  values: (number | undefined)[];
}

export interface Chart {
  title: string;
  categories: string[];
  yLabel: string;
  series: Series[];
  /** Most categories shown; MAX_CATEGORIES unless set. */
  maxCategories?: number;
}

/** Renders a chart as a fenced Mermaid block, or undefined when it would show nothing. */
export function renderChart(chart: Chart): string | undefined {
  const count = Math.min(chart.categories.length, chart.maxCategories ?? MAX_CATEGORIES);
  const series = chart.series
    .map((item) => ({ ...item, values: item.values.slice(0, count) }))
    .filter((item) => item.values.some((value) => value !== undefined && Number.isFinite(value)));
  if (count === 0 || series.length === 0) return undefined;
  const highest = Math.max(
    ...series.flatMap((item) =>
      item.values.filter((value): value is number => value !== undefined && Number.isFinite(value)),
    ),
  );
  const top = Number(niceCeiling(highest).toPrecision(3));
  const lines = [
    '```mermaid',
    'xychart-beta',
    `  title ${quote(chart.title)}`,
    `  x-axis [${chart.categories.slice(0, count).map(quote).join(', ')}]`,
    `  y-axis ${quote(chart.yLabel)} 0 --> ${top}`,
    // A missing value is drawn as 0; xychart-beta has no gaps.
    ...series.map(
      (item) => `  ${item.kind} [${item.values.map((value) => format(value ?? 0)).join(', ')}]`,
    ),
    '```',
  ];
  return lines.join('\n');
}

/**
 * Averages `values` down to at most `points` points, and labels each point with the second at
 * which its span starts.
 */
export function downsample(
  seconds: readonly number[],
  values: readonly (number | undefined)[],
  points = MAX_POINTS,
): { categories: string[]; values: (number | undefined)[] } {
  const span = Math.max(1, Math.ceil(values.length / points));
  const categories: string[] = [];
  const averaged: (number | undefined)[] = [];
  for (let start = 0; start < values.length; start += span) {
    const chunk = values
      .slice(start, start + span)
      .filter((value): value is number => value !== undefined);
    categories.push(`${Math.round(seconds[start] ?? start)}`);
    averaged.push(
      chunk.length === 0 ? undefined : chunk.reduce((sum, value) => sum + value, 0) / chunk.length,
    );
  }
  return { categories, values: averaged };
}

/** Shortens an endpoint's name for an axis label: GET left out, at most 24 characters. */
export function axisLabel(key: string): string {
  const label = key.replace(/^GET /u, '');
  return label.length > 24 ? `${label.slice(0, 23)}…` : label;
}

/**
 * Quotes a Mermaid string. Double quotes cannot be escaped there, so they become single quotes.
 * Angle brackets are removed because Mermaid may draw a label as HTML. Line breaks become spaces.
 */
function quote(text: string): string {
  const clean = text
    .replace(/"/gu, "'")
    .replace(/[<>]/gu, '')
    .replace(/[\n\r]/gu, ' ');
  return `"${clean}"`;
}

function format(value: number): string {
  if (value >= 100) return String(Math.round(value));
  if (value >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

/** Returns the smallest of 1, 2 or 5 times a power of ten that is at least `value`. */
function niceCeiling(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}
