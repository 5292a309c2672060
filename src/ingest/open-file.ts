/**
 * Opens tool output files, decompressing gzip transparently (k6 writes gzip when the --out json
 * file name ends in .gz).
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
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

/** Bytes read per chunk. */
const CHUNK_SIZE = 1 << 20;

/**
 * Opens `path` as a stream of byte chunks, decompressed when it is gzip. A plain file is read into
 * one reused buffer, so reading a large file allocates no memory per chunk: consumers must copy
 * what they keep beyond the chunk they are handed.
 */
export async function openDataStream(path: string): Promise<AsyncIterable<Buffer>> {
  if (await isGzip(path))
    return createReadStream(path, { highWaterMark: CHUNK_SIZE }).pipe(createGunzip());
  return readChunks(path);
}

async function* readChunks(path: string): AsyncGenerator<Buffer> {
  const handle = await openOrThrow(path);
  const buffer = Buffer.alloc(CHUNK_SIZE);
  try {
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) return;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
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
