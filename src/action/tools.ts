/**
 * Puts k6 and vegeta on PATH for the suite: a tool already on PATH is used as it is, a missing one
 * is installed from its pinned, checksum-verified release.
 */
import { dirname } from 'node:path';

import * as core from '@actions/core';

import type { SuiteEntry } from '../config/types.js';
import { installTool } from '../load/install.js';
import { findExecutable, type ToolName } from '../load/tools.js';
import type { Logger } from '../log.js';

export async function ensureTools(
  suite: readonly SuiteEntry[],
  versions: Record<ToolName, string>,
  logger: Logger,
): Promise<void> {
  const needed = [...new Set(suite.map((entry) => entry.tool))];
  for (const tool of needed) {
    const found = findExecutable(tool);
    if (found) {
      logger.info(`${tool} is on PATH at ${found}`);
      continue;
    }
    const version = versions[tool];
    const path = await installTool(tool, { logger, ...(version !== '' ? { version } : {}) });
    core.addPath(dirname(path));
  }
}
