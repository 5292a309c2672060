/**
 * Fits a report under a size limit (GitHub rejects comments over 65,536 characters): optional
 * sections go first, then large sections shrink to their failing rows, and only then is the text
 * cut, always with a note that says so.
 */

export interface Section {
  text: string;
  /** Required sections stay; optional ones are dropped first when the report is too long. */
  required?: boolean;
  /** Returns a shorter version of the section, used when dropping optional sections was not enough. */
  shrink?: () => string;
}

const SEPARATOR = '\n\n';

/** Joins `sections`, shortened to at most `limit` characters (UTF-16 code units). */
export function fitToLimit(
  sections: readonly Section[],
  limit: number,
  fullReportHint?: string,
): string {
  const where = fullReportHint ? ` The full report is in ${fullReportHint}.` : '';
  let current = [...sections];
  let text = join(current);
  if (text.length <= limit) return text;

  const dropped = current.filter((section) => !section.required).length;
  current = current.filter((section) => section.required);
  const droppedNote = `> [!NOTE]\n> ${dropped} detail section(s) were left out to stay under ${limit.toLocaleString('en-US')} characters.${where}`;
  text = join([...current, { text: droppedNote }]);
  if (text.length <= limit) return text;

  current = current.map((section) =>
    section.shrink ? { text: section.shrink(), required: true } : section,
  );
  text = join([...current, { text: droppedNote }]);
  if (text.length <= limit) return text;

  const cutNote = `\n\n> [!NOTE]\n> The report was cut at ${limit.toLocaleString('en-US')} characters.${where}`;
  const cut = text.slice(0, Math.max(0, limit - cutNote.length));
  // Close a code block or a details element left open by the cut, so the note renders.
  const openFence = (cut.match(/^```/gmu)?.length ?? 0) % 2 === 1 ? '\n```' : '';
  const openDetails =
    (cut.match(/<details[ >]/gu)?.length ?? 0) > (cut.match(/<\/details>/gu)?.length ?? 0)
      ? '\n</details>'
      : '';
  const closing = openFence + openDetails;
  return cut.slice(0, Math.max(0, cut.length - closing.length)) + closing + cutNote;
}

function join(sections: readonly Section[]): string {
  return sections.map((section) => section.text).join(SEPARATOR) + '\n';
}
