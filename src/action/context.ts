/**
 * What the workflow run is about, read from the runner's environment and the event payload.
 */
import { context } from '@actions/github';

import { PerfGateError } from '../errors.js';

export interface PullRequestContext {
  number: number;
  baseRef: string;
  headSha: string;
  /** Whether the pull request comes from another repository, whose token is read-only. */
  fromFork: boolean;
}

export interface WorkflowRunContext {
  id: number;
  headSha: string;
  /** Event that started the run, such as pull_request. */
  event: string;
}

export interface RunContext {
  eventName: string;
  owner: string;
  repo: string;
  repositoryId: number;
  defaultBranch: string;
  ref: string;
  runId: number;
  pullRequest?: PullRequestContext;
  workflowRun?: WorkflowRunContext;
}

interface Payload {
  repository?: { id?: number; default_branch?: string };
  pull_request?: {
    number?: number;
    base?: { ref?: string; repo?: { id?: number } };
    head?: { sha?: string; repo?: { id?: number } | null };
  };
  workflow_run?: { id?: number; head_sha?: string; event?: string };
}

/** Reads the run context; throws when the payload lacks what every mode needs. */
export function readRunContext(): RunContext {
  const payload = context.payload as Payload;
  const { owner, repo } = context.repo;
  const repositoryId = payload.repository?.id;
  if (repositoryId === undefined) {
    throw new PerfGateError(`The ${context.eventName} event payload has no repository id.`, {
      remedy: 'Run perf-gate in a workflow triggered by push, pull_request or workflow_run.',
    });
  }
  const result: RunContext = {
    eventName: context.eventName,
    owner,
    repo,
    repositoryId,
    defaultBranch: payload.repository?.default_branch ?? 'main',
    ref: context.ref,
    runId: context.runId,
  };
  const pull = payload.pull_request;
  if (pull?.number !== undefined && pull.base?.ref && pull.head?.sha) {
    result.pullRequest = {
      number: pull.number,
      baseRef: pull.base.ref,
      headSha: pull.head.sha,
      fromFork: pull.head.repo?.id !== repositoryId,
    };
  }
  const workflowRun = payload.workflow_run;
  if (workflowRun?.id !== undefined && workflowRun.head_sha) {
    result.workflowRun = {
      id: workflowRun.id,
      headSha: workflowRun.head_sha,
      event: workflowRun.event ?? '',
    };
  }
  return result;
}
