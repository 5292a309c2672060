/**
 * The report artifact of the fork-safe pattern. A pull_request workflow in mode `measure`, whose
 * token cannot comment on pull requests from forks, uploads its result and the pull request it
 * measured. A workflow_run workflow in mode `comment` downloads them, treats them as untrusted data
 * (validated, never executed), judges the result again with its own configuration and baseline,
 * and posts the comment.
 */
import { mkdtemp, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { DefaultArtifactClient } from '@actions/artifact';
import { z } from 'zod';

import { PerfGateError } from '../errors.js';
import { parseResult } from '../result/result-file.js';
import type { RunResult } from '../result/types.js';
import { ReportArtifactFiles } from '../action/constants.js';

/** The pull request a measurement belongs to. */
export interface PullRequestInfo {
  number: number;
  /** Commit the pull_request workflow measured. */
  headSha: string;
  baseRef: string;
}

const pullRequestSchema = z.strictObject({
  number: z.int().positive(),
  headSha: z.string().regex(/^[0-9a-f]{40}$/u),
  baseRef: z.string().min(1).max(255),
});

/** Largest file the comment workflow reads from the artifact. */
const MAX_FILE_BYTES = 50 * 2 ** 20;

/** Uploads the result, the pull request and the rendered report; returns the artifact id. */
export async function uploadReportArtifact(
  name: string,
  result: RunResult,
  pullRequest: PullRequestInfo,
  report: string,
): Promise<number | undefined> {
  const directory = await mkdtemp(join(tmpdir(), 'perf-gate-report-'));
  await writeFile(join(directory, ReportArtifactFiles.Result), JSON.stringify(result));
  await writeFile(join(directory, ReportArtifactFiles.PullRequest), JSON.stringify(pullRequest));
  await writeFile(join(directory, ReportArtifactFiles.Report), report);
  const files = Object.values(ReportArtifactFiles).map((file) => join(directory, file));
  const upload = await new DefaultArtifactClient().uploadArtifact(name, files, directory, {
    retentionDays: 7,
  });
  return upload.id;
}

export interface DownloadedReport {
  result: RunResult;
  pullRequest: PullRequestInfo;
}

/** Downloads and validates the report artifact of workflow run `runId`. */
export async function downloadReportArtifact(options: {
  name: string;
  runId: number;
  token: string;
  owner: string;
  repo: string;
}): Promise<DownloadedReport> {
  const client = new DefaultArtifactClient();
  const findBy = {
    token: options.token,
    workflowRunId: options.runId,
    repositoryOwner: options.owner,
    repositoryName: options.repo,
  };
  let artifactId: number;
  try {
    artifactId = (await client.getArtifact(options.name, { findBy })).artifact.id;
  } catch (error) {
    throw new PerfGateError(
      `Workflow run ${options.runId} has no artifact named ${options.name}.`,
      {
        cause: error,
        remedy:
          'Run perf-gate with mode: measure in the pull_request workflow, with the same report-artifact name.',
      },
    );
  }
  const directory = await mkdtemp(join(tmpdir(), 'perf-gate-report-'));
  await client.downloadArtifact(artifactId, { path: directory, findBy });
  const files = new Set(await readdir(directory));
  for (const file of [ReportArtifactFiles.Result, ReportArtifactFiles.PullRequest]) {
    if (!files.has(file))
      throw new PerfGateError(
        `The ${options.name} artifact of run ${options.runId} has no ${file}.`,
      );
  }
  const pullRequest = pullRequestSchema.safeParse(
    JSON.parse(await readLimited(join(directory, ReportArtifactFiles.PullRequest))),
  );
  if (!pullRequest.success) {
    throw new PerfGateError(
      `${ReportArtifactFiles.PullRequest} in the ${options.name} artifact of run ${options.runId} is invalid: ${pullRequest.error.issues[0]?.message ?? ''}.`,
    );
  }
  const resultPath = join(directory, ReportArtifactFiles.Result);
  const result = parseResult(
    JSON.parse(await readLimited(resultPath)),
    `${ReportArtifactFiles.Result} of run ${options.runId}`,
  );
  return { result, pullRequest: pullRequest.data };
}

async function readLimited(path: string): Promise<string> {
  const size = (await stat(path)).size;
  if (size > MAX_FILE_BYTES)
    throw new PerfGateError(
      `${path} has ${size} bytes, more than the ${MAX_FILE_BYTES} read from a report artifact.`,
    );
  return readFile(path, 'utf8');
}
