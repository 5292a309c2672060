/**
 * The gob decoder against streams written by Go's own encoder: every supported kind of value
 * (tests/fixtures/gob/generate.go), and vegeta's binary results compared with the same results
 * encoded as JSON by vegeta itself.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { createEndpointNamer } from '../../src/ingest/endpoint-names.js';
import { GobDecoder, GobError, decodeGoTime, type GobRecord } from '../../src/ingest/gob.js';
import { ingestVegeta } from '../../src/ingest/ingest-scenario.js';
import { openDataStream } from '../../src/ingest/open-file.js';
import { RECORDED, ROOT } from '../helpers/paths.js';

const KINDS = readFileSync(join(ROOT, 'tests', 'fixtures', 'gob', 'kinds.gob'));

function ignore(): void {
  // Values are not looked at in tests of malformed streams.
}

function decodeAll(bytes: Buffer, chunkSize = bytes.length): GobRecord[] {
  const records: GobRecord[] = [];
  const decoder = new GobDecoder({ onValue: (record) => records.push(record) });
  for (let offset = 0; offset < bytes.length; offset += chunkSize)
    decoder.write(bytes.subarray(offset, offset + chunkSize));
  decoder.end();
  return records;
}

describe('gob decoder', () => {
  it('decodes every kind of value', () => {
    const [first] = decodeAll(KINDS);
    expect(first?.Flag).toBe(true);
    expect(first?.Negative).toBe(-1234567);
    expect(first?.Big).toBe(2 ** 40);
    expect(first?.Ratio).toBe(-2.5);
    expect(first?.Text).toBe('héllo, 世界');
    expect([...(first?.Raw as Buffer)]).toEqual([0, 1, 2, 255]);
    expect(first?.Items).toEqual([
      { Label: 'a', Count: 1 },
      { Label: 'b', Count: -2 },
    ]);
    expect(first?.Headers).toEqual(new Map([['Content-Type', ['application/json']]]));
    expect(first?.Fixed).toEqual([7, 0, -7]);
    expect(first?.Nested).toEqual({ Label: 'nested', Count: 42 });
    expect(first?.Duration).toBe(1_500_000);
  });

  it('decodes times in UTC and with a zone offset', () => {
    const [first] = decodeAll(KINDS);
    expect(new Date(decodeGoTime(first?.When as Buffer)).toISOString()).toBe(
      '2026-12-04T20:31:46.525Z',
    );
    expect(decodeGoTime(first?.Zoned as Buffer)).toBe(Date.parse('2024-08-05T15:24:38.952+05:30'));
  });

  it('leaves zero values out', () => {
    const [, second] = decodeAll(KINDS);
    // gob omits zero fields, except arrays and structs, which it always sends.
    expect(second).toEqual({ Text: 'second value, all else zero', Fixed: [0, 0, 0], Nested: {} });
  });

  it('decodes the same stream fed one byte at a time', () => {
    expect(decodeAll(KINDS, 1)).toEqual(decodeAll(KINDS));
  });

  it('skips unwanted fields', () => {
    const records: GobRecord[] = [];
    const decoder = new GobDecoder({
      wanted: new Set(['Text', 'Nested']),
      onValue: (record) => records.push(record),
    });
    decoder.write(KINDS);
    expect(records[0]).toEqual({ Text: 'héllo, 世界', Nested: { Label: 'nested', Count: 42 } });
  });

  it('rejects a stream cut inside a message', () => {
    const decoder = new GobDecoder({ onValue: ignore });
    decoder.write(KINDS.subarray(0, KINDS.length - 3));
    expect(() => {
      decoder.end();
    }).toThrow(GobError);
  });

  it('rejects a value of an undefined type', () => {
    const decoder = new GobDecoder({ onValue: ignore });
    // One message of two bytes: type id 64 (int 128 as 0xFF 0x80), the first user type, never defined.
    expect(() => {
      decoder.write(Buffer.from([0x03, 0xff, 0x80, 0x00]));
    }).toThrow('value of undefined type 64');
  });
});

describe('vegeta binary results', () => {
  const namer = createEndpointNamer('http://127.0.0.1:18090');

  for (const name of ['mixed', 'refused']) {
    it(`${name} run matches its JSON encoding`, async () => {
      const read = async (format: 'binary' | 'json') => {
        const file = join(
          RECORDED,
          `vegeta-${name}.results.${format === 'binary' ? 'bin.gz' : name === 'mixed' ? 'ndjson.gz' : 'ndjson'}`,
        );
        const options = {
          name,
          origin: 'import' as const,
          warmupMs: 1000,
          namer,
          resultsSource: file,
        };
        return ingestVegeta({
          ...options,
          results: await openDataStream(file),
          format,
          reportFile: join(RECORDED, `vegeta-${name}.report.json`),
        });
      };
      const binary = await read('binary');
      const json = await read('json');
      expect(binary.total.requests).toBeGreaterThan(0);
      expect(binary).toEqual(json);
      for (const check of binary.crossChecks)
        expect(check, check.metric).toMatchObject({ status: 'match' });
    });
  }

  it('rejects a file that is not vegeta results', async () => {
    const file = join(ROOT, 'tests', 'fixtures', 'gob', 'kinds.gob');
    const options = {
      name: 'kinds',
      origin: 'import' as const,
      warmupMs: 0,
      namer,
      resultsSource: file,
    };
    await expect(
      ingestVegeta({ ...options, results: await openDataStream(file), format: 'binary' }),
    ).rejects.toThrow('contains gob values of type Kinds, not vegeta results');
  });
});
