// perf-gate's shipped k6 "baseline" scenario: steady open-model load.
//
// Requests arrive at a constant rate (constant-arrival-rate executor) and go to the endpoints in
// turn, so every endpoint gets the same share and a slow endpoint cannot slow the others down,
// as it would with a closed loop of virtual users.
//
// perf-gate passes every setting through environment variables; the fallbacks below only apply
// when the script is run by hand: k6 run -e PERF_GATE_BASE_URL=http://localhost:8080 baseline.js
import http from 'k6/http';
import exec from 'k6/execution';

const baseUrl = (__ENV.PERF_GATE_BASE_URL || 'http://localhost:8080').replace(/\/+$/, '');
const endpoints = JSON.parse(__ENV.PERF_GATE_ENDPOINTS || '[{"method":"GET","path":"/"}]');
const ratePerSecond = Number(__ENV.PERF_GATE_RATE || '50');
const vus = Number(__ENV.PERF_GATE_VUS || '10');

export const options = {
  scenarios: {
    baseline: {
      executor: 'constant-arrival-rate',
      rate: Math.max(1, Math.round(ratePerSecond * 1000)),
      timeUnit: '1000s',
      duration: __ENV.PERF_GATE_DURATION || '70s',
      preAllocatedVUs: vus,
      maxVUs: vus,
    },
  },
  summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)'],
};

export default function () {
  const endpoint = endpoints[exec.scenario.iterationInTest % endpoints.length];
  http.request(endpoint.method, baseUrl + endpoint.path, endpoint.body || null, {
    headers: endpoint.headers || {},
    tags: { name: endpoint.name || endpoint.path },
  });
}
