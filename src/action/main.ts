/**
 * The action's main step. `run()` is the only place that reads inputs and sets the step's
 * failure; each mode reads as a list of named steps.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import * as core from '@actions/core';

import { ArtifactBaselineStore, type BaselineLookup } from '../baseline/artifact-store.js';
import { policyFromConfig } from '../compare/policy.js';
import { FAILING_VERDICTS, type Comparison } from '../compare/types.js';
import { loadConfig } from '../config/load-config.js';
import type { Config } from '../config/types.js';
import { COMMENT_LIMIT } from '../constants.js';
import { judge } from '../engine/judge.js';
import { runPaired, runSuite } from '../engine/run-suite.js';
import { withSignals } from '../engine/signals.js';
import { PerfGateError, TargetError, describeError } from '../errors.js';
import { createGitHubClient, type GitHubClient } from '../github/client.js';
import type { Logger } from '../log.js';
import { downloadReportArtifact, uploadReportArtifact } from '../publish/report-artifact.js';
import { renderFailureReport } from '../report/failure.js';
import { writeResultFile } from '../result/result-file.js';
import type { RunResult } from '../result/types.js';
import { calibrateMode } from './calibrate.js';
import { Outputs, State } from './constants.js';
import { readRunContext, type RunContext } from './context.js';
import { actionLogger } from './logger.js';
import { SUMMARY_LIMIT, publishComment, publishReport, type Rendered } from './publish.js';
import { readSettings, type ActionSettings } from './settings.js';
import { ensureTools } from './tools.js';

/**
 * Returns a callback that saves every compose project's name before compose up, so the post step
 * can tear the stacks down even if this step dies.
 */
function projectRecorder(): (name: string, files: string[]) => void {
  const projects: { name: string; files: string[] }[] = [];
  return (name, files) => {
    projects.push({ name, files });
    core.saveState(State.Projects, JSON.stringify(projects));
  };
}

/** Everything a mode needs, read before anything starts. */
interface Setup {
  settings: ActionSettings;
  context: RunContext;
  config: Config;
  client: GitHubClient;
  outDir: string;
  logger: Logger;
}

/** Runs the main step and sets its outcome. */
export async function run(): Promise<void> {
  core.saveState(State.IsPost, 'true');
  const logger = actionLogger;
  let setup: Setup | undefined;
  try {
    setup = await prepare(logger);
    switch (setup.settings.mode) {
      case 'run':
      case 'measure':
        await measureMode(setup);
        return;
      case 'comment':
        await commentMode(setup);
        return;
      case 'calibrate': {
        const { config, settings, outDir } = setup;
        await logger.group('Installing tools', () =>
          ensureTools(
            config.suite,
            { k6: settings.k6Version, vegeta: settings.vegetaVersion },
            logger,
          ),
        );
        await calibrateMode({
          config,
          pairs: settings.calibrationPairs,
          outDir,
          logger,
          onProjectName: projectRecorder(),
        });
        return;
      }
    }
  } catch (error) {
    core.setOutput(Outputs.Verdict, 'error');
    if (setup) await reportFailure(setup, error);
    core.setFailed(describeError(error));
  }
}

async function prepare(logger: Logger): Promise<Setup> {
  const settings = readSettings(
    (name) => core.getInput(name),
    (path) => existsSync(path),
  );
  if (settings.githubToken !== '') core.setSecret(settings.githubToken);
  const context = readRunContext();
  const config = loadConfig({
    ...(settings.configFile ? { file: settings.configFile } : {}),
    overrides: settings.overrides,
  });
  const outDir = join(process.env.RUNNER_TEMP ?? process.cwd(), 'perf-gate');
  await mkdir(outDir, { recursive: true });
  logger.debug(`Configuration: ${JSON.stringify(config)}`);
  return {
    settings,
    context,
    config,
    client: createGitHubClient(settings.githubToken, logger),
    outDir,
    logger,
  };
}

/**
 * Modes run and measure: find the baseline, measure, judge, publish. Run comments on the pull
 * request; measure, for pull requests from forks, hands the result to a comment workflow.
 */
async function measureMode(setup: Setup): Promise<void> {
  const { settings, context, config, logger } = setup;
  const pullRequest = context.pullRequest;
  if (settings.mode === 'measure' && !pullRequest) {
    throw new PerfGateError(`mode: measure needs a pull_request event, not ${context.eventName}.`, {
      remedy: 'Use mode: run for pushes and other events.',
    });
  }
  const baseBranch = pullRequest?.baseRef ?? context.defaultBranch;
  const uploadsBaseline =
    context.eventName === 'push' && context.ref === `refs/heads/${context.defaultBranch}`;

  const needsArtifact =
    !(config.paired !== undefined && pullRequest !== undefined) || uploadsBaseline;
  const lookup: BaselineLookup = needsArtifact
    ? await logger.group('Finding the baseline', () => baselineStore(setup, baseBranch).find())
    : { reason: 'the paired design measures the base revision in this job' };
  if (!lookup.result && needsArtifact) {
    logger.notice(
      `No baseline: ${lookup.reason ?? 'none was found'}. The run is measured but not compared.`,
    );
  }
  await logger.group('Installing tools', () =>
    ensureTools(config.suite, { k6: settings.k6Version, vegeta: settings.vegetaVersion }, logger),
  );

  const onProjectName = projectRecorder();
  // A pull request with a paired configuration measures its base revision here instead of reading
  // the baseline artifact; pushes measure this revision only, for the baseline.
  const pairedRun = config.paired !== undefined && pullRequest !== undefined;
  let head: RunResult;
  let pairedBase: RunResult | undefined;
  if (pairedRun) {
    const policy = policyFromConfig(config);
    const measured = await withSignals(logger, (signal) =>
      runPaired({
        config,
        outDir: setup.outDir,
        logger,
        signal,
        onProjectName,
        wantsMorePairs: (pairedHead, base) =>
          judge({ head: pairedHead, base, policy }).comparison.verdict === 'inconclusive',
      }),
    );
    head = measured.head;
    pairedBase = measured.base;
  } else {
    head = await withSignals(logger, (signal) =>
      runSuite({ config, outDir: setup.outDir, logger, signal, onProjectName }),
    );
  }
  const resultFile = join(setup.outDir, 'result.json');
  await writeResultFile(resultFile, head);
  core.setOutput(Outputs.Result, resultFile);

  const { comparison, rendered } = pairedBase
    ? render(head, { result: pairedBase }, config)
    : render(head, lookup, config);
  await publishReport(rendered, setup.outDir, comparison.verdict, logger);
  if (pullRequest) {
    const info = {
      number: pullRequest.number,
      headSha: pullRequest.headSha,
      baseRef: pullRequest.baseRef,
    };
    const target = { owner: context.owner, repo: context.repo, issueNumber: pullRequest.number };
    const commented =
      settings.mode === 'run' &&
      (await publishComment(
        setup.client,
        target,
        rendered.comment,
        settings,
        FAILING_VERDICTS.has(comparison.verdict),
        logger,
      ));
    if (!commented) {
      await uploadReportArtifact(settings.reportArtifact, head, info, rendered.comment);
      logger.info(
        `Uploaded the result as artifact ${settings.reportArtifact} for a workflow_run workflow in mode: comment to post`,
      );
    }
  }
  core.setOutput(Outputs.BaselineUploaded, String(uploadsBaseline));
  if (uploadsBaseline)
    await logger.group('Uploading the baseline', () =>
      baselineStore(setup, context.defaultBranch).save(
        head,
        lookup.history ?? [],
        config.historyLength,
      ),
    );

  if (FAILING_VERDICTS.has(comparison.verdict) && settings.failOnRegression) {
    core.setFailed(
      `perf-gate: ${comparison.failures.length} failure(s): ${comparison.failures.slice(0, 3).join('; ')}`,
    );
  }
}

/**
 * Mode comment, in a workflow_run workflow: post the comment for a measurement that a pull_request
 * workflow uploaded. The artifact is untrusted data: it is validated, its pull request must point
 * at the commit the run measured, and it is judged again with this repository's configuration and
 * baseline. No code from the pull request runs here.
 */
async function commentMode(setup: Setup): Promise<void> {
  const { settings, context, config, client, logger } = setup;
  const workflowRun = context.workflowRun;
  if (!workflowRun) {
    throw new PerfGateError(`mode: comment needs a workflow_run event, not ${context.eventName}.`, {
      remedy:
        'Trigger the comment workflow with on: workflow_run for the workflow that runs mode: measure.',
    });
  }
  const downloaded = await logger.group('Reading the measurement', () =>
    downloadReportArtifact({
      name: settings.reportArtifact,
      runId: workflowRun.id,
      token: settings.githubToken,
      owner: context.owner,
      repo: context.repo,
    }),
  );
  const pull = await client.rest.pulls.get({
    owner: context.owner,
    repo: context.repo,
    pull_number: downloaded.pullRequest.number,
  });
  if (
    pull.data.head.sha !== workflowRun.headSha ||
    downloaded.pullRequest.headSha !== workflowRun.headSha
  ) {
    throw new PerfGateError(
      `The artifact of run ${workflowRun.id} names pull request #${downloaded.pullRequest.number}, whose head is ${pull.data.head.sha}, but the run measured ${workflowRun.headSha}; no comment was posted.`,
      {
        remedy:
          'A newer push to the pull request starts a new run, whose comment workflow posts the current result.',
      },
    );
  }

  const lookup = await logger.group('Finding the baseline', () =>
    baselineStore(setup, pull.data.base.ref).find(),
  );
  if (!lookup.result) logger.notice(`No baseline: ${lookup.reason ?? 'none was found'}.`);
  const { comparison, rendered } = render(downloaded.result, lookup, config);
  await publishReport(rendered, setup.outDir, comparison.verdict, logger);
  const target = {
    owner: context.owner,
    repo: context.repo,
    issueNumber: downloaded.pullRequest.number,
  };
  const posted = await publishComment(
    client,
    target,
    rendered.comment,
    settings,
    FAILING_VERDICTS.has(comparison.verdict),
    logger,
  );
  if (!posted)
    throw new PerfGateError(
      'The comment workflow may not comment either; it needs "pull-requests: write".',
    );
}

function baselineStore(setup: Setup, branch: string): ArtifactBaselineStore {
  const { settings, context, client, logger } = setup;
  return new ArtifactBaselineStore({
    client,
    token: settings.githubToken,
    owner: context.owner,
    repo: context.repo,
    repositoryId: context.repositoryId,
    branch,
    name: settings.baselineArtifact,
    retentionDays: settings.baselineRetentionDays,
    currentRunId: context.runId,
    logger,
  });
}

function render(
  head: RunResult,
  lookup: BaselineLookup,
  config: Config,
): { comparison: Comparison; rendered: Rendered } {
  const options = {
    head,
    ...(lookup.result ? { base: lookup.result } : {}),
    ...(lookup.history ? { history: lookup.history } : {}),
    policy: policyFromConfig(config),
  };
  const short = judge({
    ...options,
    maxLength: COMMENT_LIMIT,
    fullReportHint: "this run's job summary",
  });
  const full = judge({ ...options, maxLength: SUMMARY_LIMIT });
  return {
    comparison: short.comparison,
    rendered: { comment: short.markdown, full: full.markdown },
  };
}

/** Publishes what failed where the verdict would have gone: summary, report output and comment. */
async function reportFailure(setup: Setup, error: unknown): Promise<void> {
  const { settings, context, logger } = setup;
  const body = renderFailureReport({
    title: error instanceof TargetError ? 'the target did not become ready' : 'the run failed',
    message: error instanceof Error ? error.message : String(error),
    ...(error instanceof PerfGateError && error.remedy ? { remedy: error.remedy } : {}),
    ...(error instanceof TargetError ? { logs: error.logs } : {}),
  });
  try {
    await writeFile(join(setup.outDir, 'report.md'), body);
    await publishReport({ comment: body, full: body }, setup.outDir, 'error', logger);
    const pullRequest = context.pullRequest;
    if (pullRequest && settings.mode === 'run') {
      const target = { owner: context.owner, repo: context.repo, issueNumber: pullRequest.number };
      await publishComment(
        setup.client,
        target,
        body,
        { ...settings, comment: settings.comment === 'never' ? 'never' : 'always' },
        true,
        logger,
      );
    }
  } catch (publishError) {
    logger.warning(`Publishing the failure report failed: ${describeError(publishError)}`);
  }
}
