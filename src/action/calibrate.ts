/**
 * The action's calibrate mode: the target measured against itself on this runner, with the noise
 * of each metric, what each design can detect, and the false-alarm rate of the margins written
 * to the job summary. Nothing is compared with a baseline and nothing is posted.
 */
import * as core from '@actions/core';

import type { Config } from '../config/types.js';
import { recordCalibration } from '../engine/calibrate.js';
import { runCalibration } from '../engine/run-suite.js';
import { withSignals } from '../engine/signals.js';
import { describeError } from '../errors.js';
import type { Logger } from '../log.js';
import { Outputs } from './constants.js';

export interface CalibrateSetup {
  config: Config;
  pairs: number;
  outDir: string;
  logger: Logger;
  onProjectName: (name: string, files: string[]) => void;
}

export async function calibrateMode(setup: CalibrateSetup): Promise<void> {
  const { config, outDir, logger } = setup;
  const measured = await withSignals(logger, (signal) =>
    runCalibration({
      config,
      outDir,
      logger,
      signal,
      pairs: setup.pairs,
      onProjectName: setup.onProjectName,
    }),
  );
  const { markdown, reportFile, dataFile } = await recordCalibration(
    measured,
    config,
    outDir,
    logger,
  );
  try {
    await core.summary.addRaw(markdown, true).write();
  } catch (error) {
    logger.warning(`Writing the job summary failed: ${describeError(error)}`);
  }
  core.setOutput(Outputs.Verdict, 'calibrated');
  core.setOutput(Outputs.Report, reportFile);
  core.setOutput(Outputs.Result, dataFile);
  logger.info(`Calibration written to the job summary and ${reportFile}`);
}
