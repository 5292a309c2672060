/**
 * Names and versions shared by the CLI and the action.
 */

/** perf-gate's own version, recorded in every result. */
export const PERF_GATE_VERSION = '0.1.0';

/** k6 version the action installs and the README recommends. */
export const K6_VERSION = '2.2.0';

/** vegeta version the action installs and the README recommends. */
export const VEGETA_VERSION = '12.13.0';

/** Prefix of compose project names, so leftovers are easy to find: docker ps --filter label=... */
export const PROJECT_PREFIX = 'perf-gate';

/** GitHub's limit on the length of an issue or pull request comment, in characters. */
export const COMMENT_LIMIT = 65_536;

/** Hidden marker that identifies perf-gate's comment on a pull request. */
export const COMMENT_MARKER = '<!-- perf-gate:report -->';
