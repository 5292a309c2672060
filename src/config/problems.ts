/**
 * Turns zod's validation issues into ConfigProblems that name the key, the rule, the value
 * received and where it sits in the file.
 */
import type { Document, LineCounter } from 'yaml';
import { isMap, isNode, isPair, isScalar } from 'yaml';
import type { z } from 'zod';

import type { ConfigProblem } from '../errors.js';
import { formatPath } from './interpolate.js';

type Issue = z.core.$ZodIssue;
type Path = readonly PropertyKey[];

/** The source of a parsed document, for locations such as `perf-gate.yml:12:9`. */
export interface SourceMap {
  fileName: string;
  document: Document.Parsed;
  lines: LineCounter;
}

/** Converts zod issues into problems, one per invalid value, in document order. */
export function toProblems(
  issues: readonly Issue[],
  input: unknown,
  schema: z.ZodType,
  source?: SourceMap,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const issue of issues) collect(issue, [], input, schema, source, problems);
  return dedupe(problems);
}

function collect(
  issue: Issue,
  prefix: Path,
  input: unknown,
  schema: z.ZodType,
  source: SourceMap | undefined,
  problems: ConfigProblem[],
): void {
  const path = [...prefix, ...issue.path];

  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    const branch = pickUnionBranch(issue.errors, valueAt(input, path));
    if (branch) {
      for (const inner of branch) collect(inner, path, input, schema, source, problems);
      return;
    }
  }

  if (issue.code === 'unrecognized_keys') {
    const allowed = allowedKeys(schema, path);
    for (const key of issue.keys) {
      const suggestion = closest(key, allowed);
      const hint = suggestion
        ? `unknown key; did you mean "${suggestion}"?`
        : `unknown key; expected one of ${allowed.join(', ')}`;
      problems.push(
        withLocation(
          { path: formatPath([...path, key]), message: hint },
          [...path, key],
          source,
          true,
        ),
      );
    }
    return;
  }

  // An issue inside a value that the user wrote as one string (such as "GET /x", which the schema
  // splits into method and path) belongs to that string.
  const plainDepth = path.findIndex((_, depth) =>
    isPlainValue(valueAt(input, path.slice(0, depth))),
  );
  const at = plainDepth > 0 ? path.slice(0, plainDepth) : path;
  const problem: ConfigProblem = { path: formatPath(at), message: issue.message };
  const value = valueAt(input, at);
  if (value === MISSING) {
    problem.message = issue.code === 'invalid_type' ? `missing; ${issue.message}` : issue.message;
  } else if (!(issue.code === 'custom' && typeof value === 'object' && value !== null)) {
    // The received value adds little to a rule about a whole mapping, such as "k6 or vegeta".
    problem.received = value;
  }
  problems.push(withLocation(problem, at, source, false));
}

/**
 * Picks the union branch whose errors concern the value's content rather than its type: for
 * `"FETCH /x"` the string branch, which reports the invalid method, not the mapping branch.
 */
function pickUnionBranch(branches: readonly Issue[][], value: unknown): Issue[] | undefined {
  if (value === MISSING) return undefined;
  const typeMatched = branches.filter(
    (issues) => !issues.some((issue) => issue.path.length === 0 && issue.code === 'invalid_type'),
  );
  return typeMatched.length === 1 ? typeMatched[0] : undefined;
}

const MISSING = Symbol('missing');

/** Tells whether a value is a string, number, boolean or null: a value with no keys inside. */
function isPlainValue(value: unknown): boolean {
  return value !== MISSING && (value === null || typeof value !== 'object');
}

function valueAt(input: unknown, path: Path): unknown {
  let current: unknown = input;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return MISSING;
    const record = current as Record<PropertyKey, unknown>;
    if (!(segment in record)) return MISSING;
    current = record[segment];
  }
  return current;
}

function withLocation(
  problem: ConfigProblem,
  path: Path,
  source: SourceMap | undefined,
  atKey: boolean,
): ConfigProblem {
  const location = source ? locate(source, path, atKey) : undefined;
  return location ? { ...problem, location } : problem;
}

/**
 * Returns `file:line:column` of the value at `path` (or of its key, with `atKey`), falling back
 * to the closest parent that exists in the document.
 */
export function locate(source: SourceMap, path: Path, atKey = false): string | undefined {
  const offset = findOffset(source.document, path, atKey);
  if (offset === undefined) return undefined;
  const { line, col } = source.lines.linePos(offset);
  return `${source.fileName}:${line}:${col}`;
}

/** Finds the start of the value (or of its key) at `path`, or of the closest parent that exists. */
function findOffset(document: Document.Parsed, path: Path, atKey: boolean): number | undefined {
  for (let depth = path.length; depth >= 0; depth -= 1) {
    const partial = path.slice(0, depth) as unknown[];
    if (atKey && depth === path.length && depth > 0) {
      const parent = document.getIn(partial.slice(0, -1), true);
      if (isMap(parent)) {
        const pair = parent.items.find(
          (item) => isPair(item) && isScalar(item.key) && item.key.value === partial.at(-1),
        );
        if (pair && isNode(pair.key) && pair.key.range) return pair.key.range[0];
      }
      continue;
    }
    const node: unknown = depth === 0 ? document.contents : document.getIn(partial, true);
    if (isNode(node) && node.range) return node.range[0];
  }
  return undefined;
}

/** Lists the keys an object schema accepts at `path`, looking through unions and wrappers. */
export function allowedKeys(schema: z.ZodType, path: Path): string[] {
  const keys = new Set<string>();
  for (const found of schemasAt(schema, path)) {
    const def = found._zod.def as unknown as { type: string; shape?: Record<string, unknown> };
    if (def.type === 'object' && def.shape) for (const key of Object.keys(def.shape)) keys.add(key);
  }
  return [...keys];
}

function schemasAt(schema: z.ZodType, path: Path): z.ZodType[] {
  let current = unwrap(schema);
  for (const segment of path) {
    const next: z.ZodType[] = [];
    for (const candidate of current) {
      const def = candidate._zod.def as unknown as {
        type: string;
        shape?: Record<string, z.ZodType>;
        element?: z.ZodType;
        valueType?: z.ZodType;
      };
      if (def.type === 'object' && typeof segment === 'string' && def.shape?.[segment]) {
        next.push(...unwrap(def.shape[segment]));
      } else if (def.type === 'array' && typeof segment === 'number' && def.element) {
        next.push(...unwrap(def.element));
      } else if (def.type === 'record' && def.valueType) {
        next.push(...unwrap(def.valueType));
      }
    }
    current = next;
  }
  return current;
}

function unwrap(schema: z.ZodType): z.ZodType[] {
  const def = schema._zod.def as unknown as {
    type: string;
    innerType?: z.ZodType;
    in?: z.ZodType;
    options?: z.ZodType[];
  };
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'default':
      return def.innerType ? unwrap(def.innerType) : [];
    case 'pipe':
      return def.in ? unwrap(def.in) : [];
    case 'union':
      return (def.options ?? []).flatMap(unwrap);
    default:
      return [schema];
  }
}

/** Returns the allowed key closest to `key` when it is a likely typo. */
function closest(key: string, allowed: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(key.length / 4)) + 1;
  for (const candidate of allowed) {
    const distance = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current.push(
        Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost),
      );
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

function dedupe(problems: ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const key = `${problem.path}\u0000${problem.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
