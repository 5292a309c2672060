/**
 * `perf-gate calibrate`: measures the target against itself in alternating A and B runs and
 * reports the noise of each metric, what each design can detect, and the false-alarm rate.
 */
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';

import { DEFAULT_CALIBRATION_PAIRS, DEFAULT_CONFIG_FILE } from '../config/defaults.js';
import { loadConfig } from '../config/load-config.js';
import { recordCalibration } from '../engine/calibrate.js';
import { runCalibration } from '../engine/run-suite.js';
import { withSignals } from '../engine/signals.js';
import { CancelledError, ConfigError } from '../errors.js';
import type { Logger } from '../log.js';
import type { RunResult } from '../result/types.js';
import { EXIT_PASS, overridesFrom, writeFailure, type Options } from './options.js';

export async function calibrateCommand(
  values: Options,
  logger: Logger,
  stdout: NodeJS.WritableStream,
): Promise<number> {
  const config = loadConfig({
    file: values.config ?? DEFAULT_CONFIG_FILE,
    overrides: overridesFrom(values),
  });
  const pairs = values.pairs === undefined ? DEFAULT_CALIBRATION_PAIRS : Number(values.pairs);
  if (!Number.isInteger(pairs) || pairs < 3 || pairs > 50) {
    throw new ConfigError('the command line', [
      {
        path: '--pairs',
        message: 'expected a whole number of pairs from 3 to 50',
        received: values.pairs,
      },
    ]);
  }
  const outDir = resolve(values.out ?? 'perf-gate-out');
  await mkdir(outDir, { recursive: true });
  let measured: { a: RunResult; b: RunResult };
  try {
    measured = await withSignals(logger, (signal) =>
      runCalibration({ config, outDir, logger, signal, pairs }),
    );
  } catch (error) {
    if (!(error instanceof CancelledError)) await writeFailure(error, outDir, values, stdout);
    throw error;
  }
  const { calibration, markdown, reportFile } = await recordCalibration(
    measured,
    config,
    outDir,
    logger,
  );
  stdout.write(values.json ? `${JSON.stringify(calibration, null, 2)}\n` : markdown);
  logger.info(`Calibration written to ${reportFile}`);
  return EXIT_PASS;
}
