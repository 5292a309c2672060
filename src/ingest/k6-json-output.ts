/**
 * Reads k6's `--out json` stream: one JSON object per line, either a metric definition
 * (`"type":"Metric"`) or a sample (`"type":"Point"`). Only the lines perf-gate needs are decoded:
 * every `http_req_duration` point becomes a request sample, `dropped_iterations` points are summed,
 * and the first point of any metric marks the start of the run.
 */
import { IngestError } from '../errors.js';
import type { ScenarioAccumulator } from './accumulator.js';
import type { EndpointNamer } from './endpoint-names.js';
import { forEachLine, lineIncludes } from './lines.js';

const DURATION_MARKER = Buffer.from('"http_req_duration"');
const DROPPED_MARKER = Buffer.from('"dropped_iterations"');
const POINT_MARKER = Buffer.from('"Point"');

interface K6Point {
  type?: string;
  metric?: string;
  data?: { time?: string; value?: number; tags?: Record<string, string> | null };
}

/** Streams k6 JSON output into `accumulator`; `source` names the input in errors. */
export async function ingestK6JsonOutput(
  stream: AsyncIterable<Buffer | string>,
  accumulator: ScenarioAccumulator,
  namer: EndpointNamer,
  source: string,
): Promise<void> {
  let started = false;
  let dropped: number | undefined;

  await forEachLine(stream, (buffer, start, end, lineNumber) => {
    const isDuration = lineIncludes(buffer, start, end, DURATION_MARKER);
    const isDropped = !isDuration && lineIncludes(buffer, start, end, DROPPED_MARKER);
    const isFirstPoint = !started && lineIncludes(buffer, start, end, POINT_MARKER);
    if (!isDuration && !isDropped && !isFirstPoint) return;

    const point = parseLine(buffer, start, end, lineNumber, source);
    if (point.type !== 'Point') return;
    const time = Date.parse(point.data?.time ?? '');
    if (!Number.isFinite(time)) {
      throw new IngestError(
        `${source}:${lineNumber}: k6 point without a valid time: ${excerpt(buffer, start, end)}`,
      );
    }
    if (!started) {
      accumulator.setStart(time);
      started = true;
    }

    if (point.metric === 'dropped_iterations') {
      dropped = (dropped ?? 0) + (point.data?.value ?? 0);
    } else if (point.metric === 'http_req_duration') {
      const value = point.data?.value;
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw new IngestError(
          `${source}:${lineNumber}: http_req_duration point without a numeric value`,
        );
      }
      const tags = point.data?.tags ?? {};
      const method = tags.method ?? 'GET';
      const status = Number(tags.status ?? '0');
      // k6 marks each response expected or not (setResponseCallback; by default 200-399).
      const failed =
        tags.expected_response !== undefined
          ? tags.expected_response !== 'true'
          : status === 0 || status >= 400;
      const error =
        tags.error ?? (tags.error_code ? `k6 error code ${tags.error_code}` : undefined);
      accumulator.add({
        timestampMs: time,
        key: namer(method, tags.name ?? tags.url ?? '(unnamed)'),
        method,
        status: Number.isFinite(status) ? status : 0,
        failed,
        latencyMs: value,
        error,
      });
    }
  });

  if (dropped !== undefined) accumulator.droppedIterations = dropped;
}

function parseLine(
  buffer: Buffer,
  start: number,
  end: number,
  lineNumber: number,
  source: string,
): K6Point {
  try {
    return JSON.parse(buffer.toString('utf8', start, end)) as K6Point;
  } catch (error) {
    throw new IngestError(
      `${source}:${lineNumber}: not a JSON line of k6 output: ${excerpt(buffer, start, end)}`,
      { cause: error, remedy: 'The file may be truncated; rerun k6 with --out json=FILE.' },
    );
  }
}

/** Returns the first characters of a line, for error messages. */
export function excerpt(buffer: Buffer, start: number, end: number): string {
  const text = buffer.toString('utf8', start, Math.min(end, start + 120));
  return end - start > 120 ? `${text}…` : text;
}
