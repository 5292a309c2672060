/**
 * Error lines in a container's log, counted from chunks that split lines anywhere.
 */
import { describe, expect, it } from 'vitest';

import { DEFAULT_LOG_ERROR_PATTERN } from '../../src/config/defaults.js';
import { LogErrorCounter } from '../../src/monitor/log-errors.js';

describe('log errors', () => {
  it('counts lines with an error word across chunk boundaries and keeps three examples', () => {
    const counter = new LogErrorCounter(DEFAULT_LOG_ERROR_PATTERN);
    const log = [
      '2026/12/04 10:00:00 listening on :8080',
      '2026/12/04 10:00:01 ERROR GET /api/movies/3: simulated failure of request 10',
      'level=error msg="connection refused"',
      'panic: runtime error: index out of range',
      'Traceback (most recent call last):',
      '2026/12/04 10:00:02 DEMO_LOG_ERRORS is set',
      'no errors here, stderr is fine',
      'Exception in thread "main" java.lang.IllegalStateException',
    ].join('\n');
    for (let index = 0; index < log.length; index += 7) counter.push(log.slice(index, index + 7));
    expect(counter.finish()).toEqual({
      count: 5,
      examples: [
        '2026/12/04 10:00:01 ERROR GET /api/movies/3: simulated failure of request 10',
        'level=error msg="connection refused"',
        'panic: runtime error: index out of range',
      ],
    });
  });

  it('reads a last line without a newline and shortens long examples', () => {
    const counter = new LogErrorCounter('fatal');
    counter.push(`FATAL ${'x'.repeat(300)}`);
    const { count, examples } = counter.finish();
    expect(count).toBe(1);
    expect(examples[0]).toHaveLength(200);
    expect(examples[0]?.endsWith('…')).toBe(true);
  });

  it('finds nothing in a quiet log', () => {
    const counter = new LogErrorCounter(DEFAULT_LOG_ERROR_PATTERN);
    counter.push('GET /api/movies 200 4ms\r\nGET /health 200 0ms\r\n');
    expect(counter.finish()).toEqual({ count: 0, examples: [] });
  });
});
