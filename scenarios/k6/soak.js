// perf-gate's shipped k6 "soak" scenario: a long, ordinary load. 50 virtual users for 30 minutes,
// each waiting a second between requests. Leaks show here: memory that only grows, connections
// left in CLOSE_WAIT, latency that creeps up.
import { sleep } from 'k6';

import { requestNext, scale, peakVus, summaryTrendStats } from './lib/perf-gate.js';

// perf-gate passes the length, warm-up included and already scaled; by hand, 30 minutes times the scale.
const duration = __ENV.PERF_GATE_DURATION || `${Math.max(1, Math.round(1800 * scale))}s`;

export const options = {
  scenarios: {
    soak: {
      executor: 'constant-vus',
      vus: peakVus || 50,
      duration,
    },
  },
  summaryTrendStats,
};

export default function () {
  requestNext();
  sleep(1);
}
