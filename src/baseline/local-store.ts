/**
 * The local baseline store: a folder with the latest baseline run (perf-gate-baseline.json) and
 * the last runs before it (perf-gate-history.json), from which the noise between runs is learned.
 * `perf-gate run --save-baseline DIR` appends to it and `--baseline DIR` reads it.
 */
import { readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

import { ResultFileError } from '../errors.js';
import { HISTORY_FILE, appendToHistory, parseHistory } from '../result/history.js';
import { readResultFile, writeResultFile } from '../result/result-file.js';
import type { RunResult } from '../result/types.js';

export const BASELINE_FILE = 'perf-gate-baseline.json';

/** A stored baseline: its latest run and the history of runs that includes it, newest last. */
export interface Baseline {
  result: RunResult;
  history: RunResult[];
}

/** Where a baseline comes from and goes to; the GitHub artifact store implements it too. */
export interface BaselineStore {
  /** Describes the store for logs, such as a folder path or an artifact name. */
  readonly description: string;
  /** Returns the stored baseline, or undefined when there is none. Throws when it is unreadable. */
  load(): Promise<Baseline | undefined>;
  /** Stores `result` as the latest baseline, appended to `history`, keeping the newest `keep` runs. */
  save(result: RunResult, history: readonly RunResult[], keep: number): Promise<void>;
}

export class LocalBaselineStore implements BaselineStore {
  readonly description: string;

  /** `location` is a folder, or a result file to read directly. */
  constructor(private readonly location: string) {
    this.description = location;
  }

  async load(): Promise<Baseline | undefined> {
    const file = await this.resolveFile();
    if (file === undefined) return undefined;
    const result = await readResultFile(file);
    const historyFile = join(dirname(file), HISTORY_FILE);
    const history = (await exists(historyFile)) ? await readHistoryFile(historyFile) : [result];
    return { result, history };
  }

  async save(result: RunResult, history: readonly RunResult[], keep: number): Promise<void> {
    await writeResultFile(join(this.location, BASELINE_FILE), result);
    const runs = appendToHistory(history, result, keep);
    await writeFile(
      join(this.location, HISTORY_FILE),
      `${JSON.stringify({ schemaVersion: 1, runs })}\n`,
    );
  }

  private async resolveFile(): Promise<string | undefined> {
    const info = await stat(this.location).catch(() => undefined);
    if (!info) return undefined;
    if (info.isFile()) return this.location;
    const file = join(this.location, BASELINE_FILE);
    return (await exists(file)) ? file : undefined;
  }
}

async function exists(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined)) !== undefined;
}

/** Reads and validates a history file. */
export async function readHistoryFile(path: string): Promise<RunResult[]> {
  let document: unknown;
  try {
    document = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new ResultFileError(`${path} is not valid JSON: ${(error as Error).message}.`, {
      cause: error,
      remedy: 'Record the baseline again (perf-gate run --save-baseline DIR).',
    });
  }
  return parseHistory(document, path);
}
