// Decodes a tensor's element values from wherever they live: raw_data (zero-copy typed-array
// views when aligned), the typed repeated fields, or external data files read lazily by range.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataType, ModelError, ModelSource, OnnxTensor, TensorValues } from './ir';
import { bitsPerElement, dtypeName } from './dtype';
import { checkLocation, unpackSubByte } from './convert';

/** Largest element count tensorValues() will materialize. */
export const MAX_ELEMENTS = 2 ** 31;

/** Product of dims (1 for a scalar); throws on a negative or non-integer dim. */
export function elementCount(dims: readonly number[]): number {
  let n = 1;
  for (const d of dims) {
    if (!Number.isSafeInteger(d) || d < 0) throw new Error(`invalid dimension ${d}`);
    n *= d;
  }
  return n;
}

/** Bytes `n` elements of `dt` take in raw_data (sub-byte types packed); undefined for strings/unknown. */
export function tensorByteLength(dt: DataType, n: number): number | undefined {
  const bits = bitsPerElement(dt);
  if (bits === 0) return undefined;
  return Math.ceil((n * bits) / 8);
}

function label(t: OnnxTensor, model?: { source: ModelSource }): string {
  const file = model?.source.path ?? 'model';
  return `${file}: tensor '${t.name}' (${dtypeName(t.dataType)}[${t.dims.join(',')}])`;
}

/** A typed view of `bytes` with elements of `size` bytes; copies only when the offset is unaligned. */
function view<T>(bytes: Uint8Array, size: number, make: (buf: ArrayBufferLike, off: number, len: number) => T): T {
  const n = bytes.byteLength / size;
  if (bytes.byteOffset % size === 0) return make(bytes.buffer, bytes.byteOffset, n);
  const copy = bytes.slice();
  return make(copy.buffer, 0, n);
}

/** Interpret raw little-endian bytes holding `n` elements of `dt`. */
function fromRaw(bytes: Uint8Array, dt: DataType, n: number, where: string): TensorValues {
  switch (dt) {
    case DataType.FLOAT: return view(bytes, 4, (b, o, l) => new Float32Array(b, o, l));
    case DataType.COMPLEX64: return view(bytes, 4, (b, o, l) => new Float32Array(b, o, l));
    case DataType.DOUBLE: case DataType.COMPLEX128: return view(bytes, 8, (b, o, l) => new Float64Array(b, o, l));
    case DataType.INT8: return new Int8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    case DataType.UINT8: case DataType.BOOL: case DataType.FLOAT8E4M3FN: case DataType.FLOAT8E4M3FNUZ:
    case DataType.FLOAT8E5M2: case DataType.FLOAT8E5M2FNUZ: case DataType.FLOAT8E8M0:
      return bytes;
    case DataType.INT16: return view(bytes, 2, (b, o, l) => new Int16Array(b, o, l));
    case DataType.UINT16: case DataType.FLOAT16: case DataType.BFLOAT16:
      return view(bytes, 2, (b, o, l) => new Uint16Array(b, o, l));
    case DataType.INT32: return view(bytes, 4, (b, o, l) => new Int32Array(b, o, l));
    case DataType.UINT32: return view(bytes, 4, (b, o, l) => new Uint32Array(b, o, l));
    case DataType.INT64: return view(bytes, 8, (b, o, l) => new BigInt64Array(b, o, l));
    case DataType.UINT64: return view(bytes, 8, (b, o, l) => new BigUint64Array(b, o, l));
    case DataType.INT4: case DataType.UINT4: case DataType.FLOAT4E2M1:
      return unpackSubByte(bytes, 4, dt === DataType.INT4, n);
    case DataType.INT2: case DataType.UINT2:
      return unpackSubByte(bytes, 2, dt === DataType.INT2, n);
    default:
      throw new ModelError(`${where}: element type ${dtypeName(dt)} cannot be stored in raw data; re-export the model`);
  }
}

/** Read [offset, offset+length) of an external data file, after re-checking that it stays in the folder. */
function readExternal(t: OnnxTensor, model: { source: ModelSource } | undefined, want: number, where: string): Uint8Array {
  if (t.storage.kind !== 'external') throw new Error('not external');
  const { location, offset, length } = t.storage;
  const dir = model?.source.dir;
  if (!dir) throw new ModelError(`${where}: external data '${location}' cannot be read without the model's folder; load the model from a file`);
  checkLocation(location, t.name, { file: model?.source.path ?? 'model', dir });
  const len = length ?? want;
  if (len !== want) {
    throw new ModelError(`${where}: external data length ${len} does not match the ${want} bytes its shape needs; re-save the model`);
  }
  const file = path.resolve(dir, location);
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    throw new ModelError(`${where}: external data file '${location}' not found next to the model; copy it into the model's folder`);
  }
  try {
    const size = fs.fstatSync(fd).size;
    if (offset + len > size) {
      throw new ModelError(`${where}: external data file '${location}' has ${size} bytes, but the tensor needs bytes ${offset}..${offset + len}; the file is truncated`);
    }
    const out = new Uint8Array(len);
    let got = 0;
    while (got < len) {
      const r = fs.readSync(fd, out, got, len - got, offset + got);
      if (r <= 0) throw new ModelError(`${where}: external data file '${location}' ended early; the file is truncated`);
      got += r;
    }
    return out;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The tensor's element values, per the TensorValues doc in ir.ts. Raw data gives a view sharing
 * the model's buffer when aligned (do not mutate); external data is read now, relative to
 * `model.source.dir`. Throws a one-line ModelError when the stored size does not match the dims.
 */
export function tensorValues(t: OnnxTensor, model?: { source: ModelSource }): TensorValues {
  const where = label(t, model);
  let n: number;
  try {
    n = elementCount(t.dims);
  } catch (e) {
    throw new ModelError(`${where}: ${(e as Error).message}; fix the tensor's dims`);
  }
  if (n > MAX_ELEMENTS) {
    throw new ModelError(`${where}: ${n} elements exceeds the supported maximum of 2^31; the model is corrupt or too large`);
  }
  const dt = t.dataType;
  const perElem = dt === DataType.COMPLEX64 || dt === DataType.COMPLEX128 ? 2 : 1;
  const s = t.storage;
  if (s.kind === 'fields') {
    if (s.values.length !== n * perElem) {
      throw new ModelError(`${where}: holds ${s.values.length / perElem} values but its dims need ${n}; the model is corrupt`);
    }
    return s.values;
  }
  const want = tensorByteLength(dt, n);
  if (want === undefined) {
    throw new ModelError(`${where}: element type ${dtypeName(dt)} cannot be stored as raw bytes; re-export the model`);
  }
  const bytes = s.kind === 'raw' ? s.bytes : readExternal(t, model, want, where);
  if (bytes.byteLength !== want) {
    throw new ModelError(`${where}: raw data has ${bytes.byteLength} bytes but its dims need ${want}; the model is corrupt`);
  }
  return fromRaw(bytes, dt, n, where);
}

/** Bytes of the varint encoding of `n`. */
function varintBytes(n: number): number {
  let k = 1;
  while (n >= 128) {
    n = Math.floor(n / 128);
    k++;
  }
  return k;
}

/**
 * Moves the raw_data of `tensors` that sits unaligned in `file` (a private buffer holding the
 * decoded model file, nothing else views its headers) back by its misalignment, over the field's
 * own tag and length bytes (already decoded), so tensorValues views it in place instead of copying
 * it. A tensor whose header is shorter than its misalignment keeps its place (and is copied when
 * read). Returns the bytes moved. The buffer must not be decoded again afterwards.
 */
export function alignRawInPlace(tensors: readonly OnnxTensor[], file: ArrayBufferLike): number {
  let moved = 0;
  const all = new Uint8Array(file);
  for (const t of tensors) {
    const s = t.storage;
    if (s.kind !== 'raw' || s.bytes.buffer !== file) continue;
    const size = bitsPerElement(t.dataType) / 8;
    if (!(size > 1) || !Number.isInteger(size)) continue;
    const off = s.bytes.byteOffset;
    const mis = off % size;
    // raw_data is field 9 (a one-byte tag) followed by its length as a varint.
    if (mis === 0 || mis > 1 + varintBytes(s.bytes.byteLength) || off < mis) continue;
    all.copyWithin(off - mis, off, off + s.bytes.byteLength);
    t.storage = { kind: 'raw', bytes: new Uint8Array(file, off - mis, s.bytes.byteLength) };
    moved += s.bytes.byteLength;
  }
  return moved;
}
