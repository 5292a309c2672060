/**
 * Publishing a verdict from the action: the job summary, the step's outputs and the sticky
 * comment. The summary is written on every run; a failed comment is a warning, never a failed job.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import * as core from '@actions/core';

import type { Comparison } from '../compare/types.js';
import { COMMENT_LIMIT } from '../constants.js';
import { describeError } from '../errors.js';
import type { GitHubClient } from '../github/client.js';
import type { Logger } from '../log.js';
import { CommentDeniedError, upsertComment, type CommentTarget } from '../publish/comment.js';
import { Outputs } from './constants.js';
import type { ActionSettings } from './settings.js';

/** The job summary's limit is 1 MiB; this leaves room for multi-byte characters. */
export const SUMMARY_LIMIT = 600_000;

export interface Rendered {
  /** The report sized for a comment. */
  comment: string;
  /** The long report for the job summary and the report output. */
  full: string;
}

/** Writes the summary, the report file and the outputs; returns the report's path. */
export async function publishReport(
  rendered: Rendered,
  outDir: string,
  verdict: Comparison['verdict'] | 'error',
  logger: Logger,
): Promise<string> {
  const reportFile = join(outDir, 'report.md');
  await writeFile(reportFile, rendered.full);
  core.setOutput(Outputs.Report, reportFile);
  core.setOutput(Outputs.Verdict, verdict);
  try {
    await core.summary.addRaw(rendered.full, true).write();
  } catch (error) {
    logger.warning(`Writing the job summary failed: ${describeError(error)}`);
  }
  return reportFile;
}

/**
 * Posts the comment. Returns false when the token may not comment (a pull request from a fork),
 * so the caller can hand the report to a second workflow.
 */
export async function publishComment(
  client: GitHubClient,
  target: CommentTarget,
  body: string,
  settings: ActionSettings,
  failing: boolean,
  logger: Logger,
): Promise<boolean> {
  if (settings.comment === 'never') return true;
  try {
    const outcome = await upsertComment(client, target, body.slice(0, COMMENT_LIMIT), {
      key: settings.commentKey,
      mode: settings.comment,
      failing,
    });
    if (outcome.url) core.setOutput(Outputs.CommentUrl, outcome.url);
    logger.info(
      outcome.action === 'skipped'
        ? 'No comment: the verdict passed and comment is on-failure'
        : `Comment ${outcome.action}: ${outcome.url ?? ''}`,
    );
    return true;
  } catch (error) {
    if (error instanceof CommentDeniedError) {
      logger.warning(describeError(error));
      return false;
    }
    logger.warning(`Posting the comment failed: ${describeError(error)}`);
    return true;
  }
}
