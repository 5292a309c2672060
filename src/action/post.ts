/**
 * The action's post step: tears down the compose projects that the main step saved in its state,
 * in case the main step could not. Runs after every job, cancelled ones included; anything that
 * fails here is a warning, never a failed job.
 */
import * as core from '@actions/core';

import { describeError } from '../errors.js';
import { ComposeProject, detectCompose } from '../target/compose.js';
import { listContainerIds, listNetworkIds } from '../target/containers.js';
import { State } from './constants.js';

interface SavedProject {
  name: string;
  files: string[];
}

export async function runPost(): Promise<void> {
  let projects: SavedProject[];
  try {
    projects = JSON.parse(core.getState(State.Projects) || '[]') as SavedProject[];
  } catch (error) {
    core.warning(`The saved list of compose projects is unreadable: ${describeError(error)}`);
    return;
  }
  if (projects.length === 0) {
    core.info('No compose project was started; nothing to tear down.');
    return;
  }
  for (const project of projects) await tearDown(project);
}

async function tearDown(project: SavedProject): Promise<void> {
  try {
    const containers = await listContainerIds(project.name, process.env);
    const networks = await listNetworkIds(project.name, process.env);
    if (containers.length === 0 && networks.length === 0) {
      core.info(`Compose project ${project.name} is already gone.`);
      return;
    }
    const cli = await detectCompose();
    const result = await new ComposeProject(cli, {
      name: project.name,
      files: project.files,
      env: process.env,
    }).down();
    if (result.exitCode === 0) {
      core.info(
        `Removed compose project ${project.name}: ${containers.length} container(s), ${networks.length} network(s).`,
      );
    } else {
      core.warning(
        `compose down for project ${project.name} failed (exit code ${String(result.exitCode)}): ${result.stderr.trim()}`,
      );
    }
  } catch (error) {
    core.warning(`Tearing down compose project ${project.name} failed: ${describeError(error)}`);
  }
}
