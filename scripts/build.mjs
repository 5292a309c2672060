// Builds the committed bundles in dist/ with ncc and writes perf-gate.schema.json.
// CI rebuilds and fails when the result differs from what is committed.
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const ncc = join(root, 'node_modules', '.bin', 'ncc');
const entries = [
  { source: 'src/cli/index.ts', out: 'dist/cli' },
  { source: 'src/action/index.ts', out: 'dist/action' },
];

rmSync(join(root, 'dist'), { recursive: true, force: true });
for (const entry of entries) {
  execFileSync(
    ncc,
    [
      'build',
      entry.source,
      '--out',
      entry.out,
      '--license',
      'licenses.txt',
      '--quiet',
      '--target',
      'es2022',
    ],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
}

// The schema comes from the bundle just built, so it always matches what the CLI validates.
const schema = execFileSync(process.execPath, [join(root, 'dist', 'cli', 'index.js'), 'schema'], {
  cwd: root,
});
writeFileSync(join(root, 'perf-gate.schema.json'), schema);

// The README's tables of action inputs and outputs come from action.yml.
execFileSync(process.execPath, [join(root, 'scripts', 'action-docs.mjs')], {
  cwd: root,
  stdio: 'inherit',
});
