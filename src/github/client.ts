/**
 * The GitHub REST client: @actions/github's Octokit (base URL from GITHUB_API_URL) with retries
 * for answers that usually pass: 5xx, 429 and network errors.
 */
import { setTimeout as sleep } from 'node:timers/promises';

import { getOctokit } from '@actions/github';

import type { Logger } from '../log.js';

export type GitHubClient = ReturnType<typeof getOctokit>;

/** Attempts per request, the first included. */
const ATTEMPTS = 4;
/** Delay before the first retry; it doubles for each further one. */
const FIRST_RETRY_DELAY_MS = 1_000;

/** Creates a client that retries transient failures; never logs the token. */
export function createGitHubClient(token: string, logger: Logger): GitHubClient {
  const retry = (octokit: { hook: GitHubClient['hook'] }) => {
    octokit.hook.wrap('request', async (request, options) => {
      for (let attempt = 1; ; attempt += 1) {
        try {
          return await request(options);
        } catch (error) {
          const status = (error as { status?: number }).status;
          const transient = status === undefined || status === 429 || status >= 500;
          if (!transient || attempt >= ATTEMPTS) throw error;
          const delay = FIRST_RETRY_DELAY_MS * 2 ** (attempt - 1);
          logger.warning(
            `GitHub API ${options.method} ${options.url} failed (${status === undefined ? (error as Error).message : `HTTP ${status}`}); retry ${attempt} of ${ATTEMPTS - 1} in ${delay / 1000} s`,
          );
          await sleep(delay);
        }
      }
    });
  };
  // @actions/github reads GITHUB_API_URL once, when it is imported; reading it here follows the
  // environment of the moment the client is made.
  return getOctokit(
    token,
    { baseUrl: process.env.GITHUB_API_URL ?? 'https://api.github.com' },
    retry,
  );
}

/** Returns the HTTP status of an Octokit error, if it has one. */
export function httpStatus(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}
