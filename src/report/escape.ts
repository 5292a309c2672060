/**
 * Escaping for text that comes from outside perf-gate (endpoint names, error messages, logs), so
 * that it shows as typed and cannot inject Markdown, HTML or table cells into a comment.
 */

/** Escapes text for a Markdown paragraph or table cell. */
export function escapeMarkdown(text: string): string {
  return (
    text
      .replace(/&/gu, '&amp;')
      .replace(/</gu, '&lt;')
      .replace(/>/gu, '&gt;')
      // Brackets are escaped, so parentheses can never complete a link and need no escape.
      .replace(/[\\`*_{}[\]#|~]/gu, (character) => `\\${character}`)
      .replace(/\r?\n/gu, ' ')
  );
}

/**
 * Renders text as an inline code span that survives a table cell: backticks in the text get a
 * longer fence, and pipes are escaped because GitHub splits cells on them even inside code.
 */
export function codeSpan(text: string): string {
  const flat = text.replace(/\r?\n/gu, ' ').replace(/\|/gu, '\\|');
  const longestRun = Math.max(0, ...[...flat.matchAll(/`+/gu)].map((match) => match[0].length));
  const fence = '`'.repeat(longestRun + 1);
  const padding = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${padding}${flat}${padding}${fence}`;
}

/**
 * Wraps text in a fenced code block whose fence is longer than any backtick run inside, so logs
 * cannot close the block early.
 */
export function codeBlock(text: string, language = 'text'): string {
  const longestRun = Math.max(0, ...[...text.matchAll(/`{3,}/gu)].map((match) => match[0].length));
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  return `${fence}${language}\n${text.replace(/\s+$/u, '')}\n${fence}`;
}
