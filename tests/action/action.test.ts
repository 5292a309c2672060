/**
 * The bundled action run as GitHub's runner runs it, against the demo with real compose, k6 and
 * vegeta, and a loopback GitHub that the real @actions/artifact, @actions/github and
 * @actions/tool-cache clients talk to. The cases run in order, as pushes and pull requests would.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { COMMENT_MARKER } from '../../src/constants.js';
import type { RunResult } from '../../src/result/types.js';
import {
  filesContaining,
  pullRequestEvent,
  pushEvent,
  runStep,
  TOKEN,
  type StepResult,
} from '../helpers/action-runner.js';
import { FakeGitHub, REPOSITORY_ID } from '../helpers/github-server.js';
import {
  buildDemoBinary,
  freePort,
  integrationGate,
  leftovers,
  noteExistingStacks,
  node24,
} from '../helpers/integration.js';
import { ROOT } from '../helpers/paths.js';
import { ReleaseServer } from '../helpers/release-server.js';
import { makeZip, readZip } from '../helpers/zip.js';

const gate = integrationGate();
const SEARCH = 'GET /api/movies/search?q=matrix';
const HEAD_SHA = 'a'.repeat(40);
const SLOW_SHA = 'b'.repeat(40);

describe.skipIf(gate.skip)('perf-gate action', () => {
  const github = new FakeGitHub();
  const releases = new ReleaseServer();
  const workspace = mkdtempSync(join(tmpdir(), 'perf-gate-workspace-'));
  const steps: StepResult[] = [];
  let port: number;

  /** Runs the main step, then the post step with its state, and keeps both for the leak checks. */
  async function runMainAndPost(
    options: Omit<Parameters<typeof runStep>[0], 'server' | 'workspace'>,
  ): Promise<StepResult> {
    github.currentRun = {
      id: options.event.runId,
      branch: options.event.ref.replace('refs/heads/', ''),
      repositoryId: REPOSITORY_ID,
    };
    github.runs.set(options.event.runId, {
      id: options.event.runId,
      conclusion: null,
      headBranch: github.currentRun.branch,
      event: options.event.name,
    });
    const main = await runStep({
      server: github,
      workspace,
      ...options,
      env: { DEMO_PORT: String(port), ...options.env },
    });
    steps.push(main);
    const post = await runStep({
      server: github,
      workspace,
      ...options,
      state: main.state,
      env: { DEMO_PORT: String(port), ...options.env },
    });
    steps.push(post);
    expect(post.exitCode, post.stdout).toBe(0);
    github.runs.set(options.event.runId, {
      id: options.event.runId,
      conclusion: main.exitCode === 0 ? 'success' : 'failure',
      headBranch: github.currentRun.branch,
      event: options.event.name,
    });
    return main;
  }

  function perfGateComments(issue: number) {
    return (github.comments.get(issue) ?? []).filter((comment) =>
      comment.body.startsWith(COMMENT_MARKER),
    );
  }

  beforeAll(async () => {
    noteExistingStacks();
    buildDemoBinary();
    port = await freePort();
    await github.start();
    releases.buildArchives();
    await releases.start();
    writeFileSync(
      join(workspace, 'perf-gate.yml'),
      [
        'target:',
        `  compose: ${join(ROOT, 'examples', 'movies-api', 'docker-compose.yml')}`,
        '  url: http://127.0.0.1:${DEMO_PORT}',
        '  ready: /health',
        'endpoints:',
        '  - GET /health',
        '  - GET /api/movies/42',
        `  - ${SEARCH}`,
        'suite:',
        '  - k6: { script: baseline, duration: 4s, rate: 30/s }',
        '  - vegeta: { profile: baseline, duration: 4s, rate: 30/s }',
        'warmup: 1s',
        'repetitions: 1',
        'regression:',
        '  min-latency-change: 10ms',
        '',
      ].join('\n'),
    );
  });

  afterAll(async () => {
    await github.stop();
    await releases.stop();
  });

  afterEach(() => {
    expect(leftovers()).toEqual({ containers: [], networks: [] });
    for (const step of steps.splice(0)) {
      // The add-mask command hands the token to the runner, which masks it and logs nothing.
      const log = (step.stdout + step.stderr).replaceAll(`::add-mask::${TOKEN}`, '');
      expect(log.includes(TOKEN), 'token in the step log').toBe(false);
      expect(filesContaining(step.runnerDir, TOKEN)).toEqual([]);
    }
  });

  it('uploads a baseline on a push to main', async () => {
    const before = github.requests.length;
    // Neither tool is on PATH or in perf-gate's cache: the action installs both from releases.
    const toolless = (process.env.PATH ?? '')
      .split(':')
      .filter((directory) => !/perf-gate\/tools|setup\/bin/u.test(directory))
      .join(':');
    const main = await runMainAndPost({
      event: pushEvent({ branch: 'main', sha: HEAD_SHA, runId: 100 }),
      env: {
        PATH: toolless,
        PERF_GATE_CACHE_DIR: mkdtempSync(join(tmpdir(), 'perf-gate-empty-cache-')),
        PERF_GATE_RELEASES_URL: releases.url,
      },
    });
    expect(main.exitCode, main.stdout).toBe(0);
    expect(main.outputs.verdict).toBe('no-baseline');
    expect(main.outputs['baseline-uploaded']).toBe('true');
    expect(main.stdout).toMatch(/Verified k6-v2\.2\.0-linux-amd64\.tar\.gz: sha256 [0-9a-f]{64}/u);
    expect(main.stdout).toMatch(
      /::notice::No baseline: no artifact named perf-gate-baseline was uploaded from branch main/u,
    );

    const artifact = github.artifacts.find((candidate) => candidate.runId === 100);
    expect(artifact?.name).toBe('perf-gate-baseline');
    const days = (Date.parse(artifact?.expiresAt ?? '') - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(89);
    expect(days).toBeLessThan(91);
    const stored = JSON.parse(
      readZip(artifact?.zip ?? Buffer.alloc(0))
        .get('perf-gate-baseline.json')
        ?.toString() ?? '{}',
    ) as RunResult;
    expect(stored.source.commit).toBe(HEAD_SHA);
    expect(stored.scenarios.map((scenario) => scenario.name)).toEqual([
      'k6 baseline',
      'vegeta baseline',
    ]);

    const calls = github
      .since(before)
      .map((request) => `${request.method} ${request.path.replace(/\/[\w-]{20,}$/u, '/ID')}`);
    expect(calls).toContain(
      'POST /twirp/github.actions.results.api.v1.ArtifactService/CreateArtifact',
    );
    expect(calls).toContain('PUT /blob/account/uploads/ID');
    expect(calls).toContain(
      'POST /twirp/github.actions.results.api.v1.ArtifactService/FinalizeArtifact',
    );
    expect(calls.some((call) => call.includes('/comments'))).toBe(false);
    expect(main.summary).toContain('## 🆕 perf-gate: no baseline yet');
  }, 300_000);

  it('comments a pass on a pull request without change', async () => {
    // 150 other comments come first, so perf-gate's lands on the second page.
    github.comments.set(
      7,
      Array.from({ length: 150 }, (_, index) => ({
        id: 10 + index,
        body: `review comment ${index}`,
      })),
    );
    // Two 502 answers before the comments list comes through.
    github.faults.push({ method: 'GET', path: /\/issues\/7\/comments$/u, status: 502, times: 2 });
    const before = github.requests.length;
    const main = await runMainAndPost({
      event: pullRequestEvent({ number: 7, headSha: HEAD_SHA, runId: 101 }),
    });
    expect(main.exitCode, main.stdout).toBe(0);
    expect(main.outputs.verdict).toBe('pass');
    expect(main.outputs['baseline-uploaded']).toBe('false');
    expect(main.stdout).toMatch(
      /::warning::GitHub API GET \S+\/issues\/7\/comments\?per_page=100 failed \(HTTP 502\); retry 1 of 3 in 1 s/u,
    );
    expect(main.stdout).toMatch(/retry 2 of 3 in 2 s/u);

    const comments = perfGateComments(7);
    expect(comments).toHaveLength(1);
    expect(comments[0]?.body).toContain('## ✅ perf-gate: no regression');
    expect(main.outputs['comment-url']).toBe(
      `https://github.com/octo-org/movies/pull/7#issuecomment-${comments[0]?.id ?? 0}`,
    );
    const calls = github.since(before);
    expect(calls.filter((request) => request.path.includes('CreateArtifact'))).toEqual([]);
    expect(
      calls.filter(
        (request) => request.method === 'GET' && request.path.endsWith('/issues/7/comments'),
      ).length,
    ).toBeGreaterThanOrEqual(4);
    expect(main.summary).toContain('## ✅ perf-gate: no regression');
  }, 300_000);

  it('updates the same comment when a push slows an endpoint', async () => {
    const before = github.requests.length;
    const main = await runMainAndPost({
      event: pullRequestEvent({ number: 7, headSha: SLOW_SHA, runId: 102 }),
      env: { DEMO_SLOWDOWN: '/api/movies/search=50ms' },
      // GitHub runs the action on Node.js 24 (runs.using: node24).
      ...(node24() ? { node: node24() } : {}),
    });
    expect(main.exitCode, main.stdout).toBe(1);
    expect(main.outputs.verdict).toBe('regression');
    expect(main.stdout).toContain('::error::perf-gate: ');
    const comments = perfGateComments(7);
    expect(comments).toHaveLength(1);
    expect(comments[0]?.body).toContain('## ❌ perf-gate: slower than the baseline');
    expect(comments[0]?.body).toContain(`\`${SEARCH}\` in k6 baseline`);
    expect(comments[0]?.body).not.toContain('`GET /health` in');
    const calls = github.since(before);
    expect(
      calls.filter((request) => request.method === 'POST' && request.path.endsWith('/comments')),
    ).toEqual([]);
    expect(calls.filter((request) => request.method === 'PATCH')).toHaveLength(1);
  }, 300_000);

  it('keeps the summary and the verdict when a fork may not comment', async () => {
    github.readOnlyPulls.add(8);
    github.pulls.set(8, { headSha: HEAD_SHA, baseRef: 'main' });
    const main = await runMainAndPost({
      event: pullRequestEvent({ number: 8, headSha: HEAD_SHA, runId: 103, fromFork: true }),
    });
    expect(main.exitCode, main.stdout).toBe(0);
    expect(main.outputs.verdict).toBe('pass');
    expect(main.stdout).toContain(
      '::warning::The token may not comment on pull request #8 (HTTP 403).',
    );
    expect(main.summary).toContain('## ✅ perf-gate: no regression');
    expect(perfGateComments(8)).toEqual([]);
    const report = github.artifacts.find(
      (artifact) => artifact.runId === 103 && artifact.name === 'perf-gate-report',
    );
    const files = readZip(report?.zip ?? Buffer.alloc(0));
    expect([...files.keys()].sort()).toEqual(['pull-request.json', 'report.md', 'result.json']);
    expect(JSON.parse(files.get('pull-request.json')?.toString() ?? '{}')).toEqual({
      number: 8,
      headSha: HEAD_SHA,
      baseRef: 'main',
    });
  }, 300_000);

  it('posts the comment from a workflow_run workflow', async () => {
    github.readOnlyPulls.delete(8);
    const event = {
      name: 'workflow_run',
      ref: 'refs/heads/main',
      sha: 'c'.repeat(40),
      runId: 104,
      payload: {
        action: 'completed',
        repository: { id: REPOSITORY_ID, default_branch: 'main' },
        workflow_run: { id: 103, head_sha: HEAD_SHA, event: 'pull_request', pull_requests: [] },
      },
    };
    const main = await runMainAndPost({ event, inputs: { mode: 'comment' } });
    expect(main.exitCode, main.stdout).toBe(0);
    const comments = perfGateComments(8);
    expect(comments).toHaveLength(1);
    expect(comments[0]?.body).toContain('## ✅ perf-gate: no regression');
    expect(main.outputs.verdict).toBe('pass');
  }, 300_000);

  it('refuses a report artifact that names another commit', async () => {
    github.pulls.set(9, { headSha: 'd'.repeat(40), baseRef: 'main' });
    const stored = github.artifacts.find(
      (artifact) => artifact.runId === 103 && artifact.name === 'perf-gate-report',
    );
    const files = readZip(stored?.zip ?? Buffer.alloc(0));
    const forged = makeZip({
      'result.json': files.get('result.json') ?? '',
      'pull-request.json': JSON.stringify({ number: 9, headSha: HEAD_SHA, baseRef: 'main' }),
    });
    github.addArtifact({
      name: 'perf-gate-report',
      runId: 105,
      headBranch: 'feature',
      headRepositoryId: 9999,
      zip: forged,
    });
    const event = {
      name: 'workflow_run',
      ref: 'refs/heads/main',
      sha: 'c'.repeat(40),
      runId: 106,
      payload: {
        repository: { id: REPOSITORY_ID, default_branch: 'main' },
        workflow_run: { id: 105, head_sha: HEAD_SHA, event: 'pull_request' },
      },
    };
    const main = await runMainAndPost({ event, inputs: { mode: 'comment' } });
    expect(main.exitCode).toBe(1);
    expect(main.stdout).toContain(
      `names pull request #9, whose head is ${'d'.repeat(40)}, but the run measured ${HEAD_SHA}; no comment was posted.`,
    );
    expect(perfGateComments(9)).toEqual([]);
  }, 300_000);

  it.each([
    [
      'a missing',
      'release-1',
      'no artifact named perf-gate-baseline was uploaded from branch release-1 of this repository',
    ],
    [
      'an expired',
      'release-2',
      'the newest perf-gate-baseline artifact from release-2 expired on 2026-01-31',
    ],
    ['a corrupt', 'release-3', 'is unreadable'],
    [
      "a fork's",
      'release-4',
      'no artifact named perf-gate-baseline was uploaded from branch release-4 of this repository',
    ],
  ])(
    'treats %s baseline as none',
    async (_kind, branch, reason) => {
      if (branch === 'release-2') {
        github.addArtifact({
          name: 'perf-gate-baseline',
          runId: 200,
          headBranch: branch,
          headRepositoryId: REPOSITORY_ID,
          zip: makeZip({}),
          expired: true,
          expiresAt: '2026-01-31T00:00:00Z',
        });
      } else if (branch === 'release-3') {
        github.runs.set(201, { id: 201, conclusion: 'success', headBranch: branch, event: 'push' });
        github.addArtifact({
          name: 'perf-gate-baseline',
          runId: 201,
          headBranch: branch,
          headRepositoryId: REPOSITORY_ID,
          zip: makeZip({ 'perf-gate-baseline.json': '{"schemaVersion": 1, "scen' }),
        });
      } else if (branch === 'release-4') {
        github.runs.set(202, { id: 202, conclusion: 'success', headBranch: branch, event: 'push' });
        github.addArtifact({
          name: 'perf-gate-baseline',
          runId: 202,
          headBranch: branch,
          headRepositoryId: 9999,
          zip: makeZip({ 'perf-gate-baseline.json': '{}' }),
        });
      }
      const number = 20 + Number(branch.slice(-1));
      const main = await runMainAndPost({
        event: pullRequestEvent({
          number,
          headSha: HEAD_SHA,
          baseRef: branch,
          runId: 300 + number,
        }),
        inputs: { suite: 'vegeta: baseline', scale: '0.05' },
      });
      expect(main.exitCode, main.stdout).toBe(0);
      expect(main.outputs.verdict).toBe('no-baseline');
      expect(main.stdout).toContain(reason);
      expect(perfGateComments(number)[0]?.body).toContain('## 🆕 perf-gate: no baseline yet');
    },
    300_000,
  );

  it('calibrates the target against itself without touching the pull request', async () => {
    const before = github.requests.length;
    const commentsBefore = structuredClone(perfGateComments(8));
    const main = await runMainAndPost({
      event: pullRequestEvent({ number: 8, headSha: HEAD_SHA, runId: 300 }),
      inputs: { mode: 'calibrate', 'calibration-pairs': '3' },
    });
    expect(main.exitCode, main.stdout).toBe(0);
    expect(main.outputs.verdict).toBe('calibrated');
    expect(main.outputs.report).toMatch(/calibration\.md$/u);
    expect(main.summary).toContain('## perf-gate calibration: 3 pairs of A/A runs');
    expect(main.summary).toMatch(/\| `GET \/api\/movies\/42` +\| p50 /u);
    expect(main.stdout).toContain('Running vegeta baseline (pair 3 of 3, B)');
    expect(perfGateComments(8)).toEqual(commentsBefore);
    expect(github.since(before).filter((request) => !request.path.includes('/releases'))).toEqual(
      [],
    );
  }, 300_000);

  it('post step tears down what a killed main step left', async () => {
    github.currentRun = { id: 400, branch: 'feature', repositoryId: REPOSITORY_ID };
    const event = pullRequestEvent({ number: 40, headSha: HEAD_SHA, runId: 400 });
    const main = await runStep({
      server: github,
      workspace,
      event,
      env: { DEMO_PORT: String(port) },
      onStdout: (text, kill) => {
        if (text.includes('Target ready after')) kill();
      },
    });
    steps.push(main);
    expect(main.exitCode).toBeNull();
    expect(leftovers().containers.length).toBeGreaterThan(0);
    const [project] = JSON.parse(main.state['compose-projects'] ?? '[]') as { name: string }[];
    expect(project?.name).toMatch(/^perf-gate-[0-9a-f]{8}$/u);
    const post = await runStep({
      server: github,
      workspace,
      event,
      state: main.state,
      env: { DEMO_PORT: String(port) },
    });
    steps.push(post);
    expect(post.exitCode).toBe(0);
    expect(post.stdout).toContain(`Removed compose project ${project?.name ?? ''}`);
  }, 300_000);
});
