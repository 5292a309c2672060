/**
 * Installs the pinned k6 and vegeta releases: download the archive and the release's checksums
 * file with @actions/tool-cache, verify the archive's sha256, extract the binary and keep it in the
 * tool cache. The action calls it when a tool is not on PATH; the CLI's `install-tools` command
 * calls it with the tool cache in perf-gate's cache folder.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { chmod, readFile, readdir } from 'node:fs/promises';
import { arch as hostArch, platform as hostPlatform } from 'node:os';
import { join } from 'node:path';

import * as toolCache from '@actions/tool-cache';

import { K6_VERSION, VEGETA_VERSION } from '../constants.js';
import { ToolError } from '../errors.js';
import type { Logger } from '../log.js';
import type { ToolName } from './tools.js';

/** Where releases are downloaded from; PERF_GATE_RELEASES_URL points it at a mirror. */
export const DEFAULT_RELEASES_URL = 'https://github.com';

export interface InstallOptions {
  version?: string;
  /** Base URL of the release downloads, such as https://github.com or a mirror. */
  releasesUrl?: string;
  logger: Logger;
  platform?: NodeJS.Platform;
  arch?: string;
}

interface ReleaseAsset {
  archiveUrl: string;
  archiveName: string;
  checksumsUrl: string;
  format: 'tar.gz' | 'zip';
  binary: string;
}

/** Returns the download addresses of a tool's release for a platform, as each project names them. */
export function releaseAsset(
  tool: ToolName,
  version: string,
  releasesUrl: string,
  platform: NodeJS.Platform,
  arch: string,
): ReleaseAsset {
  const goArch = arch === 'x64' ? 'amd64' : arch === 'arm64' ? 'arm64' : undefined;
  if (!goArch) throw new ToolError(`No ${tool} release exists for the ${arch} architecture.`);
  const base = releasesUrl.replace(/\/+$/u, '');
  const binary = platform === 'win32' ? `${tool}.exe` : tool;
  if (tool === 'k6') {
    // k6 names macOS "macos" and ships zip archives for macOS and Windows (k6 releases v0.x to v2.x).
    const os = platform === 'darwin' ? 'macos' : platform === 'win32' ? 'windows' : 'linux';
    const format = os === 'linux' ? 'tar.gz' : 'zip';
    const archiveName = `k6-v${version}-${os}-${goArch}.${format}`;
    const directory = `${base}/grafana/k6/releases/download/v${version}`;
    return {
      archiveUrl: `${directory}/${archiveName}`,
      archiveName,
      checksumsUrl: `${directory}/k6-v${version}-checksums.txt`,
      format,
      binary,
    };
  }
  // vegeta's release workflow (since v12.11.0) names assets vegeta_<version>_<goos>_<goarch>.
  const os = platform === 'win32' ? 'windows' : platform;
  const format = os === 'windows' ? 'zip' : 'tar.gz';
  const archiveName = `vegeta_${version}_${os}_${goArch}.${format}`;
  const directory = `${base}/tsenart/vegeta/releases/download/v${version}`;
  return {
    archiveUrl: `${directory}/${archiveName}`,
    archiveName,
    checksumsUrl: `${directory}/vegeta_${version}_checksums.txt`,
    format,
    binary,
  };
}

/** Installs `tool` (or finds it in the tool cache) and returns the path of its binary. */
export async function installTool(tool: ToolName, options: InstallOptions): Promise<string> {
  const version = options.version ?? (tool === 'k6' ? K6_VERSION : VEGETA_VERSION);
  const platform = options.platform ?? hostPlatform();
  const arch = options.arch ?? hostArch();
  const releasesUrl =
    options.releasesUrl ?? process.env.PERF_GATE_RELEASES_URL ?? DEFAULT_RELEASES_URL;
  const asset = releaseAsset(tool, version, releasesUrl, platform, arch);

  const cached = toolCache.find(tool, version, arch);
  if (cached) {
    options.logger.info(`${tool} ${version} found in the tool cache`);
    return join(cached, asset.binary);
  }

  options.logger.info(`Downloading ${tool} ${version} from ${asset.archiveUrl}`);
  const archive = await download(asset.archiveUrl, tool);
  const checksums = await readFile(await download(asset.checksumsUrl, tool), 'utf8');
  const expected = expectedChecksum(checksums, asset.archiveName);
  if (!expected) {
    throw new ToolError(
      `The checksums file ${asset.checksumsUrl} has no entry for ${asset.archiveName}.`,
      {
        remedy: `Check that ${tool} ${version} exists for this platform, or install ${tool} on PATH yourself.`,
      },
    );
  }
  const actual = await sha256(archive);
  if (actual !== expected) {
    throw new ToolError(
      `Checksum mismatch for ${asset.archiveName}: the release lists sha256 ${expected}, the download has ${actual}.`,
      {
        remedy:
          'The download is corrupt or was altered; it was not installed. Retry, and report it if it persists.',
      },
    );
  }
  options.logger.info(`Verified ${asset.archiveName}: sha256 ${actual}`);

  const extracted =
    asset.format === 'zip'
      ? await toolCache.extractZip(archive)
      : await toolCache.extractTar(archive);
  const binary = await findFile(extracted, asset.binary);
  if (!binary) throw new ToolError(`${asset.archiveName} contains no file named ${asset.binary}.`);
  await chmod(binary, 0o755);
  const directory = await toolCache.cacheFile(binary, asset.binary, tool, version, arch);
  return join(directory, asset.binary);
}

async function download(url: string, tool: string): Promise<string> {
  try {
    return await toolCache.downloadTool(url);
  } catch (error) {
    const status =
      error instanceof toolCache.HTTPError ? ` (HTTP ${String(error.httpStatusCode)})` : '';
    throw new ToolError(`Downloading ${url} failed${status}: ${(error as Error).message}`, {
      cause: error,
      remedy: `Check the network and the version, or install ${tool} on PATH before this step.`,
    });
  }
}

/** Finds the checksum of `file` in sha256sum output: "<hex>  <name>", with "*" before binary names. */
export function expectedChecksum(checksums: string, file: string): string | undefined {
  for (const line of checksums.split('\n')) {
    const match = /^([0-9a-fA-F]{64})\s+\*?(.+?)\s*$/u.exec(line);
    if (match?.[2] === file) return match[1]?.toLowerCase();
  }
  return undefined;
}

async function sha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Returns the first file named `name` under `directory`, searching subfolders. */
async function findFile(directory: string, name: string): Promise<string | undefined> {
  for (const entry of await readdir(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    if (entry.isFile() && entry.name === name) return path;
    if (entry.isDirectory()) {
      const found = await findFile(path, name);
      if (found) return found;
    }
  }
  return undefined;
}
