import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Outputs recorded from real k6 and vegeta runs against the demo (see tests/fixtures/record.sh). */
export const RECORDED = join(ROOT, 'tests', 'fixtures', 'recorded');

/** Real tool outputs from public repositories, kept outside this repository. */
export const CORPUS = join(ROOT, '..', 'shared', 'corpus');

export const corpusAvailable = existsSync(CORPUS);

/** Path of a file in the corpus. */
export function corpusFile(relative: string): string {
  return join(CORPUS, relative);
}
