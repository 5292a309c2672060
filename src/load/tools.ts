/**
 * Finds k6 and vegeta: on PATH first, then in perf-gate's own tool cache
 * (`$PERF_GATE_CACHE_DIR/tools/<tool>/<version>/`, by default under ~/.cache/perf-gate), and
 * reads their versions.
 */
import { accessSync, constants, existsSync, readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { arch, homedir } from 'node:os';
import { delimiter, join } from 'node:path';

import { K6_VERSION, VEGETA_VERSION } from '../constants.js';
import { ToolError } from '../errors.js';
import { runCommand } from '../process/command.js';

export type ToolName = 'k6' | 'vegeta';

export interface ToolInfo {
  name: ToolName;
  /** Absolute path of the executable. */
  path: string;
  /** Version without a leading v, or `unknown` when the binary does not say. */
  version: string;
}

const INSTALL_HINTS: Record<ToolName, string> = {
  k6:
    `Install k6 ${K6_VERSION}: download it from https://github.com/grafana/k6/releases, ` +
    `or run "perf-gate install-tools" to download and verify it into perf-gate's cache.`,
  vegeta:
    `Install vegeta ${VEGETA_VERSION}: download it from https://github.com/tsenart/vegeta/releases, ` +
    `or run "perf-gate install-tools" to download and verify it into perf-gate's cache.`,
};

/** Directory of perf-gate's caches: $PERF_GATE_CACHE_DIR, else $XDG_CACHE_HOME/perf-gate. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.PERF_GATE_CACHE_DIR) return env.PERF_GATE_CACHE_DIR;
  return join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'perf-gate');
}

/** Returns the path of `name` on PATH or in the tool cache, or undefined. */
export function findExecutable(
  name: string,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  for (const directory of (env.PATH ?? '').split(delimiter)) {
    if (directory === '') continue;
    const candidate = join(directory, name);
    if (isExecutable(candidate)) return candidate;
  }
  const toolDir = join(cacheDir(env), 'tools', name);
  if (!existsSync(toolDir)) return undefined;
  const pinned = name === 'k6' ? K6_VERSION : name === 'vegeta' ? VEGETA_VERSION : undefined;
  const versions = readdirSync(toolDir).sort((a, b) => b.localeCompare(a, 'en', { numeric: true }));
  for (const version of pinned ? [pinned, ...versions.filter((v) => v !== pinned)] : versions) {
    // Binaries built by scripts/install-tools.mjs sit in the version folder; releases installed by
    // perf-gate install-tools sit in an architecture folder, as @actions/tool-cache lays them out.
    for (const candidate of [join(toolDir, version, name), join(toolDir, version, arch(), name)]) {
      if (isExecutable(candidate)) return candidate;
    }
  }
  return undefined;
}

function isExecutable(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Finds `name` and reads its version, or throws a ToolError that says how to install it. */
export async function locateTool(
  name: ToolName,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ToolInfo> {
  const path = findExecutable(name, env);
  if (!path) {
    throw new ToolError(
      `${name} was not found on PATH or in ${join(cacheDir(env), 'tools', name)}.`,
      {
        remedy: INSTALL_HINTS[name],
      },
    );
  }
  const result = await runCommand(path, name === 'k6' ? ['version'] : ['-version'], {
    timeoutMs: 30_000,
    env,
  });
  if (result.exitCode !== 0) {
    throw new ToolError(
      `${path} failed to print its version (exit code ${String(result.exitCode)}): ${result.stderr.trim()}`,
      {
        remedy: INSTALL_HINTS[name],
      },
    );
  }
  let version = parseToolVersion(name, result.stdout);
  if (version === 'unknown')
    version = (await readGoModuleVersion(path, GO_MODULES[name])) ?? version;
  return { name, path, version };
}

/** Go module paths of the tools, without the major version suffix. */
const GO_MODULES: Record<ToolName, string> = {
  k6: 'go.k6.io/k6',
  vegeta: 'github.com/tsenart/vegeta',
};

/**
 * Reads the main module's version from the build information that Go embeds in every binary
 * ("mod<TAB>path<TAB>version"), for binaries built by go install, which print no version.
 */
export async function readGoModuleVersion(
  binary: string,
  modulePath: string,
): Promise<string | undefined> {
  const content = await readFile(binary).catch(() => undefined);
  if (!content) return undefined;
  const marker = Buffer.from(`mod\t${modulePath}`);
  const start = content.indexOf(marker);
  if (start === -1) return undefined;
  const line = content.subarray(start, content.indexOf(0x0a, start)).toString('latin1');
  const version = line.split('\t')[2];
  return version && /^v\d+\.\d+\.\d+/u.test(version) ? version.replace(/^v/u, '') : undefined;
}

/**
 * Reads the version from `k6 version` ("k6 v2.2.0 (commit/…)") or `vegeta -version`
 * ("Version: v12.13.0"; empty in binaries built by go install without -ldflags).
 */
export function parseToolVersion(name: ToolName, output: string): string {
  const pattern =
    name === 'k6' ? /k6 v?(\d+\.\d+\.\d+[^\s]*)/u : /Version:\s*v?(\d+\.\d+\.\d+[^\s]*)/u;
  return pattern.exec(output)?.[1] ?? 'unknown';
}
