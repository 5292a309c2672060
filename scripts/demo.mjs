// npm run demo: the main job on the bundled demo. Builds the demo service, records a baseline of
// it, runs it again with a 50 ms slowdown on the search endpoint, and prints the report, which
// flags that endpoint. Needs Docker with compose, and Go unless k6 and vegeta are installed.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { installTool } from './install-tools.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'cli', 'index.js');
const config = join(root, 'examples', 'perf-gate.yml');
const demoDir = join(root, 'examples', 'movies-api');
const outDir = join(root, 'perf-gate-out', 'demo');
const slowdown = '/api/movies/search=50ms';

function fail(message) {
  console.error(`\ndemo: ${message}`);
  process.exit(2);
}

function has(command, args = ['--version']) {
  return spawnSync(command, args, { stdio: 'ignore' }).status === 0;
}

function onPath(name) {
  return (process.env.PATH ?? '')
    .split(delimiter)
    .some((directory) => directory && existsSync(join(directory, name)));
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Runs the CLI with stderr shown live; returns the exit code and stdout. */
function runCli(args, env) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    const forward = (signal) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('close', (code) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve({ code, stdout });
    });
  });
}

if (!existsSync(cli)) fail(`the CLI bundle ${cli} is missing; run npm ci && npm run build first.`);
if (!has('docker', ['info']))
  fail(
    'Docker is not running (docker info failed). Start the Docker engine and run npm run demo again.',
  );
if (!has('docker', ['compose', 'version']) && !has('docker-compose', ['version'])) {
  fail('docker compose is not installed: https://docs.docker.com/compose/install/');
}

const env = {};
const hasGo = has('go', ['version']);
if (hasGo) {
  console.error('▶ Building the demo service');
  const build = spawnSync('go', ['build', '-trimpath', '-ldflags=-s -w', '-o', 'movies-api', '.'], {
    cwd: demoDir,
    env: { ...process.env, CGO_ENABLED: '0' },
    stdio: 'inherit',
  });
  if (build.status !== 0) fail('building examples/movies-api failed.');
  // An image from the binary built here needs no registry.
  env.DEMO_DOCKERFILE = 'Dockerfile.local';
} else {
  console.error(
    '▶ Go is not installed: docker compose builds the demo image from golang:1.26 (needs a registry)',
  );
}

const toolDirs = [];
for (const tool of ['k6', 'vegeta']) {
  if (onPath(tool)) continue;
  if (!hasGo) {
    fail(
      `${tool} is not on PATH. Install it (README: "Installing k6 and vegeta") or install Go so the demo can build it.`,
    );
  }
  toolDirs.push(dirname(installTool(tool)));
}
if (toolDirs.length > 0) env.PATH = [...toolDirs, process.env.PATH].join(delimiter);

env.DEMO_PORT = String(await freePort());
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
const baseline = join(outDir, 'baseline');

console.error('\n▶ Step 1 of 2: recording a baseline of the unchanged demo');
const first = await runCli(
  ['run', '--config', config, '--out', join(outDir, 'baseline-run'), '--save-baseline', baseline],
  env,
);
if (first.code !== 0)
  fail(
    `recording the baseline failed with exit code ${first.code}; the report is in ${join(outDir, 'baseline-run', 'report.md')}.`,
  );

console.error(`\n▶ Step 2 of 2: running again with DEMO_SLOWDOWN=${slowdown}`);
const second = await runCli(
  ['run', '--config', config, '--out', join(outDir, 'slowed-run'), '--baseline', baseline],
  {
    ...env,
    DEMO_SLOWDOWN: slowdown,
  },
);
process.stdout.write(`\n${second.stdout}`);
if (second.code === 1 && second.stdout.includes('`GET /api/movies/search?q=matrix` in')) {
  console.error(
    `\ndemo: perf-gate exited with 1 and flagged the slowed search endpoint, as it should.`,
  );
  console.error(`demo: the report is in ${join(outDir, 'slowed-run', 'report.md')}`);
  process.exit(0);
}
fail(
  `expected perf-gate to exit with 1 and flag the search endpoint; it exited with ${second.code}.`,
);
