/**
 * The tool installer with the real @actions/tool-cache against a loopback server that serves
 * release archives and checksums files built from the k6 and vegeta installed here.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { K6_VERSION, VEGETA_VERSION } from '../../src/constants.js';
import { ToolError } from '../../src/errors.js';
import { expectedChecksum, installTool, releaseAsset } from '../../src/load/install.js';
import { findExecutable } from '../../src/load/tools.js';
import { silentLogger } from '../../src/log.js';
import { runCli } from '../helpers/integration.js';
import { ReleaseServer } from '../helpers/release-server.js';

const toolsPresent = findExecutable('k6') !== undefined && findExecutable('vegeta') !== undefined;
if (!toolsPresent && process.env.PERF_GATE_REQUIRE_INTEGRATION === '1') {
  throw new Error(
    'The installer tests need k6 and vegeta installed to build release archives from.',
  );
}

describe.skipIf(!toolsPresent)('tool installer', () => {
  const server = new ReleaseServer();

  beforeAll(async () => {
    server.buildArchives();
    await server.start();
  });
  afterAll(async () => {
    await server.stop();
  });
  beforeEach(() => {
    process.env.RUNNER_TOOL_CACHE = mkdtempSync(join(tmpdir(), 'perf-gate-tool-cache-'));
    process.env.RUNNER_TEMP = mkdtempSync(join(tmpdir(), 'perf-gate-runner-temp-'));
  });

  it.each([
    ['k6', K6_VERSION, /k6 v2\.2\.0/u],
    ['vegeta', VEGETA_VERSION, /Version: v12\.13\.0/u],
  ] as const)('installs and verifies %s', async (tool, version, printed) => {
    const path = await installTool(tool, {
      logger: silentLogger,
      releasesUrl: server.url,
      platform: 'linux',
      arch: 'x64',
    });
    expect(path).toBe(join(process.env.RUNNER_TOOL_CACHE ?? '', tool, version, 'x64', tool));
    const output = execFileSync(path, [tool === 'k6' ? 'version' : '-version'], {
      encoding: 'utf8',
    });
    expect(output).toMatch(printed);
  });

  it('uses the tool cache the second time', async () => {
    await installTool('vegeta', {
      logger: silentLogger,
      releasesUrl: server.url,
      platform: 'linux',
      arch: 'x64',
    });
    const downloads = server.requests.length;
    await installTool('vegeta', {
      logger: silentLogger,
      releasesUrl: server.url,
      platform: 'linux',
      arch: 'x64',
    });
    expect(server.requests.length).toBe(downloads);
  });

  it('rejects an archive whose checksum differs', async () => {
    const directory = `/tsenart/vegeta/releases/download/v9.9.9`;
    server.files.set(
      `${directory}/vegeta_9.9.9_linux_amd64.tar.gz`,
      Buffer.from('tampered archive'),
    );
    server.files.set(
      `${directory}/vegeta_9.9.9_checksums.txt`,
      Buffer.from(`${'ab'.repeat(32)}  vegeta_9.9.9_linux_amd64.tar.gz\n`),
    );
    const install = installTool('vegeta', {
      version: '9.9.9',
      logger: silentLogger,
      releasesUrl: server.url,
      platform: 'linux',
      arch: 'x64',
    });
    await expect(install).rejects.toThrow(ToolError);
    await expect(install).rejects.toThrow(
      'Checksum mismatch for vegeta_9.9.9_linux_amd64.tar.gz: the release lists sha256 abababababababababababababababababababababababababababababababab, the download has ',
    );
    expect(existsSync(join(process.env.RUNNER_TOOL_CACHE ?? '', 'vegeta', '9.9.9'))).toBe(false);
  });

  it('rejects a release without a checksum entry', async () => {
    const directory = `/tsenart/vegeta/releases/download/v9.9.8`;
    server.files.set(`${directory}/vegeta_9.9.8_linux_amd64.tar.gz`, Buffer.from('archive'));
    server.files.set(
      `${directory}/vegeta_9.9.8_checksums.txt`,
      Buffer.from(`${'ab'.repeat(32)}  vegeta_9.9.8_darwin_arm64.tar.gz\n`),
    );
    await expect(
      installTool('vegeta', {
        version: '9.9.8',
        logger: silentLogger,
        releasesUrl: server.url,
        platform: 'linux',
        arch: 'x64',
      }),
    ).rejects.toThrow('has no entry for vegeta_9.9.8_linux_amd64.tar.gz');
  });

  it('installs into the CLI cache with perf-gate install-tools', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'perf-gate-cli-cache-'));
    const env = {
      PERF_GATE_CACHE_DIR: cache,
      PERF_GATE_RELEASES_URL: server.url,
      RUNNER_TOOL_CACHE: '',
      RUNNER_TEMP: '',
    };
    const run = await runCli(['install-tools', 'vegeta'], { env });
    expect(run.exitCode, run.stderr).toBe(0);
    const installed = join(cache, 'tools', 'vegeta', VEGETA_VERSION, 'x64', 'vegeta');
    expect(run.stdout.trim()).toBe(installed);
    expect(findExecutable('vegeta', { PATH: '', PERF_GATE_CACHE_DIR: cache })).toBe(installed);
  });

  it('reports a missing release with its address', async () => {
    await expect(
      installTool('k6', {
        version: '0.0.1',
        logger: silentLogger,
        releasesUrl: server.url,
        platform: 'linux',
        arch: 'x64',
      }),
    ).rejects.toThrow(
      `Downloading ${server.url}/grafana/k6/releases/download/v0.0.1/k6-v0.0.1-linux-amd64.tar.gz failed (HTTP 404)`,
    );
  });
});

describe('release assets', () => {
  it.each([
    [
      'k6',
      'linux',
      'x64',
      'https://github.com/grafana/k6/releases/download/v2.2.0/k6-v2.2.0-linux-amd64.tar.gz',
    ],
    [
      'k6',
      'darwin',
      'arm64',
      'https://github.com/grafana/k6/releases/download/v2.2.0/k6-v2.2.0-macos-arm64.zip',
    ],
    [
      'vegeta',
      'linux',
      'arm64',
      'https://github.com/tsenart/vegeta/releases/download/v12.13.0/vegeta_12.13.0_linux_arm64.tar.gz',
    ],
    [
      'vegeta',
      'win32',
      'x64',
      'https://github.com/tsenart/vegeta/releases/download/v12.13.0/vegeta_12.13.0_windows_amd64.zip',
    ],
  ] as const)('%s on %s %s', (tool, platform, arch, url) => {
    const version = tool === 'k6' ? '2.2.0' : '12.13.0';
    expect(releaseAsset(tool, version, 'https://github.com', platform, arch).archiveUrl).toBe(url);
  });

  it('reads sha256sum lines, binary marks included', () => {
    const checksums = `${'a'.repeat(64)}  one.tar.gz\n${'B'.repeat(64)} *two.zip\n`;
    expect(expectedChecksum(checksums, 'two.zip')).toBe('b'.repeat(64));
    expect(expectedChecksum(checksums, 'three.zip')).toBeUndefined();
  });
});
