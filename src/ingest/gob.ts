/**
 * A streaming decoder for Go's gob encoding, enough for vegeta's binary results: structs, slices,
 * arrays, maps, strings, bytes, integers, floats and GobEncoder values such as time.Time. The
 * format is specified in Go's encoding/gob package documentation (doc.go).
 *
 * A gob stream is a sequence of messages, each an unsigned byte count followed by a type id. A
 * negative id introduces the definition of that type; a positive id is followed by a value of it.
 */
import { IngestError } from '../errors.js';

/** Ids of gob's predefined types. */
const BOOL = 1;
const INT = 2;
const UINT = 3;
const FLOAT = 4;
const BYTES = 5;
const STRING = 6;
const COMPLEX = 7;
const INTERFACE = 8;

/** Field numbers of gob's wireType, which describes every user type. */
const WIRE_ARRAY = 0;
const WIRE_SLICE = 1;
const WIRE_STRUCT = 2;
const WIRE_MAP = 3;
const WIRE_GOB_ENCODER = 4;
const WIRE_BINARY_MARSHALER = 5;
const WIRE_TEXT_MARSHALER = 6;

export type GobType =
  | { kind: 'struct'; name: string; fields: { name: string; id: number }[] }
  | { kind: 'slice'; name: string; elem: number }
  | { kind: 'array'; name: string; elem: number; length: number }
  | { kind: 'map'; name: string; key: number; elem: number }
  /** A type that encodes itself (GobEncoder, BinaryMarshaler or TextMarshaler): its bytes. */
  | { kind: 'opaque'; name: string };

/**
 * Decoded struct fields by name. Integers are numbers; bytes and opaque values are Buffers that
 * view the input chunk, valid only until onValue returns.
 */
export type GobRecord = Record<string, unknown>;

class Truncated extends Error {}

/**
 * Reads values from a byte buffer. Methods advance `offset`; reading past `end` throws Truncated,
 * which the stream decoder turns into "wait for more bytes" or an error at the end of input.
 */
class Cursor {
  constructor(
    readonly buffer: Buffer,
    public offset: number,
    readonly end: number,
  ) {}

  uint(): number {
    const first = this.byte();
    if (first < 0x80) return first;
    const count = 256 - first;
    if (count > 8) throw new GobError(`invalid unsigned integer length ${count}`);
    let value = 0;
    for (let index = 0; index < count; index += 1) value = value * 256 + this.byte();
    return value;
  }

  /** Signed integers: bit 0 of the unsigned form marks whether the rest is complemented. */
  int(): number {
    const unsigned = this.uint();
    return unsigned % 2 === 1 ? -(unsigned - 1) / 2 - 1 : unsigned / 2;
  }

  /** Floats are sent as their IEEE 754 bits, byte-reversed, as an unsigned integer. */
  float(): number {
    const first = this.byte();
    const bytes: number[] = [];
    if (first < 0x80) bytes.push(first);
    else for (let index = 0; index < 256 - first; index += 1) bytes.push(this.byte());
    const bits = Buffer.alloc(8);
    // The unsigned value is big-endian; reversing its eight bytes gives the float's bits.
    bytes.forEach((value, index) => bits.writeUInt8(value, 8 - bytes.length + index));
    return bits.reverse().readDoubleBE(0);
  }

  bytes(): Buffer {
    const length = this.uint();
    if (this.offset + length > this.end) throw new Truncated();
    const value = this.buffer.subarray(this.offset, this.offset + length);
    this.offset += length;
    return value;
  }

  string(): string {
    const length = this.uint();
    if (this.offset + length > this.end) throw new Truncated();
    const value = this.buffer.toString('utf8', this.offset, this.offset + length);
    this.offset += length;
    return value;
  }

  skipBytes(): void {
    const length = this.uint();
    if (this.offset + length > this.end) throw new Truncated();
    this.offset += length;
  }

  private byte(): number {
    if (this.offset >= this.end) throw new Truncated();
    const value = this.buffer[this.offset] ?? 0;
    this.offset += 1;
    return value;
  }
}

/** The gob stream is malformed or uses a feature this decoder does not support. */
export class GobError extends IngestError {}

export interface GobDecoderOptions {
  /** Called with each top-level value, decoded as a struct of the wanted fields. */
  onValue: (record: GobRecord, type: GobType & { kind: 'struct' }) => void;
  /** Struct fields to decode at the top level; all others are skipped without allocation. */
  wanted?: ReadonlySet<string>;
}

/** Decodes a gob stream fed in chunks of any size. */
export class GobDecoder {
  private readonly types = new Map<number, GobType>();
  private pending: Buffer = Buffer.alloc(0);
  private messages = 0;

  constructor(private readonly options: GobDecoderOptions) {}

  /** Decodes every complete message in `chunk` plus what was left over from earlier chunks. */
  write(chunk: Buffer): void {
    let start = 0;
    if (this.pending.length > 0) {
      // Complete the message cut at the end of the last chunk from the start of this one, and copy
      // only that message: copying whole chunks would double the memory a large file passes through.
      const missing = this.bytesMissing(this.pending);
      if (missing === undefined || missing > chunk.length) {
        this.pending = Buffer.concat([this.pending, chunk]);
        return;
      }
      const joined = Buffer.concat([this.pending, chunk.subarray(0, missing)]);
      this.pending = Buffer.alloc(0);
      start = missing;
      this.decodeMessages(joined, 0);
    }
    const end = this.decodeMessages(chunk, start);
    if (end < chunk.length) this.pending = Buffer.from(chunk.subarray(end));
  }

  /** Decodes every complete message in `buffer` from `offset`; returns where the first incomplete one starts. */
  private decodeMessages(buffer: Buffer, offset: number): number {
    let position = offset;
    for (;;) {
      const header = new Cursor(buffer, position, buffer.length);
      let length: number;
      try {
        length = header.uint();
      } catch (error) {
        if (error instanceof Truncated) return position;
        throw error;
      }
      if (header.offset + length > buffer.length) return position;
      this.message(new Cursor(buffer, header.offset, header.offset + length));
      position = header.offset + length;
      this.messages += 1;
    }
  }

  /** Returns how many more bytes the message starting `partial` needs, or undefined while its length is incomplete. */
  private bytesMissing(partial: Buffer): number | undefined {
    const header = new Cursor(partial, 0, partial.length);
    try {
      const length = header.uint();
      return header.offset + length - partial.length;
    } catch (error) {
      if (error instanceof Truncated) return undefined;
      throw error;
    }
  }

  /** Checks that the stream ended on a message boundary. */
  end(): void {
    if (this.pending.length > 0) {
      throw new GobError(
        `the stream ends inside a message (${this.pending.length} bytes after message ${this.messages})`,
      );
    }
  }

  private message(cursor: Cursor): void {
    try {
      const id = cursor.int();
      if (id < 0) {
        this.types.set(-id, this.wireType(cursor));
        return;
      }
      const type = this.types.get(id);
      if (!type) throw new GobError(`value of undefined type ${id}`);
      if (type.kind !== 'struct')
        throw new GobError(`top-level value of type ${type.name} is not a struct`);
      this.options.onValue(this.struct(cursor, type, this.options.wanted), type);
    } catch (error) {
      if (error instanceof Truncated)
        throw new GobError(`message ${this.messages + 1} is shorter than its contents`);
      throw error;
    }
  }

  /** Decodes gob's wireType, a struct with one field set per kind of type. */
  private wireType(cursor: Cursor): GobType {
    let result: GobType | undefined;
    fields(cursor, (field) => {
      switch (field) {
        case WIRE_ARRAY: {
          const array = { kind: 'array' as const, name: '', elem: 0, length: 0 };
          fields(cursor, (inner) => {
            if (inner === 0) array.name = commonType(cursor);
            else if (inner === 1) array.elem = cursor.int();
            else if (inner === 2) array.length = cursor.int();
            else throw new GobError(`unknown field ${inner} of arrayType`);
          });
          result = array;
          break;
        }
        case WIRE_SLICE: {
          const slice = { kind: 'slice' as const, name: '', elem: 0 };
          fields(cursor, (inner) => {
            if (inner === 0) slice.name = commonType(cursor);
            else if (inner === 1) slice.elem = cursor.int();
            else throw new GobError(`unknown field ${inner} of sliceType`);
          });
          result = slice;
          break;
        }
        case WIRE_STRUCT: {
          const struct = {
            kind: 'struct' as const,
            name: '',
            fields: [] as { name: string; id: number }[],
          };
          fields(cursor, (inner) => {
            if (inner === 0) struct.name = commonType(cursor);
            else if (inner === 1) {
              const count = cursor.uint();
              for (let index = 0; index < count; index += 1) {
                const entry = { name: '', id: 0 };
                fields(cursor, (part) => {
                  if (part === 0) entry.name = cursor.string();
                  else if (part === 1) entry.id = cursor.int();
                  else throw new GobError(`unknown field ${part} of fieldType`);
                });
                struct.fields.push(entry);
              }
            } else throw new GobError(`unknown field ${inner} of structType`);
          });
          result = struct;
          break;
        }
        case WIRE_MAP: {
          const map = { kind: 'map' as const, name: '', key: 0, elem: 0 };
          fields(cursor, (inner) => {
            if (inner === 0) map.name = commonType(cursor);
            else if (inner === 1) map.key = cursor.int();
            else if (inner === 2) map.elem = cursor.int();
            else throw new GobError(`unknown field ${inner} of mapType`);
          });
          result = map;
          break;
        }
        case WIRE_GOB_ENCODER:
        case WIRE_BINARY_MARSHALER:
        case WIRE_TEXT_MARSHALER: {
          let name = '';
          fields(cursor, (inner) => {
            if (inner === 0) name = commonType(cursor);
            else throw new GobError(`unknown field ${inner} of gobEncoderType`);
          });
          result = { kind: 'opaque', name };
          break;
        }
        default:
          throw new GobError(`unknown kind of type definition (wireType field ${field})`);
      }
    });
    if (!result) throw new GobError('empty type definition');
    return result;
  }

  private struct(
    cursor: Cursor,
    type: GobType & { kind: 'struct' },
    wanted?: ReadonlySet<string>,
  ): GobRecord {
    // The same walk as fields(), inlined: this runs once per result of a million-request run.
    const record: GobRecord = {};
    let field = -1;
    for (let delta = cursor.uint(); delta !== 0; delta = cursor.uint()) {
      field += delta;
      const definition = type.fields[field];
      if (!definition) throw new GobError(`field ${field} is not in struct ${type.name}`);
      if (wanted && !wanted.has(definition.name)) this.skip(cursor, definition.id);
      else record[definition.name] = this.value(cursor, definition.id);
    }
    return record;
  }

  private value(cursor: Cursor, id: number): unknown {
    switch (id) {
      case BOOL:
        return cursor.uint() !== 0;
      case INT:
        return cursor.int();
      case UINT:
        return cursor.uint();
      case FLOAT:
        return cursor.float();
      case BYTES:
        return cursor.bytes();
      case STRING:
        return cursor.string();
      case COMPLEX:
        return [cursor.float(), cursor.float()];
      case INTERFACE:
        throw new GobError('interface values are not supported');
      default:
        break;
    }
    const type = this.types.get(id);
    if (!type) throw new GobError(`value of undefined type ${id}`);
    switch (type.kind) {
      case 'struct':
        return this.struct(cursor, type);
      case 'slice':
      case 'array': {
        const count = cursor.uint();
        return Array.from({ length: count }, () => this.value(cursor, type.elem));
      }
      case 'map': {
        const count = cursor.uint();
        const map = new Map<unknown, unknown>();
        for (let index = 0; index < count; index += 1)
          map.set(this.value(cursor, type.key), this.value(cursor, type.elem));
        return map;
      }
      case 'opaque':
        return cursor.bytes();
    }
  }

  private skip(cursor: Cursor, id: number): void {
    switch (id) {
      case BOOL:
      case INT:
      case UINT:
      case FLOAT:
        cursor.uint();
        return;
      case COMPLEX:
        cursor.uint();
        cursor.uint();
        return;
      case BYTES:
      case STRING:
        cursor.skipBytes();
        return;
      case INTERFACE:
        throw new GobError('interface values are not supported');
      default:
        break;
    }
    const type = this.types.get(id);
    if (!type) throw new GobError(`value of undefined type ${id}`);
    switch (type.kind) {
      case 'struct':
        fields(cursor, (field) => {
          const definition = type.fields[field];
          if (!definition) throw new GobError(`field ${field} is not in struct ${type.name}`);
          this.skip(cursor, definition.id);
        });
        return;
      case 'slice':
      case 'array': {
        const count = cursor.uint();
        for (let index = 0; index < count; index += 1) this.skip(cursor, type.elem);
        return;
      }
      case 'map': {
        const count = cursor.uint();
        for (let index = 0; index < count; index += 1) {
          this.skip(cursor, type.key);
          this.skip(cursor, type.elem);
        }
        return;
      }
      case 'opaque':
        cursor.skipBytes();
        return;
    }
  }
}

/**
 * Walks the fields of a struct value: field numbers arrive as increasing deltas from -1, and a
 * delta of 0 ends the struct. `onField` must consume the field's value.
 */
function fields(cursor: Cursor, onField: (field: number) => void): void {
  let field = -1;
  for (;;) {
    const delta = cursor.uint();
    if (delta === 0) return;
    field += delta;
    onField(field);
  }
}

/** Decodes gob's CommonType {Name string; Id int} and returns the name. */
function commonType(cursor: Cursor): string {
  let name = '';
  fields(cursor, (field) => {
    if (field === 0) name = cursor.string();
    else if (field === 1) cursor.int();
    else throw new GobError(`unknown field ${field} of CommonType`);
  });
  return name;
}

/** Seconds from January 1 of year 1 to the Unix epoch, the origin of Go's time encoding. */
const UNIX_EPOCH_SECONDS = 62_135_596_800;

/**
 * Decodes time.Time's MarshalBinary form into milliseconds since the Unix epoch, dropping
 * sub-millisecond digits. The form is a version byte (2 adds a byte of zone offset seconds), eight
 * bytes of seconds since year 1, four of nanoseconds and two of zone offset in minutes.
 */
export function decodeGoTime(bytes: Buffer): number {
  const version = bytes[0];
  if ((version !== 1 && version !== 2) || bytes.length < 15) {
    throw new GobError(
      `unsupported time encoding (version ${String(version)}, ${bytes.length} bytes)`,
    );
  }
  const seconds = bytes.readInt32BE(1) * 2 ** 32 + bytes.readUInt32BE(5);
  const nanoseconds = bytes.readInt32BE(9);
  return (seconds - UNIX_EPOCH_SECONDS) * 1000 + Math.floor(nanoseconds / 1e6);
}
