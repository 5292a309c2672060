/**
 * The sticky pull request comment: one comment per pull request (and comment key), found again by
 * its hidden marker on any page of the pull request's comments and updated in place.
 */
import { COMMENT_LIMIT, COMMENT_MARKER } from '../constants.js';
import { PerfGateError } from '../errors.js';
import { httpStatus, type GitHubClient } from '../github/client.js';

export interface CommentTarget {
  owner: string;
  repo: string;
  issueNumber: number;
}

export interface CommentOptions {
  /** Separates the comments of several perf-gate steps on one pull request. */
  key: string;
  /** `on-failure` creates a comment only for a failing verdict; an existing one is always updated. */
  mode: 'always' | 'on-failure';
  failing: boolean;
}

export interface CommentOutcome {
  action: 'created' | 'updated' | 'skipped';
  url?: string;
}

/**
 * The token may not write comments: a pull request from a fork gets a read-only token. The
 * comment body can then be posted by a second workflow.
 */
export class CommentDeniedError extends PerfGateError {}

/** Returns the hidden marker of perf-gate's comment for `key`. */
export function commentMarker(key: string): string {
  return key === '' ? COMMENT_MARKER : COMMENT_MARKER.replace(' -->', `:${key} -->`);
}

/** Creates or updates the sticky comment with `body`. */
export async function upsertComment(
  client: GitHubClient,
  target: CommentTarget,
  body: string,
  options: CommentOptions,
): Promise<CommentOutcome> {
  const marker = commentMarker(options.key);
  // The renderer starts every report with the default marker; a keyed comment gets its own.
  const marked = body.startsWith(COMMENT_MARKER)
    ? marker + body.slice(COMMENT_MARKER.length)
    : `${marker}\n${body}`;
  const text = marked.length > COMMENT_LIMIT ? truncate(marked) : marked;

  try {
    const existing = await findComment(client, target, marker);
    if (existing) {
      const updated = await client.rest.issues.updateComment({
        owner: target.owner,
        repo: target.repo,
        comment_id: existing,
        body: text,
      });
      return { action: 'updated', url: updated.data.html_url };
    }
    if (options.mode === 'on-failure' && !options.failing) return { action: 'skipped' };
    const created = await client.rest.issues.createComment({
      owner: target.owner,
      repo: target.repo,
      issue_number: target.issueNumber,
      body: text,
    });
    return { action: 'created', url: created.data.html_url };
  } catch (error) {
    const status = httpStatus(error);
    if (status === 403 || status === 404) {
      throw new CommentDeniedError(
        `The token may not comment on pull request #${target.issueNumber} (HTTP ${status}).`,
        {
          cause: error,
          remedy:
            'Grant "pull-requests: write" to the job. For pull requests from forks, whose token is read-only, use mode: measure with a workflow_run workflow in mode: comment (see the README).',
        },
      );
    }
    throw error;
  }
}

/** Finds the comment with `marker` on any page of the pull request's comments. */
async function findComment(
  client: GitHubClient,
  target: CommentTarget,
  marker: string,
): Promise<number | undefined> {
  const pages = client.paginate.iterator(client.rest.issues.listComments, {
    owner: target.owner,
    repo: target.repo,
    issue_number: target.issueNumber,
    per_page: 100,
  });
  for await (const page of pages) {
    // Compare the whole first line: a keyed marker starts like the plain one.
    const found = page.data.find((comment) => comment.body?.split('\n', 1)[0]?.trim() === marker);
    if (found) return found.id;
  }
  return undefined;
}

/** Cuts a body that the renderer could not fit, keeping it valid for GitHub. */
function truncate(body: string): string {
  const note =
    "\n\n> [!NOTE]\n> The comment was cut at GitHub's limit of 65,536 characters; the full report is in the job summary.";
  return body.slice(0, COMMENT_LIMIT - note.length) + note;
}
