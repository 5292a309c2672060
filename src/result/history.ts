/**
 * The baseline's history: the results of the last runs on the base branch, newest last, from
 * which the noise-aware comparison learns how much each figure varies between runs. Histograms
 * are dropped from stored runs to keep the file small; their figures stay.
 */
import { ResultFileError } from '../errors.js';
import { parseResult } from './result-file.js';
import type { RunResult } from './types.js';

export const HISTORY_FILE = 'perf-gate-history.json';

/** Runs kept in the history by default. */
export const DEFAULT_HISTORY_LENGTH = 20;

export interface HistoryDocument {
  schemaVersion: 1;
  runs: RunResult[];
}

/** Returns the history with `run` appended and only the newest `keep` runs left. */
export function appendToHistory(
  history: readonly RunResult[],
  run: RunResult,
  keep: number,
): RunResult[] {
  return [...history, withoutHistograms(run)].slice(-keep);
}

/** Returns a copy of `run` without the encoded histograms. */
export function withoutHistograms(run: RunResult): RunResult {
  return {
    ...run,
    scenarios: run.scenarios.map((scenario) => ({
      ...scenario,
      total: { ...scenario.total, histogram: undefined },
      endpoints: scenario.endpoints.map((endpoint) => ({ ...endpoint, histogram: undefined })),
    })),
  };
}

/** Validates a parsed history document; `source` names it in errors. */
export function parseHistory(document: unknown, source: string): RunResult[] {
  if (
    document === null ||
    typeof document !== 'object' ||
    !Array.isArray((document as { runs?: unknown }).runs)
  ) {
    throw new ResultFileError(`${source} is not a perf-gate baseline history (no runs list).`, {
      remedy: 'Record the baseline again (perf-gate run --save-baseline DIR).',
    });
  }
  const version = (document as { schemaVersion?: unknown }).schemaVersion;
  if (version !== 1) {
    throw new ResultFileError(
      `${source} has history schema version ${JSON.stringify(version)}; this perf-gate reads version 1.`,
      {
        remedy: 'Record the baseline again with this version of perf-gate.',
      },
    );
  }
  return (document as { runs: unknown[] }).runs.map((run, index) =>
    parseResult(run, `${source} (run ${index + 1})`),
  );
}
