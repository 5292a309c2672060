/**
 * The action's logger: @actions/core's log commands, so lines land in the job log with their
 * level, warnings and notices become annotations, and groups fold.
 */
import * as core from '@actions/core';

import type { Logger } from '../log.js';

export const actionLogger: Logger = {
  info: (message) => {
    core.info(message);
  },
  debug: (message) => {
    core.debug(message);
  },
  warning: (message) => {
    core.warning(message);
  },
  notice: (message) => {
    core.notice(message);
  },
  group: (name, work) => core.group(name, work),
};
