// Writes the README's tables of action inputs and outputs from action.yml, between the markers
// <!-- action-inputs --> and <!-- action-outputs --> and their /end forms. `npm run build` runs
// it; a test fails when the README and action.yml disagree.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { parse } from 'yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const cell = (text) => String(text).replace(/\s+/gu, ' ').trim().replace(/\|/gu, '\\|');

/** Renders the two tables from the text of action.yml. */
export function actionTables(actionYaml) {
  const action = parse(actionYaml);
  const inputs = Object.entries(action.inputs ?? {}).map(
    ([name, input]) =>
      `| \`${name}\` | ${input.default === undefined ? '' : `\`${cell(input.default)}\``} | ${cell(input.description)} |`,
  );
  const outputs = Object.entries(action.outputs ?? {}).map(
    ([name, output]) => `| \`${name}\` | ${cell(output.description)} |`,
  );
  return {
    inputs: ['| Input | Default | Description |', '| - | - | - |', ...inputs].join('\n'),
    outputs: ['| Output | Description |', '| - | - |', ...outputs].join('\n'),
  };
}

/** Returns the README with both tables replaced. */
export function withActionTables(readme, actionYaml) {
  const tables = actionTables(actionYaml);
  let text = readme;
  for (const [name, table] of Object.entries(tables)) {
    const start = `<!-- action-${name} -->`;
    const end = `<!-- /action-${name} -->`;
    const from = text.indexOf(start);
    const to = text.indexOf(end);
    if (from < 0 || to < from) throw new Error(`README.md lacks the markers ${start} and ${end}`);
    text = `${text.slice(0, from + start.length)}\n\n${table}\n\n${text.slice(to)}`;
  }
  return text;
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const readmePath = join(root, 'README.md');
  const updated = withActionTables(
    readFileSync(readmePath, 'utf8'),
    readFileSync(join(root, 'action.yml'), 'utf8'),
  );
  writeFileSync(readmePath, updated);
}
