/**
 * Serves k6 and vegeta release archives and checksums files on 127.0.0.1, laid out as GitHub
 * serves releases, built from the binaries installed on this machine.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { K6_VERSION, VEGETA_VERSION } from '../../src/constants.js';
import { findExecutable } from '../../src/load/tools.js';

export class ReleaseServer {
  readonly files = new Map<string, Buffer>();
  readonly requests: string[] = [];
  private server: Server | undefined;

  get url(): string {
    const address = this.server?.address() as AddressInfo | undefined;
    if (!address) throw new Error('the release server is not started');
    return `http://127.0.0.1:${address.port}`;
  }

  /** Builds linux/amd64 archives of the installed k6 and vegeta, named as their releases are. */
  buildArchives(): void {
    const work = mkdtempSync(join(tmpdir(), 'perf-gate-releases-'));
    const k6 = findExecutable('k6');
    const vegeta = findExecutable('vegeta');
    if (!k6 || !vegeta)
      throw new Error('k6 and vegeta must be installed to build release archives');

    // k6's archive holds a folder named after the asset; vegeta's holds the bare binary.
    const k6Folder = `k6-v${K6_VERSION}-linux-amd64`;
    mkdirSync(join(work, k6Folder));
    copyFileSync(k6, join(work, k6Folder, 'k6'));
    const k6Archive = `${k6Folder}.tar.gz`;
    execFileSync('tar', ['-czf', k6Archive, k6Folder], { cwd: work });
    this.addRelease(
      `/grafana/k6/releases/download/v${K6_VERSION}`,
      k6Archive,
      readFileSync(join(work, k6Archive)),
      `k6-v${K6_VERSION}-checksums.txt`,
    );

    mkdirSync(join(work, 'vegeta-release'));
    copyFileSync(vegeta, join(work, 'vegeta-release', 'vegeta'));
    const vegetaArchive = `vegeta_${VEGETA_VERSION}_linux_amd64.tar.gz`;
    execFileSync('tar', ['-czf', join(work, vegetaArchive), 'vegeta'], {
      cwd: join(work, 'vegeta-release'),
    });
    this.addRelease(
      `/tsenart/vegeta/releases/download/v${VEGETA_VERSION}`,
      vegetaArchive,
      readFileSync(join(work, vegetaArchive)),
      `vegeta_${VEGETA_VERSION}_checksums.txt`,
    );
  }

  /** Serves `archive` and a checksums file listing it, as `sha256sum` writes them. */
  addRelease(directory: string, archive: string, content: Buffer, checksums: string): void {
    this.files.set(`${directory}/${archive}`, content);
    const digest = createHash('sha256').update(content).digest('hex');
    this.files.set(
      `${directory}/${checksums}`,
      Buffer.from(`${'0'.repeat(64)}  other-asset.tar.gz\n${digest}  ${archive}\n`),
    );
  }

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
      this.requests.push(path);
      const content = this.files.get(path);
      if (!content) {
        response.writeHead(404).end('Not Found');
        return;
      }
      response.writeHead(200, {
        'Content-Type': 'application/octet-stream',
        'Content-Length': content.length,
      });
      response.end(content);
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      if (!this.server) resolve();
      else
        this.server.close(() => {
          resolve();
        });
    });
  }
}
