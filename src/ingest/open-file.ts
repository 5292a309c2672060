/**
 * Opens tool output files, decompressing gzip transparently (k6 writes gzip when the --out json
 * file name ends in .gz).
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createGunzip, gunzipSync } from 'node:zlib';

import { IngestError } from '../errors.js';

const GZIP_MAGIC = [0x1f, 0x8b];

async function isGzip(path: string): Promise<boolean> {
  const handle = await openOrThrow(path);
  try {
    const header = Buffer.alloc(2);
    const { bytesRead } = await handle.read(header, 0, 2, 0);
    return bytesRead === 2 && header[0] === GZIP_MAGIC[0] && header[1] === GZIP_MAGIC[1];
  } finally {
    await handle.close();
  }
}

async function openOrThrow(path: string) {
  try {
    return await open(path, 'r');
  } catch (error) {
    throw new IngestError(`Cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
}

/** Opens `path` as a byte stream, decompressed when it is gzip. */
export async function openDataStream(path: string): Promise<Readable> {
  const stream = createReadStream(path, { highWaterMark: 1 << 20 });
  if (!(await isGzip(path))) return stream;
  return stream.pipe(createGunzip());
}

/** Reads up to `bytes` bytes from the start of `path`, decompressed when it is gzip. */
export async function readHead(path: string, bytes = 65_536): Promise<string> {
  const gzip = await isGzip(path);
  const handle = await openOrThrow(path);
  try {
    const buffer = Buffer.alloc(gzip ? bytes * 4 : bytes);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const head = buffer.subarray(0, bytesRead);
    if (!gzip) return head.toString('utf8');
    // A truncated gzip member cannot be finished; take what inflates before the cut.
    return gunzipSync(head, { finishFlush: 2 /* Z_SYNC_FLUSH */ })
      .subarray(0, bytes)
      .toString('utf8');
  } finally {
    await handle.close();
  }
}
