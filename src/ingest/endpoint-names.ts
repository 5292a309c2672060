/**
 * Gives every request the same endpoint key whichever tool sent it: the configured endpoint's name
 * when the method and path match one, else "METHOD path" with the target URL removed.
 */
import type { Endpoint } from '../config/types.js';

export type EndpointNamer = (method: string, nameOrUrl: string) => string;

/** Builds a namer for a target URL and its configured endpoints. */
export function createEndpointNamer(
  targetUrl: string | undefined,
  endpoints: readonly Endpoint[] = [],
): EndpointNamer {
  const keys = new Set(endpoints.map((endpoint) => endpoint.key));
  const routes = new Map(
    endpoints.map((endpoint) => [`${endpoint.method} ${endpoint.path}`, endpoint.key]),
  );
  // Requests are built as target URL + path; URLs typed into a targets file may differ only in
  // a trailing slash or carry the bare origin.
  const prefixes = targetUrl ? [targetUrl.replace(/\/+$/u, ''), new URL(targetUrl).origin] : [];
  // Load tests of a local stack send to loopback addresses whose ports change between runs; the
  // origin would make the same endpoint a different one in every run.
  const loopbackOrigin = /^https?:\/\/(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d+)?(?=\/|$)/u;

  // The namer runs once per request over a handful of distinct URLs, so results are cached, per
  // method so that no key string has to be built for the lookup.
  const cache = new Map<string, Map<string, string>>();
  let cached = 0;
  const name = (method: string, nameOrUrl: string): string => {
    if (keys.has(nameOrUrl)) return nameOrUrl;
    const upper = method.toUpperCase();
    // A name such as "GET /health" (k6's name tag, set by the shipped scenarios) already has it.
    if (nameOrUrl.startsWith(`${upper} `)) return nameOrUrl;
    let path = nameOrUrl;
    const prefix = prefixes.find((candidate) => path.startsWith(candidate));
    if (prefix !== undefined) path = path.slice(prefix.length) || '/';
    else path = path.replace(loopbackOrigin, '') || '/';
    return routes.get(`${upper} ${path}`) ?? `${upper} ${path}`;
  };
  return (method, nameOrUrl) => {
    let byName = cache.get(method);
    if (!byName) {
      byName = new Map();
      cache.set(method, byName);
    }
    let key = byName.get(nameOrUrl);
    if (key === undefined) {
      key = name(method, nameOrUrl);
      // A run with ids in its URLs has unbounded distinct names; stop remembering past a limit.
      if (cached < 10_000) {
        byName.set(nameOrUrl, key);
        cached += 1;
      }
    }
    return key;
  };
}
