// perf-gate's shipped k6 "stress" scenario: beyond the expected load. Virtual users climb in steps
// of 100 every two minutes up to 500, then ramp down. It finds where latency turns and errors
// begin, and whether the service recovers once the load falls.
import { sleep } from 'k6';

import { requestNext, stages, summaryTrendStats } from './lib/perf-gate.js';

export const options = {
  scenarios: {
    stress: {
      executor: 'ramping-vus',
      startVUs: 0,
      stages: stages([
        [120, 100],
        [120, 200],
        [120, 300],
        [120, 400],
        [120, 500],
        [60, 0],
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
