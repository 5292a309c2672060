/**
 * The CLI's logger: progress on stderr, so stdout carries only the report (or JSON) and can be
 * redirected to a file.
 */
import type { Logger } from '../log.js';

export function createCliLogger(options: {
  verbose: boolean;
  stream?: NodeJS.WritableStream;
}): Logger {
  const stream = options.stream ?? process.stderr;
  const write = (line: string) => stream.write(`${line}\n`);
  return {
    info: (message) => write(message),
    debug: (message) => {
      if (options.verbose) write(`debug: ${message}`);
    },
    warning: (message) => write(`warning: ${message}`),
    notice: (message) => write(`notice: ${message}`),
    group: async (name, work) => {
      write(`▶ ${name}`);
      return work();
    },
  };
}
