/**
 * Latency over time: one point per second, with percentiles close to the exact ones.
 */
import { describe, expect, it } from 'vitest';

import { LatencyTimeline } from '../../src/ingest/timeline.js';

describe('latency timeline', () => {
  it('gives requests, p50 and p95 of each second, empty seconds included', () => {
    const timeline = new LatencyTimeline();
    const start = 1_700_000_000_000;
    timeline.setStart(start);
    // Second 0: latencies 1..100 ms; second 1: nothing; second 2: 50 requests at 200 ms.
    for (let index = 1; index <= 100; index += 1) timeline.add(start + index * 9, index);
    for (let index = 0; index < 50; index += 1) timeline.add(start + 2000 + index * 10, 200);
    const points = timeline.points();
    expect(points.map((point) => point.slice(0, 2))).toEqual([
      [0, 100],
      [1, 0],
      [2, 50],
    ]);
    const [first, empty, third] = points;
    expect(first?.[2]).toBeGreaterThan(50 * 0.95);
    expect(first?.[2]).toBeLessThan(50 * 1.05);
    expect(first?.[3]).toBeGreaterThan(95 * 0.95);
    expect(first?.[3]).toBeLessThan(95 * 1.05);
    expect(empty?.slice(2)).toEqual([null, null]);
    expect(third?.[2]).toBeGreaterThan(190);
    expect(third?.[2]).toBeLessThan(210);
  });

  it('puts a sample from before the start into the first second', () => {
    const timeline = new LatencyTimeline();
    timeline.setStart(10_000);
    timeline.add(9_500, 5);
    expect(timeline.points().map((point) => point[1])).toEqual([1]);
  });

  it('is empty without samples', () => {
    expect(new LatencyTimeline().points()).toEqual([]);
  });
});
