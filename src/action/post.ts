/**
 * The action's post step: tears down the compose project that the main step saved in its state,
 * in case the main step could not. Runs after every job, cancelled ones included; anything that
 * fails here is a warning, never a failed job.
 */
import * as core from '@actions/core';

import { describeError } from '../errors.js';
import { detectCompose, ComposeProject } from '../target/compose.js';
import { listContainerIds, listNetworkIds } from '../target/containers.js';
import { State } from './constants.js';

export async function runPost(): Promise<void> {
  const project = core.getState(State.Project);
  if (project === '') {
    core.info('No compose project was started; nothing to tear down.');
    return;
  }
  try {
    const containers = await listContainerIds(project, process.env);
    const networks = await listNetworkIds(project, process.env);
    if (containers.length === 0 && networks.length === 0) {
      core.info(`Compose project ${project} is already gone.`);
      return;
    }
    const files = JSON.parse(core.getState(State.ComposeFiles) || '[]') as string[];
    const cli = await detectCompose();
    const result = await new ComposeProject(cli, { name: project, files, env: process.env }).down();
    if (result.exitCode === 0)
      core.info(
        `Removed compose project ${project}: ${containers.length} container(s), ${networks.length} network(s).`,
      );
    else
      core.warning(
        `compose down for project ${project} failed (exit code ${String(result.exitCode)}): ${result.stderr.trim()}`,
      );
  } catch (error) {
    core.warning(`Tearing down compose project ${project} failed: ${describeError(error)}`);
  }
}
