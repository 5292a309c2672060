/**
 * Counts the lines of a container's log that look like errors, from chunks as `docker logs`
 * streams them, and keeps the first few as examples. Lines are never stored beyond that, so a
 * chatty service's log costs no memory.
 */

/** Example lines kept for the report, each cut to this many characters. */
const MAX_EXAMPLES = 3;
const MAX_EXAMPLE_LENGTH = 200;

export interface LogErrors {
  count: number;
  examples: string[];
}

export class LogErrorCounter {
  private readonly pattern: RegExp;
  private partial = '';
  private count = 0;
  private readonly examples: string[] = [];

  /** `pattern` is a regular expression's source, matched in any case. */
  constructor(pattern: string) {
    this.pattern = new RegExp(pattern, 'iu');
  }

  push(chunk: Buffer | string): void {
    const lines = (this.partial + chunk.toString()).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.line(line);
  }

  finish(): LogErrors {
    if (this.partial !== '') this.line(this.partial);
    this.partial = '';
    return { count: this.count, examples: [...this.examples] };
  }

  private line(text: string): void {
    const line = text.replace(/\r$/u, '');
    if (!this.pattern.test(line)) return;
    this.count += 1;
    if (this.examples.length < MAX_EXAMPLES) {
      this.examples.push(
        line.length > MAX_EXAMPLE_LENGTH ? `${line.slice(0, MAX_EXAMPLE_LENGTH - 1)}…` : line,
      );
    }
  }
}
