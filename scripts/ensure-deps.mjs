// Runs before npm test: installs the dev dependencies on a fresh clone, so that `npm test` is
// the only command the README needs. Does nothing when they are installed.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
if (!existsSync(join(root, 'node_modules', 'vitest', 'package.json'))) {
  console.error('Installing the dev dependencies (npm ci)');
  execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
}
