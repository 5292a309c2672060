/**
 * Reads vegeta results encoded as JSON lines (`vegeta encode --to json`): one object per request
 * with `timestamp`, `code`, `latency` in nanoseconds, `error`, `method` and `url`.
 */
import { IngestError } from '../errors.js';
import type { ScenarioAccumulator } from './accumulator.js';
import type { EndpointNamer } from './endpoint-names.js';
import { excerpt } from './k6-json-output.js';
import { forEachLine } from './lines.js';

interface VegetaResult {
  timestamp?: string;
  code?: number;
  latency?: number;
  error?: string;
  method?: string;
  url?: string;
}

/** Streams vegeta JSON results into `accumulator`; `source` names the input in errors. */
export async function ingestVegetaResults(
  stream: AsyncIterable<Buffer | string>,
  accumulator: ScenarioAccumulator,
  namer: EndpointNamer,
  source: string,
): Promise<void> {
  await forEachLine(stream, (buffer, start, end, lineNumber) => {
    let result: VegetaResult;
    try {
      result = JSON.parse(buffer.toString('utf8', start, end)) as VegetaResult;
    } catch (error) {
      throw new IngestError(
        `${source}:${lineNumber}: not a JSON line of vegeta results: ${excerpt(buffer, start, end)}`,
        {
          cause: error,
          remedy: 'Encode results with: vegeta encode --to json results.bin',
        },
      );
    }
    const time = Date.parse(result.timestamp ?? '');
    if (
      !Number.isFinite(time) ||
      typeof result.latency !== 'number' ||
      typeof result.code !== 'number'
    ) {
      throw new IngestError(
        `${source}:${lineNumber}: vegeta result without timestamp, code or latency: ${excerpt(buffer, start, end)}`,
        { remedy: 'Pass results from vegeta attack, encoded with vegeta encode --to json.' },
      );
    }
    const method = result.method ?? 'GET';
    // vegeta counts 2xx and 3xx as success, and code 0 means no response arrived.
    const failed = result.code < 200 || result.code >= 400;
    accumulator.add({
      timestampMs: time,
      key: namer(method, result.url ?? '(unnamed)'),
      method,
      status: result.code,
      failed,
      latencyMs: result.latency / 1e6,
      error: result.error === '' ? undefined : result.error,
    });
  });
}
