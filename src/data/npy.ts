// NumPy .npy files: reads format versions 1–3 (little or big endian, every numeric dtype, bool,
// float16; Fortran order transposed to C order) into runtime tensors, and writes version 1 files.
import * as fs from 'node:fs';
import { DataType, TensorValues } from '../onnx/ir';
import { allocValues, dtypeName } from '../onnx/dtype';
import { makeTensor, sizeOf, Tensor } from '../runtime/tensor';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** NumPy type code (kind + item size) ↔ ONNX dtype. */
const CODES: Record<string, DataType> = {
  b1: DataType.BOOL, i1: DataType.INT8, i2: DataType.INT16, i4: DataType.INT32, i8: DataType.INT64,
  u1: DataType.UINT8, u2: DataType.UINT16, u4: DataType.UINT32, u8: DataType.UINT64,
  f2: DataType.FLOAT16, f4: DataType.FLOAT, f8: DataType.DOUBLE, c8: DataType.COMPLEX64, c16: DataType.COMPLEX128,
};

/** An error about a data file, one line naming it. */
export class DataFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataFileError';
  }
}

/** Reads a .npy file from disk. */
export function loadNpy(file: string): Tensor {
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    throw new DataFileError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return decodeNpy(bytes, file);
}

/** Decodes .npy bytes; `label` (the file name) starts every error message. */
export function decodeNpy(bytes: Uint8Array, label: string): Tensor {
  const fail = (why: string): never => { throw new DataFileError(`${label}: ${why}`); };
  const { dtype, bigEndian, fortran, shape, dataOffset } = readNpyHeader(bytes, label);
  const n = sizeOf(shape);
  const per = dtype === DataType.COMPLEX64 || dtype === DataType.COMPLEX128 ? 2 : 1;
  const item = itemSize(dtype);
  const body = bytes.subarray(dataOffset);
  const need = n * item;
  if (body.length < need) fail(`holds ${body.length} data bytes but shape (${shape.join(', ')}) of ${dtypeName(dtype)} needs ${need}; the file is truncated`);
  const copy = new Uint8Array(need);
  copy.set(body.subarray(0, need));
  if (bigEndian) swapBytes(copy, per > 1 ? item / 2 : item);
  let data = view(dtype, copy.buffer, n * per);
  if (fortran && shape.length > 1) data = fromFortran(data, dtype, shape, per);
  return makeTensor(dtype, shape, data);
}

/** A .npy header: element type, byte order, layout, shape and where the data starts (for range reads). */
export interface NpyHeader { dtype: DataType; bigEndian: boolean; fortran: boolean; shape: number[]; dataOffset: number; itemSize: number }

/** Parses the header at the start of `bytes` (the first 64 KiB of a file suffice); `label` names the file in errors. */
export function readNpyHeader(bytes: Uint8Array, label: string): NpyHeader {
  const fail = (why: string): never => { throw new DataFileError(`${label}: ${why}`); };
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) fail('not a .npy file (missing the \\x93NUMPY signature)');
  const major = bytes[6];
  if (major < 1 || major > 3) fail(`unsupported .npy format version ${major}.${bytes[7]} (1, 2 and 3 are read)`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = major === 1 ? dv.getUint16(8, true) : bytes.length >= 12 ? dv.getUint32(8, true) : fail('truncated header');
  const start = major === 1 ? 10 : 12;
  if (start + headerLen > bytes.length) fail('truncated header');
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(start, start + headerLen));
  const h = parseHeader(header, fail);
  return { ...h, dataOffset: start + headerLen, itemSize: itemSize(h.dtype) };
}

/** Typed values of `count` C-order elements read from a .npy body (`bytes` is owned: swapped in place when big-endian). */
export function npyValues(bytes: Uint8Array, h: NpyHeader, count: number): TensorValues {
  const per = h.dtype === DataType.COMPLEX64 || h.dtype === DataType.COMPLEX128 ? 2 : 1;
  if (h.bigEndian) swapBytes(bytes, per > 1 ? h.itemSize / 2 : h.itemSize);
  const aligned = bytes.byteOffset % (h.itemSize / per) === 0 ? bytes : bytes.slice();
  return viewAt(h.dtype, aligned.buffer, aligned.byteOffset, count * per);
}

function parseHeader(header: string, fail: (why: string) => never): { dtype: DataType; bigEndian: boolean; fortran: boolean; shape: number[] } {
  const descr = /['"]descr['"]\s*:\s*['"]([^'"]*)['"]/.exec(header);
  if (!descr) {
    if (/['"]descr['"]\s*:\s*\[/.test(header)) fail('structured (record) arrays are not supported; save one plain array per input');
    fail('header has no descr');
  }
  const d = (descr as RegExpExecArray)[1];
  const m = /^([<>|=]?)([a-zA-Z?])(\d*)$/.exec(d);
  const code = m ? (m[2] === '?' ? 'b1' : `${m[2]}${m[3]}`) : '';
  const dtype = CODES[code];
  if (dtype === undefined) fail(`unsupported dtype '${d}' (numeric, bool and float16 arrays are read; convert with arr.astype(np.float32))`);
  const order = m?.[1] ?? '';
  const bigEndian = order === '>' || (order === '=' && !littleEndianHost());
  const fo = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(header);
  if (!fo) fail('header has no fortran_order');
  const sh = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(header);
  if (!sh) fail('header has no shape');
  const parts = (sh as RegExpExecArray)[1].split(',').map((s) => s.trim()).filter((s) => s !== '');
  const shape = parts.map((p) => (/^\d+L?$/.test(p) ? Number.parseInt(p, 10) : fail(`bad shape entry '${p}'`)));
  return { dtype, bigEndian, fortran: (fo as RegExpExecArray)[1] === 'True', shape };
}

function littleEndianHost(): boolean {
  return new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
}

/** Bytes per element as stored (complex: both parts). */
function itemSize(dt: DataType): number {
  switch (dt) {
    case DataType.BOOL: case DataType.INT8: case DataType.UINT8: return 1;
    case DataType.INT16: case DataType.UINT16: case DataType.FLOAT16: return 2;
    case DataType.INT32: case DataType.UINT32: case DataType.FLOAT: return 4;
    case DataType.COMPLEX128: return 16;
    default: return 8;
  }
}

function swapBytes(b: Uint8Array, size: number): void {
  if (size === 1) return;
  for (let i = 0; i < b.length; i += size) {
    for (let a = i, z = i + size - 1; a < z; a++, z--) {
      const t = b[a];
      b[a] = b[z];
      b[z] = t;
    }
  }
}

function view(dt: DataType, buf: ArrayBufferLike, len: number): TensorValues {
  return viewAt(dt, buf, 0, len);
}

function viewAt(dt: DataType, buf: ArrayBufferLike, off: number, len: number): TensorValues {
  switch (dt) {
    case DataType.FLOAT: case DataType.COMPLEX64: return new Float32Array(buf, off, len);
    case DataType.DOUBLE: case DataType.COMPLEX128: return new Float64Array(buf, off, len);
    case DataType.INT8: return new Int8Array(buf, off, len);
    case DataType.INT16: return new Int16Array(buf, off, len);
    case DataType.INT32: return new Int32Array(buf, off, len);
    case DataType.INT64: return new BigInt64Array(buf, off, len);
    case DataType.UINT16: case DataType.FLOAT16: return new Uint16Array(buf, off, len);
    case DataType.UINT32: return new Uint32Array(buf, off, len);
    case DataType.UINT64: return new BigUint64Array(buf, off, len);
    default: return new Uint8Array(buf, off, len);
  }
}

/** Reorders column-major storage to row-major. */
function fromFortran(src: TensorValues, dt: DataType, shape: readonly number[], per: number): TensorValues {
  const n = sizeOf(shape);
  const out = allocValues(dt, n) as unknown as { [i: number]: unknown };
  const s = src as unknown as { [i: number]: unknown };
  const rank = shape.length;
  const idx = new Array<number>(rank).fill(0);
  // Fortran strides: the first axis varies fastest.
  const fstride = new Array<number>(rank);
  let acc = 1;
  for (let d = 0; d < rank; d++) { fstride[d] = acc; acc *= shape[d]; }
  for (let c = 0; c < n; c++) {
    let f = 0;
    for (let d = 0; d < rank; d++) f += idx[d] * fstride[d];
    for (let p = 0; p < per; p++) out[c * per + p] = s[f * per + p];
    for (let d = rank - 1; d >= 0; d--) {
      if (++idx[d] < shape[d]) break;
      idx[d] = 0;
    }
  }
  return out as unknown as TensorValues;
}

/** Encodes a tensor as a version 1 .npy file (little endian, C order). */
export function encodeNpy(t: Tensor): Uint8Array {
  const code = Object.keys(CODES).find((k) => CODES[k] === t.dtype);
  if (!code) throw new DataFileError(`cannot write a ${dtypeName(t.dtype)} tensor as .npy (NumPy has no such dtype); use --format pb`);
  const descr = `${code === 'b1' || code.endsWith('1') ? '|' : '<'}${code}`;
  const shape = t.shape.length === 1 ? `(${t.shape[0]},)` : `(${t.shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shape}, }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const data = t.data as Exclude<TensorValues, string[]>;
  const body = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const out = new Uint8Array(10 + header.length + body.length);
  out.set(MAGIC);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  out.set(body, 10 + header.length);
  if (!littleEndianHost()) swapBytes(out.subarray(10 + header.length), itemSize(t.dtype) / (t.dtype === DataType.COMPLEX64 || t.dtype === DataType.COMPLEX128 ? 2 : 1));
  return out;
}
