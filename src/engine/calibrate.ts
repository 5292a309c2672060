/**
 * The files of a calibration, shared by the command line and the action: both sides' results,
 * the calibration as JSON and its Markdown report, and a warning when the margins would raise
 * false alarms at the measured noise.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { calibrate, type Calibration } from '../compare/calibration.js';
import { policyFromConfig } from '../compare/policy.js';
import { DEFAULT_PAIRS } from '../config/defaults.js';
import type { Config } from '../config/types.js';
import type { Logger } from '../log.js';
import { renderCalibration } from '../report/calibration.js';
import { writeResultFile } from '../result/result-file.js';
import type { RunResult } from '../result/types.js';

export interface RecordedCalibration {
  calibration: Calibration;
  markdown: string;
  /** Paths of the Markdown report and of the calibration as JSON. */
  reportFile: string;
  dataFile: string;
}

/** Computes the calibration of the A and B runs and writes its files to `outDir`. */
export async function recordCalibration(
  measured: { a: RunResult; b: RunResult },
  config: Config,
  outDir: string,
  logger: Logger,
): Promise<RecordedCalibration> {
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
  const share = calibration.falseAlarmPatterns / calibration.patterns;
  if (calibration.comparison.verdict === 'regression' || share > config.familyAlpha) {
    logger.warning(
      `The margins raise false alarms at this noise (${calibration.falseAlarmPatterns} of ${calibration.patterns} sign-flipped comparisons): widen the tolerances, lengthen the runs, or add pairs.`,
    );
  }
  return { calibration, markdown, reportFile, dataFile };
}
