// perf-gate's shipped k6 "spike" scenario: a sudden burst. 50 virtual users for a minute, a jump
// to 200 within ten seconds, a minute there, and back to 50. It shows whether the service absorbs
// a burst and recovers, or keeps queueing after it.
import { sleep } from 'k6';

import { requestNext, stages, summaryTrendStats } from './lib/perf-gate.js';

export const options = {
  scenarios: {
    spike: {
      executor: 'ramping-vus',
      startVUs: 50,
      stages: stages([
        [60, 50],
        [10, 200],
        [60, 200],
        [10, 50],
        [60, 50],
      ]),
      gracefulRampDown: '5s',
    },
  },
  summaryTrendStats,
};

export default function () {
  requestNext();
  sleep(0.5);
}
