/**
 * Base class of every error perf-gate raises on purpose. `remedy` is what the user can do next,
 * and the CLI and the action print it after the message.
 */
export class PerfGateError extends Error {
  readonly remedy: string | undefined;

  constructor(message: string, options: { remedy?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.remedy = options.remedy;
  }
}

/** One invalid value in the configuration file or in the options that override it. */
export interface ConfigProblem {
  /** Key path of the value, such as `suite[1].vegeta.rate` or `--scale`. */
  path: string;
  /** The rule, such as `expected a rate such as 50/s`. */
  message: string;
  /** The value received, as the user wrote it; undefined when the key is missing. */
  received?: unknown;
  /** `file:line:column` of the value, when it is known. */
  location?: string;
}

/** The configuration is invalid; nothing has been started. */
export class ConfigError extends PerfGateError {
  readonly problems: ConfigProblem[];

  constructor(source: string, unsorted: ConfigProblem[]) {
    const problems = sortByLocation(unsorted);
    super(
      `Invalid configuration in ${source}:\n` +
        problems.map((p) => `  ${formatProblem(p)}`).join('\n'),
      { remedy: 'Fix the values above; the README lists every key with its format.' },
    );
    this.problems = problems;
  }
}

/** Orders problems as they appear in the file; problems without a line come first. */
function sortByLocation(problems: ConfigProblem[]): ConfigProblem[] {
  const position = (problem: ConfigProblem): [number, number] => {
    const match = /:(\d+):(\d+)$/u.exec(problem.location ?? '');
    return match ? [Number(match[1]), Number(match[2])] : [0, 0];
  };
  return [...problems].sort((a, b) => {
    const [lineA, colA] = position(a);
    const [lineB, colB] = position(b);
    return lineA - lineB || colA - colB;
  });
}

/** Formats one problem as `location: path: message, got value`. */
export function formatProblem(problem: ConfigProblem): string {
  const where = problem.location ? `${problem.location}: ` : '';
  const got = 'received' in problem ? `, got ${describeValue(problem.received)}` : '';
  return `${where}${problem.path}: ${problem.message}${got}`;
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  return typeof value;
}

/** k6, vegeta, docker or compose cannot be found or run. */
export class ToolError extends PerfGateError {}

/** The target stack failed to start or to become ready. `logs` contains the containers' output. */
export class TargetError extends PerfGateError {
  readonly logs: string;

  constructor(message: string, options: { remedy?: string; cause?: unknown; logs?: string } = {}) {
    super(message, options);
    this.logs = options.logs ?? '';
  }
}

/** A load tool failed, or its output could not be read or does not add up. */
export class IngestError extends PerfGateError {}

/** A stored baseline or result file is unreadable or of another schema version. */
export class ResultFileError extends PerfGateError {}

/** The run was stopped by SIGINT or SIGTERM. */
export class CancelledError extends PerfGateError {
  readonly signal: NodeJS.Signals;

  constructor(signal: NodeJS.Signals) {
    super(`Stopped by ${signal}.`);
    this.signal = signal;
  }
}

/** Returns the message of any thrown value, with the remedy of a PerfGateError appended. */
export function describeError(error: unknown): string {
  if (error instanceof PerfGateError) {
    return error.remedy ? `${error.message}\n${error.remedy}` : error.message;
  }
  if (error instanceof Error) return error.message;
  return String(error);
}
