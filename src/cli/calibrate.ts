/**
 * `perf-gate calibrate`: measures the target against itself in alternating A and B runs and
 * reports the noise of each metric, what each design can detect, and the false-alarm rate.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

import { calibrate } from '../compare/calibration.js';
import { policyFromConfig } from '../compare/policy.js';
import { DEFAULT_CONFIG_FILE, DEFAULT_PAIRS } from '../config/defaults.js';
import { loadConfig } from '../config/load-config.js';
import { runCalibration } from '../engine/run-suite.js';
import { withSignals } from '../engine/signals.js';
import { CancelledError, ConfigError } from '../errors.js';
import type { Logger } from '../log.js';
import { renderCalibration } from '../report/calibration.js';
import { writeResultFile } from '../result/result-file.js';
import type { RunResult } from '../result/types.js';
import { EXIT_PASS, overridesFrom, writeFailure, type Options } from './options.js';

/** Pairs a calibration measures unless --pairs says otherwise. */
const DEFAULT_CALIBRATION_PAIRS = 10;

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
  await writeResultFile(join(outDir, 'a-result.json'), measured.a);
  await writeResultFile(join(outDir, 'b-result.json'), measured.b);
  const calibration = calibrate(measured.a, measured.b, policyFromConfig(config), {
    pairs: config.paired?.pairs ?? DEFAULT_PAIRS,
    history: config.historyLength,
  });
  const markdown = renderCalibration(calibration, measured.b);
  await writeFile(join(outDir, 'calibration.md'), markdown);
  await writeFile(join(outDir, 'calibration.json'), `${JSON.stringify(calibration, null, 2)}\n`);
  stdout.write(values.json ? `${JSON.stringify(calibration, null, 2)}\n` : markdown);
  const share = calibration.falseAlarmPatterns / calibration.patterns;
  if (calibration.comparison.verdict === 'regression' || share > config.familyAlpha) {
    logger.warning(
      `The margins raise false alarms at this noise (${calibration.falseAlarmPatterns} of ${calibration.patterns} sign-flipped comparisons): widen the tolerances, lengthen the runs, or add pairs.`,
    );
  }
  logger.info(`Calibration written to ${join(outDir, 'calibration.md')}`);
  return EXIT_PASS;
}
