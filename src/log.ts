/**
 * The logging interface the engine writes to. The CLI prints to stderr; the action forwards to
 * @actions/core so lines land in the job log with the right level and groups.
 */
export interface Logger {
  /** Progress a user follows: "target ready after 4.2 s". */
  info(message: string): void;
  /** Resolved settings and internals, shown with --verbose or ACTIONS_STEP_DEBUG. */
  debug(message: string): void;
  /** Something degraded but the run goes on. */
  warning(message: string): void;
  /** A fact a user should notice though nothing failed, such as a missing baseline. */
  notice(message: string): void;
  /** Runs `work` inside a named, foldable section of the log. */
  group<T>(name: string, work: () => Promise<T>): Promise<T>;
}

/** A logger that drops everything, for tests and library use. */
export const silentLogger: Logger = {
  info: () => undefined,
  debug: () => undefined,
  warning: () => undefined,
  notice: () => undefined,
  group: (_name, work) => work(),
};
