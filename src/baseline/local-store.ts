/**
 * The local baseline store: a folder that holds one result file, perf-gate-baseline.json.
 * `perf-gate run --save-baseline DIR` writes it and `--baseline DIR` reads it.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';

import { readResultFile, writeResultFile } from '../result/result-file.js';
import type { RunResult } from '../result/types.js';

export const BASELINE_FILE = 'perf-gate-baseline.json';

/** Where a baseline comes from and goes to; the GitHub artifact store implements it too. */
export interface BaselineStore {
  /** Describes the store for logs, such as a folder path or an artifact name. */
  readonly description: string;
  /** Returns the stored baseline, or undefined when there is none. Throws when it is unreadable. */
  load(): Promise<RunResult | undefined>;
  save(result: RunResult): Promise<void>;
}

export class LocalBaselineStore implements BaselineStore {
  readonly description: string;

  /** `location` is a folder, or a result file to read directly. */
  constructor(private readonly location: string) {
    this.description = location;
  }

  async load(): Promise<RunResult | undefined> {
    const file = await this.resolveFile();
    if (file === undefined) return undefined;
    return readResultFile(file);
  }

  async save(result: RunResult): Promise<void> {
    await writeResultFile(join(this.location, BASELINE_FILE), result);
  }

  private async resolveFile(): Promise<string | undefined> {
    const info = await stat(this.location).catch(() => undefined);
    if (!info) return undefined;
    if (info.isFile()) return this.location;
    const file = join(this.location, BASELINE_FILE);
    return (await stat(file).catch(() => undefined)) ? file : undefined;
  }
}
