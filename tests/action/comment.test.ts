/**
 * The sticky comment with the real Octokit client of @actions/github against the loopback GitHub:
 * the size limit, escaping of endpoint names, keys, and comments on later pages.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { defaultPolicy } from '../../src/compare/policy.js';
import { COMMENT_LIMIT, COMMENT_MARKER } from '../../src/constants.js';
import { judge } from '../../src/engine/judge.js';
import { createGitHubClient, type GitHubClient } from '../../src/github/client.js';
import { silentLogger } from '../../src/log.js';
import { CommentDeniedError, commentMarker, upsertComment } from '../../src/publish/comment.js';
import { FakeGitHub, OWNER, REPO } from '../helpers/github-server.js';
import { endpoint, run, scenario } from '../helpers/results.js';

const target = { owner: OWNER, repo: REPO, issueNumber: 5 };
const always = { key: '', mode: 'always' as const, failing: false };

describe('sticky comment', () => {
  const github = new FakeGitHub();
  let client: GitHubClient;

  beforeAll(async () => {
    await github.start();
    process.env.GITHUB_API_URL = `${github.url}/api`;
    client = createGitHubClient('test-token', silentLogger);
  });
  afterAll(async () => {
    await github.stop();
  });
  beforeEach(() => {
    github.comments.clear();
    github.readOnlyPulls.clear();
  });

  it('cuts a body over the comment limit', async () => {
    const body = `${COMMENT_MARKER}\n${'x'.repeat(100_000)}`;
    await upsertComment(client, target, body, always);
    const [posted] = github.comments.get(5) ?? [];
    expect(posted?.body.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(posted?.body).toContain("The comment was cut at GitHub's limit of 65,536 characters");
  });

  it('posts a report of hundreds of endpoints under the limit', async () => {
    const many = Array.from({ length: 500 }, (_, index) =>
      endpoint(`GET /api/items/${index}?page=${'9'.repeat(40)}`),
    );
    const { markdown } = judge({
      head: run([scenario('k6 baseline', many)]),
      base: run([scenario('k6 baseline', many)]),
      policy: defaultPolicy(),
      maxLength: COMMENT_LIMIT,
    });
    await upsertComment(client, target, markdown, always);
    const [posted] = github.comments.get(5) ?? [];
    expect(posted?.body.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(posted?.body).toContain('detail section(s) were left out');
  });

  it('escapes Markdown and HTML in endpoint names', async () => {
    const hostile = endpoint('GET /<img src=x onerror=alert(1)>|**bold**');
    const { markdown } = judge({
      head: run([scenario('vegeta <b>x</b>', [hostile])]),
      base: undefined,
      policy: defaultPolicy(),
    });
    await upsertComment(client, target, markdown, always);
    const [posted] = github.comments.get(5) ?? [];
    expect(posted?.body).toContain('`GET /<img src=x onerror=alert(1)>\\|**bold**`');
    expect(posted?.body).toContain('### vegeta &lt;b&gt;x&lt;/b&gt;');
    const name = '`GET /<img src=x onerror=alert(1)>\\|**bold**`';
    expect(posted?.body.replaceAll(name, '')).not.toContain('<img');
  });

  it('updates its own comment on a later page and leaves others alone', async () => {
    const others = Array.from({ length: 230 }, (_, index) => ({
      id: index + 1,
      body: `comment ${index}`,
    }));
    others.splice(120, 0, { id: 999, body: `${COMMENT_MARKER}\n\nold report` });
    github.comments.set(5, others);
    const outcome = await upsertComment(client, target, `${COMMENT_MARKER}\n\nnew report`, always);
    expect(outcome.action).toBe('updated');
    expect(github.comments.get(5)?.find((comment) => comment.id === 999)?.body).toBe(
      `${COMMENT_MARKER}\n\nnew report`,
    );
    expect(github.comments.get(5)).toHaveLength(231);
  });

  it('keeps separate comments per key', async () => {
    await upsertComment(client, target, `${COMMENT_MARKER}\n\nfirst job`, {
      ...always,
      key: 'api',
    });
    await upsertComment(client, target, `${COMMENT_MARKER}\n\nsecond job`, {
      ...always,
      key: 'worker',
    });
    await upsertComment(client, target, `${COMMENT_MARKER}\n\nfirst job again`, {
      ...always,
      key: 'api',
    });
    const bodies = (github.comments.get(5) ?? []).map((comment) => comment.body);
    expect(bodies).toEqual([
      `${commentMarker('api')}\n\nfirst job again`,
      `${commentMarker('worker')}\n\nsecond job`,
    ]);
  });

  it('creates nothing for a pass in on-failure mode', async () => {
    const outcome = await upsertComment(client, target, `${COMMENT_MARKER}\n\npass`, {
      key: '',
      mode: 'on-failure',
      failing: false,
    });
    expect(outcome.action).toBe('skipped');
    expect(github.comments.get(5) ?? []).toEqual([]);
  });

  it('reports a read-only token as denied', async () => {
    github.readOnlyPulls.add(5);
    await expect(upsertComment(client, target, `${COMMENT_MARKER}\n\nx`, always)).rejects.toThrow(
      CommentDeniedError,
    );
  });
});
