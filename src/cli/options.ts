/**
 * What the commands of the CLI share: the options, the exit codes, the configuration overrides
 * given on the command line, and the report written when a run fails.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { parseArgs, ParseArgsConfig } from 'node:util';

import type { ConfigOverride } from '../config/load-config.js';
import { PerfGateError, TargetError, describeError } from '../errors.js';
import { renderFailureReport } from '../report/failure.js';

/** Exit codes: the verdict passed, the verdict failed, or no verdict could be reached. */
export const EXIT_PASS = 0;
export const EXIT_FAIL = 1;
export const EXIT_ERROR = 2;

export const OPTIONS = {
  config: { type: 'string', short: 'c' },
  out: { type: 'string', short: 'o' },
  baseline: { type: 'string' },
  'save-baseline': { type: 'string' },
  scale: { type: 'string' },
  pairs: { type: 'string' },
  'fail-without-baseline': { type: 'boolean' },
  warmup: { type: 'string' },
  json: { type: 'boolean' },
  verbose: { type: 'boolean', short: 'v' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} satisfies ParseArgsConfig['options'];

export type Options = ReturnType<
  typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>
>['values'];

/** Configuration values set by options, applied over the file's. */
export function overridesFrom(values: Options): ConfigOverride[] {
  const overrides: ConfigOverride[] = [];
  if (values.scale !== undefined) {
    const scale = Number(values.scale);
    overrides.push({
      path: ['scale'],
      value: Number.isFinite(scale) && values.scale.trim() !== '' ? scale : values.scale,
      label: '--scale',
    });
  }
  if (values['fail-without-baseline']) {
    overrides.push({
      path: ['baseline', 'missing'],
      value: 'fail',
      label: '--fail-without-baseline',
    });
  }
  return overrides;
}

/** Writes the failure report of a run that ended without a verdict, and prints it. */
export async function writeFailure(
  error: unknown,
  outDir: string,
  values: Options,
  stdout: NodeJS.WritableStream,
): Promise<void> {
  const title = error instanceof TargetError ? 'the target did not become ready' : 'the run failed';
  const markdown = renderFailureReport({
    title,
    message: error instanceof Error ? error.message : String(error),
    ...(error instanceof PerfGateError && error.remedy ? { remedy: error.remedy } : {}),
    ...(error instanceof TargetError ? { logs: error.logs } : {}),
  });
  await writeFile(join(outDir, 'report.md'), markdown);
  if (values.json) {
    stdout.write(
      `${JSON.stringify({ verdict: 'error', error: describeError(error), report: join(outDir, 'report.md') }, null, 2)}\n`,
    );
  } else {
    stdout.write(markdown);
  }
}
