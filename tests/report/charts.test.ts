/**
 * The report's Mermaid charts, checked with Mermaid's own parser: one endpoint, twenty endpoints
 * (more than a chart shows), zero requests, and latency over time.
 */
import { beforeAll, describe, expect, it } from 'vitest';

import { renderChart } from '../../src/report/charts.js';
import { renderCharts } from '../../src/report/resources.js';
import type { ScenarioResult, TimelinePoint } from '../../src/result/types.js';
import { endpoint, run, scenario } from '../helpers/results.js';

type Parse = (text: string) => Promise<unknown>;
let parse: Parse;

beforeAll(async () => {
  // Mermaid needs a DOM for its sanitiser even to parse; jsdom provides one.
  const { JSDOM } = await import('jsdom');
  const dom = new JSDOM('<!doctype html><html><body></body></html>');
  Object.assign(globalThis, { window: dom.window, document: dom.window.document });
  const mermaid = (await import('mermaid')).default;
  mermaid.initialize({ startOnLoad: false });
  parse = (text) => mermaid.parse(text);
});

/** The Mermaid blocks of a Markdown text, without their fences. */
function blocks(markdown: string | undefined): string[] {
  return [...(markdown ?? '').matchAll(/```mermaid\n([\s\S]*?)\n```/gu)].map(
    (match) => match[1] ?? '',
  );
}

async function expectValid(markdown: string | undefined, count: number): Promise<string[]> {
  const found = blocks(markdown);
  expect(found).toHaveLength(count);
  for (const block of found) await expect(parse(block)).resolves.toBeTruthy();
  return found;
}

function timeline(seconds: number, p95: (second: number) => number): TimelinePoint[] {
  return Array.from({ length: seconds }, (_, second) => [
    second,
    100,
    p95(second) / 2,
    p95(second),
  ]);
}

function withEndpoints(count: number, overrides: Partial<ScenarioResult> = {}): ScenarioResult {
  return scenario(
    'vegeta baseline',
    Array.from({ length: count }, (_, index) =>
      endpoint(`GET /api/items/${index + 1}?q="quoted"`, { p50: 5 + index, p95: 12 + index }),
    ),
    overrides,
  );
}

describe('charts', () => {
  it('draw one endpoint against its baseline, and latency over time', async () => {
    const head = run([withEndpoints(1, { timeline: timeline(70, (second) => 20 + (second % 5)) })]);
    const base = run([withEndpoints(1, { timeline: timeline(65, () => 18) })]);
    const markdown = renderCharts(head, base);
    const [p50, , overTime] = await expectValid(markdown, 3);
    expect(p50).toContain('bar [5.00]');
    expect(p50).toContain('line [5.00]');
    expect(p50).toContain(`x-axis ["/api/items/1?q='quoted'"]`);
    // Seventy seconds are averaged down to at most sixty points.
    const points = /line \[([^\]]*)\]/u.exec(overTime ?? '')?.[1]?.split(', ') ?? [];
    expect(points.length).toBeGreaterThan(1);
    expect(points.length).toBeLessThanOrEqual(60);
  });

  it('draw the first twelve of twenty endpoints and say so', async () => {
    const head = run([withEndpoints(20)]);
    const markdown = renderCharts(head, undefined);
    const [p50] = await expectValid(markdown, 2);
    expect((/x-axis \[(.*)\]/u.exec(p50 ?? '')?.[1] ?? '').split('", "')).toHaveLength(12);
    expect(markdown).toContain('The first 12 of 20 endpoints are charted');
  });

  it('draw nothing for a scenario without requests', () => {
    const empty = scenario('k6 load', []);
    expect(renderCharts(run([empty]), run([empty]))).toBeUndefined();
    const silent = run([
      scenario('k6 load', [endpoint('GET /', { requests: 0, latency: {} })], {
        timeline: [[0, 0, null, null]],
      }),
    ]);
    expect(renderCharts(silent, undefined)).toBeUndefined();
  });

  it('keep values that are all zero on a valid axis', async () => {
    const chart = renderChart({
      title: 'zero',
      categories: ['a', 'b'],
      yLabel: 'ms',
      series: [{ kind: 'bar', values: [0, 0] }],
    });
    await expectValid(chart, 1);
  });
});
