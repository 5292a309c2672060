import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

import { Inputs, Outputs } from '../../src/action/constants.js';
import { withActionTables } from '../../scripts/action-docs.mjs';
import { ROOT } from '../helpers/paths.js';

const actionText = readFileSync(join(ROOT, 'action.yml'), 'utf8');
const action = parse(actionText) as {
  inputs: Record<string, { description: string; default?: string }>;
  outputs: Record<string, { description: string }>;
  runs: { using: string; main: string; post: string };
  branding: { icon: string; color: string };
};

describe('action.yml', () => {
  it('README tables match the inputs and outputs', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(withActionTables(readme, actionText)).toBe(readme);
  });

  it('declares every input the action reads', () => {
    expect(Object.keys(action.inputs).sort()).toEqual(Object.values(Inputs).sort());
  });

  it('declares every output the action sets', () => {
    expect(Object.keys(action.outputs).sort()).toEqual(Object.values(Outputs).sort());
  });

  it('describes every input and output', () => {
    for (const [name, input] of Object.entries({ ...action.inputs, ...action.outputs })) {
      expect(input.description.length, name).toBeGreaterThan(20);
    }
  });

  it('runs the bundle on Node.js 24 with a post step', () => {
    expect(action.runs).toEqual({
      using: 'node24',
      main: 'dist/action/index.js',
      post: 'dist/action/index.js',
    });
    expect(existsSync(join(ROOT, action.runs.main))).toBe(true);
  });

  it('defaults the token to the workflow token', () => {
    expect(action.inputs['github-token']?.default).toBe('${{ github.token }}');
  });
});
