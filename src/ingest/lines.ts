/**
 * Splits a byte stream into lines without decoding every line: parsers test a line's bytes for a
 * marker first and decode only the lines they need.
 */

/** Called per line with the buffer and the line's byte range, carriage return excluded. */
export type LineHandler = (buffer: Buffer, start: number, end: number, lineNumber: number) => void;

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** Feeds every non-empty line of `stream` to `onLine`; returns the number of lines read. */
export async function forEachLine(
  stream: AsyncIterable<Buffer | string>,
  onLine: LineHandler,
): Promise<number> {
  let carry: Buffer | undefined;
  let lineNumber = 0;
  let first = true;

  for await (const piece of stream) {
    let chunk = typeof piece === 'string' ? Buffer.from(piece) : piece;
    if (first) {
      first = false;
      if (chunk.subarray(0, 3).equals(UTF8_BOM)) chunk = chunk.subarray(3);
    }
    if (carry) {
      chunk = Buffer.concat([carry, chunk]);
      carry = undefined;
    }
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(NEWLINE, start);
      if (newline === -1) break;
      lineNumber += 1;
      emit(chunk, start, newline, lineNumber, onLine);
      start = newline + 1;
    }
    if (start < chunk.length) carry = Buffer.from(chunk.subarray(start));
  }
  if (carry && carry.length > 0) {
    lineNumber += 1;
    emit(carry, 0, carry.length, lineNumber, onLine);
  }
  return lineNumber;
}

function emit(
  buffer: Buffer,
  start: number,
  end: number,
  lineNumber: number,
  onLine: LineHandler,
): void {
  let last = end;
  if (last > start && buffer[last - 1] === CARRIAGE_RETURN) last -= 1;
  if (last > start) onLine(buffer, start, last, lineNumber);
}

/** Tells whether the bytes in [start, end) contain `marker`. */
export function lineIncludes(buffer: Buffer, start: number, end: number, marker: Buffer): boolean {
  return buffer.subarray(start, end).indexOf(marker) !== -1;
}
