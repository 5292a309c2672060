/**
 * Baselines kept as GitHub artifacts. A push to the default branch uploads its result under a fixed
 * name; a pull request downloads the newest unexpired artifact of that name that a successful run
 * on its base branch of the same repository uploaded. Artifacts from forks are never used.
 */
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { DefaultArtifactClient } from '@actions/artifact';

import { PerfGateError, describeError } from '../errors.js';
import type { GitHubClient } from '../github/client.js';
import type { Logger } from '../log.js';
import { HISTORY_FILE } from '../result/history.js';
import type { RunResult } from '../result/types.js';
import {
  BASELINE_FILE,
  LocalBaselineStore,
  type Baseline,
  type BaselineStore,
} from './local-store.js';

/** One artifact as the REST API lists it. */
interface ListedArtifact {
  id: number;
  name: string;
  expired: boolean;
  created_at: string | null;
  expires_at: string | null;
  workflow_run?: {
    id?: number;
    repository_id?: number;
    head_repository_id?: number;
    head_branch?: string;
  } | null;
}

/** Pages of 100 artifacts read at most while looking for a baseline. */
const MAX_PAGES = 5;
/** Candidate artifacts whose runs are checked before giving up. */
const MAX_CANDIDATES = 10;

export interface ArtifactStoreOptions {
  client: GitHubClient;
  token: string;
  owner: string;
  repo: string;
  /** Id of this repository; artifacts uploaded by runs of forks carry another head repository id. */
  repositoryId: number;
  /** Branch whose baselines count, such as the pull request's base branch. */
  branch: string;
  /** Artifact name, fixed across runs. */
  name: string;
  retentionDays: number;
  /** This workflow run, whose own artifacts are not a baseline. */
  currentRunId: number;
  logger: Logger;
}

/** What the search found, for the report and the logs. */
export interface BaselineLookup {
  result?: RunResult;
  /** Baseline runs of the branch, newest last, the latest one included. */
  history?: RunResult[];
  /** Why no baseline is used, in a sentence, when there is none. */
  reason?: string;
  /** The artifact and run it came from. */
  artifactId?: number;
  runId?: number;
}

export class ArtifactBaselineStore implements BaselineStore {
  readonly description: string;

  constructor(private readonly options: ArtifactStoreOptions) {
    this.description = `artifact ${options.name} from branch ${options.branch}`;
  }

  async load(): Promise<Baseline | undefined> {
    const lookup = await this.find();
    return lookup.result
      ? { result: lookup.result, history: lookup.history ?? [lookup.result] }
      : undefined;
  }

  /**
   * Finds and downloads the newest usable baseline. Missing, expired and unreadable baselines are
   * not errors: the lookup says why there is none.
   */
  async find(): Promise<BaselineLookup> {
    const { logger } = this.options;
    const artifacts = await this.listArtifacts();
    const ours = artifacts.filter(
      (artifact) =>
        artifact.workflow_run?.head_branch === this.options.branch &&
        artifact.workflow_run.head_repository_id === this.options.repositoryId &&
        artifact.workflow_run.id !== this.options.currentRunId,
    );
    if (ours.length === 0) {
      return {
        reason: `no artifact named ${this.options.name} was uploaded from branch ${this.options.branch} of this repository`,
      };
    }
    const live = ours.filter((artifact) => !artifact.expired);
    if (live.length === 0) {
      const newest = newestFirst(ours)[0];
      return {
        reason: `the newest ${this.options.name} artifact from ${this.options.branch} expired${newest?.expires_at ? ` on ${newest.expires_at.slice(0, 10)}` : ''}; a push to ${this.options.branch} records a new one`,
      };
    }

    const reasons: string[] = [];
    for (const artifact of newestFirst(live).slice(0, MAX_CANDIDATES)) {
      const runId = artifact.workflow_run?.id;
      if (runId === undefined) continue;
      const conclusion = await this.runConclusion(runId);
      if (conclusion !== 'success') {
        reasons.push(`run ${runId} did not succeed (${conclusion ?? 'still running'})`);
        continue;
      }
      try {
        const { result, history } = await this.download(artifact.id, runId);
        logger.info(
          `Baseline: artifact ${artifact.id} from run ${runId} on ${this.options.branch}, recorded ${result.createdAt}, with ${history.length} run(s) of history`,
        );
        return { result, history, artifactId: artifact.id, runId };
      } catch (error) {
        logger.warning(
          `The baseline artifact ${artifact.id} from run ${runId} is unreadable: ${describeError(error)}`,
        );
        return {
          reason: `the newest baseline (artifact ${artifact.id} from run ${runId}) is unreadable: ${describeError(error).split('\n')[0] ?? ''}`,
          artifactId: artifact.id,
          runId,
        };
      }
    }
    return {
      reason: `no ${this.options.name} artifact from ${this.options.branch} came from a successful run (${reasons.join('; ')})`,
    };
  }

  /** Uploads `result`, appended to `history`, as the baseline artifact of this run. */
  async save(result: RunResult, history: readonly RunResult[], keep: number): Promise<void> {
    const directory = await mkdtemp(join(tmpdir(), 'perf-gate-baseline-'));
    await new LocalBaselineStore(directory).save(result, history, keep);
    const files = [join(directory, BASELINE_FILE), join(directory, HISTORY_FILE)];
    const client = new DefaultArtifactClient();
    const upload = await client.uploadArtifact(this.options.name, files, directory, {
      retentionDays: this.options.retentionDays,
    });
    this.options.logger.info(
      `Uploaded the baseline as artifact ${this.options.name} (id ${String(upload.id)}), kept ${this.options.retentionDays} days`,
    );
  }

  private async listArtifacts(): Promise<ListedArtifact[]> {
    const { client, owner, repo, name } = this.options;
    const artifacts: ListedArtifact[] = [];
    for (let page = 1; page <= MAX_PAGES; page += 1) {
      const response = await client.rest.actions.listArtifactsForRepo({
        owner,
        repo,
        name,
        per_page: 100,
        page,
      });
      artifacts.push(...(response.data.artifacts as ListedArtifact[]));
      if (response.data.artifacts.length < 100) break;
    }
    return artifacts;
  }

  private async runConclusion(runId: number): Promise<string | null | undefined> {
    const { client, owner, repo } = this.options;
    const run = await client.rest.actions.getWorkflowRun({ owner, repo, run_id: runId });
    return run.data.conclusion;
  }

  private async download(artifactId: number, runId: number): Promise<Baseline> {
    const directory = await mkdtemp(join(tmpdir(), 'perf-gate-baseline-'));
    const client = new DefaultArtifactClient();
    await client.downloadArtifact(artifactId, {
      path: directory,
      findBy: {
        token: this.options.token,
        workflowRunId: runId,
        repositoryOwner: this.options.owner,
        repositoryName: this.options.repo,
      },
    });
    const files = await readdir(directory);
    if (!files.includes(BASELINE_FILE)) {
      throw new PerfGateError(
        `the artifact contains ${files.join(', ') || 'no files'}, not ${BASELINE_FILE}`,
      );
    }
    const baseline = await new LocalBaselineStore(directory).load();
    if (!baseline) throw new PerfGateError(`the artifact has no readable ${BASELINE_FILE}`);
    return baseline;
  }
}

function newestFirst(artifacts: ListedArtifact[]): ListedArtifact[] {
  return [...artifacts].sort(
    (a, b) => (b.created_at ?? '').localeCompare(a.created_at ?? '') || b.id - a.id,
  );
}
