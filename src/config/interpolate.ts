/**
 * Replaces `${NAME}` and `${NAME:-default}` in every string of a parsed YAML value, as compose
 * does; `$$` stands for a literal `$`.
 */
/** A `${NAME}` reference to a variable that is not set and has no default. */
export interface UnsetVariable {
  path: (string | number)[];
  name: string;
  /** The string that holds the reference. */
  text: string;
}

const REFERENCE = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}/gu;

/** Returns a copy of `value` with variables replaced; unset variables are added to `unset`. */
export function interpolate(
  value: unknown,
  env: Record<string, string | undefined>,
  unset: UnsetVariable[],
  path: (string | number)[] = [],
): unknown {
  if (typeof value === 'string') {
    return value.replace(
      REFERENCE,
      (match, name: string | undefined, fallback: string | undefined) => {
        if (match === '$$') return '$';
        const current = env[name ?? ''];
        if (current !== undefined && current !== '') return current;
        if (fallback !== undefined) return fallback;
        unset.push({ path, name: name ?? '', text: value });
        return match;
      },
    );
  }
  if (Array.isArray(value)) {
    return value.map((item, index) => interpolate(item, env, unset, [...path, index]));
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key,
        interpolate(item, env, unset, [...path, key]),
      ]),
    );
  }
  return value;
}

/** Formats a path as `suite[1].vegeta.rate`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text === '' ? String(segment) : `.${String(segment)}`;
  }
  return text === '' ? '(top level)' : text;
}
