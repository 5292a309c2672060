// Builds k6, vegeta and (for tests) the docker compose v2 plugin from the Go module proxy into
// perf-gate's tool cache, where the CLI looks for them: $PERF_GATE_CACHE_DIR/tools/<tool>/<version>/.
// A tool already in the cache is not built again. Needs Go.
//
//   node scripts/install-tools.mjs k6 vegeta compose
//
// Each module is downloaded with `go mod download` and built in a copy of its source, because
// `go install module@version` refuses modules whose go.mod has replace directives (compose).
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

const TOOLS = {
  k6: { module: 'go.k6.io/k6/v2', version: '2.2.0', package: '.', binary: 'k6', ldflags: '' },
  vegeta: {
    module: 'github.com/tsenart/vegeta/v12',
    version: '12.13.0',
    package: '.',
    binary: 'vegeta',
    ldflags: '-X main.Version=v12.13.0',
  },
  compose: {
    module: 'github.com/docker/compose/v2',
    version: '2.40.3',
    package: './cmd',
    binary: 'docker-compose',
    ldflags: '-X github.com/docker/compose/v2/internal.Version=v2.40.3',
  },
};

const cacheDir =
  process.env.PERF_GATE_CACHE_DIR ??
  join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'perf-gate');

/** Returns the path the tool is installed at, building it first when needed. */
export function installTool(name) {
  const tool = TOOLS[name];
  if (!tool)
    throw new Error(`Unknown tool ${name}; expected one of ${Object.keys(TOOLS).join(', ')}`);
  const directory = join(
    cacheDir,
    'tools',
    name === 'compose' ? 'docker-compose' : name,
    tool.version,
  );
  const target = join(directory, tool.binary);
  if (existsSync(target)) return target;

  console.error(
    `Building ${name} ${tool.version} from ${tool.module} (takes a few minutes the first time)`,
  );
  const env = { ...process.env, CGO_ENABLED: '0', GOFLAGS: '-mod=mod' };
  const info = JSON.parse(
    execFileSync('go', ['mod', 'download', '-json', `${tool.module}@v${tool.version}`], {
      env,
      encoding: 'utf8',
    }),
  );
  if (info.Error) throw new Error(`go mod download ${tool.module}@v${tool.version}: ${info.Error}`);

  // The module cache is read-only; build in a copy.
  const work = mkdtempSync(join(tmpdir(), `perf-gate-build-${name}-`));
  try {
    cpSync(info.Dir, work, { recursive: true });
    execFileSync('chmod', ['-R', 'u+w', work]);
    mkdirSync(directory, { recursive: true });
    const partial = `${target}.partial`;
    execFileSync(
      'go',
      [
        'build',
        '-trimpath',
        '-ldflags',
        `-s -w ${tool.ldflags}`.trim(),
        '-o',
        partial,
        tool.package,
      ],
      {
        cwd: work,
        env,
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    );
    chmodSync(partial, 0o755);
    renameSync(partial, target);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return target;
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const names = process.argv.slice(2);
  for (const name of names.length > 0 ? names : ['k6', 'vegeta']) {
    console.log(installTool(name));
  }
}
