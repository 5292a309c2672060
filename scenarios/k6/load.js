// perf-gate's shipped k6 "load" scenario: the expected busy hour. Virtual users ramp from 0 to 100
// over a minute, stay there for three, and ramp down over one; each waits a second between
// requests, as users do. It shows latency at the load the service is sized for.
import { sleep } from 'k6';

import { requestNext, stages, summaryTrendStats } from './lib/perf-gate.js';

export const options = {
  scenarios: {
    load: {
      executor: 'ramping-vus',
      startVUs: 0,
      stages: stages([
        [60, 100],
        [180, 100],
        [60, 0],
      ]),
      gracefulRampDown: '5s',
    },
  },
  summaryTrendStats,
};

export default function () {
  requestNext();
  sleep(1);
}
