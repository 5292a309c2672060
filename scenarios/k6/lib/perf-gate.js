// Shared by perf-gate's shipped k6 scenarios: the settings perf-gate passes through environment
// variables, and one request to the next endpoint in turn.
//
// The fallbacks apply only when a script is run by hand, such as
//   k6 run -e PERF_GATE_BASE_URL=http://localhost:8080 load.js
import http from 'k6/http';
import exec from 'k6/execution';

export const baseUrl = (__ENV.PERF_GATE_BASE_URL || 'http://localhost:8080').replace(/\/+$/, '');
export const endpoints = JSON.parse(__ENV.PERF_GATE_ENDPOINTS || '[{"method":"GET","path":"/"}]');
/** Multiplies every stage's length, so CI can run a scenario short. */
export const scale = Number(__ENV.PERF_GATE_SCALE || '1');
/** Peak virtual users, when the configuration overrides the scenario's own. */
export const peakVus = __ENV.PERF_GATE_VUS ? Number(__ENV.PERF_GATE_VUS) : undefined;

export const summaryTrendStats = ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)'];

/** A duration in seconds, scaled, as k6 writes it; never shorter than one second. */
export function seconds(value) {
  return `${Math.max(1, Math.round(value * scale))}s`;
}

/**
 * Stages of a ramping-vus executor from [seconds, target] pairs: lengths scaled, targets scaled
 * so that the highest one becomes peakVus when it is set.
 */
export function stages(pairs) {
  const highest = Math.max(...pairs.map(([, target]) => target));
  const factor = peakVus ? peakVus / highest : 1;
  return pairs.map(([length, target]) => ({
    duration: seconds(length),
    target: Math.max(0, Math.round(target * factor)),
  }));
}

/** Sends one request to the next endpoint in turn, named by the endpoint. */
export function requestNext() {
  const endpoint = endpoints[exec.scenario.iterationInTest % endpoints.length];
  return http.request(endpoint.method, baseUrl + endpoint.path, endpoint.body || null, {
    headers: endpoint.headers || {},
    tags: { name: endpoint.name || endpoint.path },
  });
}
