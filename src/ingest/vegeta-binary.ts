/**
 * Reads vegeta's binary results (the gob stream `vegeta attack` writes by default) straight into
 * the accumulator. This is faster than `vegeta encode` and needs no vegeta binary.
 */
import { IngestError } from '../errors.js';
import type { ScenarioAccumulator } from './accumulator.js';
import type { EndpointNamer } from './endpoint-names.js';
import { GobDecoder, GobError, decodeGoTime, type GobRecord } from './gob.js';

/** The fields of vegeta's lib.Result that perf-gate uses; Body and Headers are skipped. */
const WANTED = new Set(['Code', 'Timestamp', 'Latency', 'Error', 'Method', 'URL']);

/** Streams vegeta's binary results into `accumulator`; `source` names the input in errors. */
export async function ingestVegetaBinary(
  stream: AsyncIterable<Buffer | string>,
  accumulator: ScenarioAccumulator,
  namer: EndpointNamer,
  source: string,
): Promise<void> {
  let results = 0;
  const decoder = new GobDecoder({
    wanted: WANTED,
    onValue: (record, type) => {
      if (type.name !== 'Result') {
        throw new IngestError(
          `${source} contains gob values of type ${type.name}, not vegeta results.`,
        );
      }
      results += 1;
      addResult(record, accumulator, namer, source, results);
    },
  });
  try {
    for await (const chunk of stream)
      decoder.write(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    decoder.end();
  } catch (error) {
    if (error instanceof GobError) {
      throw new IngestError(`${source} is not a readable vegeta results file: ${error.message}.`, {
        cause: error,
        remedy:
          'Pass the file vegeta attack -output wrote, or results encoded with vegeta encode --to json.',
      });
    }
    throw error;
  }
}

function addResult(
  record: GobRecord,
  accumulator: ScenarioAccumulator,
  namer: EndpointNamer,
  source: string,
  index: number,
): void {
  if (!(record.Timestamp instanceof Buffer)) {
    throw new IngestError(`${source}: result ${index} has no timestamp.`);
  }
  const timestampMs = decodeGoTime(record.Timestamp);
  // gob leaves out zero values: a missing code is 0 (no response) and a missing latency is 0.
  const code = typeof record.Code === 'number' ? record.Code : 0;
  const latencyNs = typeof record.Latency === 'number' ? record.Latency : 0;
  const method = typeof record.Method === 'string' && record.Method !== '' ? record.Method : 'GET';
  const error = typeof record.Error === 'string' && record.Error !== '' ? record.Error : undefined;
  accumulator.add({
    timestampMs,
    key: namer(method, typeof record.URL === 'string' ? record.URL : '(unnamed)'),
    method,
    status: code,
    // vegeta counts 2xx and 3xx as success, and code 0 means no response arrived.
    failed: code < 200 || code >= 400,
    latencyMs: latencyNs / 1e6,
    error,
  });
}
