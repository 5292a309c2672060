/**
 * The action's calibrate mode: the target measured against itself on this runner, with the noise
 * of each metric, what each design can detect, and the false-alarm rate of the margins written
 * to the job summary. Nothing is compared with a baseline and nothing is posted.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import * as core from '@actions/core';

import { calibrate } from '../compare/calibration.js';
import { policyFromConfig } from '../compare/policy.js';
import { DEFAULT_PAIRS } from '../config/defaults.js';
import type { Config } from '../config/types.js';
import { runCalibration } from '../engine/run-suite.js';
import { withSignals } from '../engine/signals.js';
import { describeError } from '../errors.js';
import type { Logger } from '../log.js';
import { renderCalibration } from '../report/calibration.js';
import { writeResultFile } from '../result/result-file.js';
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
  await writeResultFile(join(outDir, 'a-result.json'), measured.a);
  await writeResultFile(join(outDir, 'b-result.json'), measured.b);
  const calibration = calibrate(measured.a, measured.b, policyFromConfig(config), {
    pairs: config.paired?.pairs ?? DEFAULT_PAIRS,
    history: config.historyLength,
  });
  const markdown = renderCalibration(calibration, measured.b);
  const reportFile = join(outDir, 'calibration.md');
  const dataFile = join(outDir, 'calibration.json');
  await writeFile(reportFile, markdown);
  await writeFile(dataFile, `${JSON.stringify(calibration, null, 2)}\n`);
  try {
    await core.summary.addRaw(markdown, true).write();
  } catch (error) {
    logger.warning(`Writing the job summary failed: ${describeError(error)}`);
  }
  core.setOutput(Outputs.Verdict, 'calibrated');
  core.setOutput(Outputs.Report, reportFile);
  core.setOutput(Outputs.Result, dataFile);
  const share = calibration.falseAlarmPatterns / calibration.patterns;
  if (calibration.comparison.verdict === 'regression' || share > config.familyAlpha) {
    logger.warning(
      `The margins raise false alarms at this noise (${calibration.falseAlarmPatterns} of ${calibration.patterns} sign-flipped comparisons): widen the tolerances, lengthen the runs, or add pairs.`,
    );
  }
  logger.info(`Calibration written to the job summary and ${reportFile}`);
}
