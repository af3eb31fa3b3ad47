// A minimal sample source used until src/data/ lands: seeded random inputs (N(0,1) floats, small
// integers, booleans) or one .npy file for a one-input model, streamed in batches. It follows the
// SampleSource interface of the analysis design, so analyze.ts switches to src/data/ unchanged.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataType, Model, ValueInfo } from '../onnx/ir';
import { dtypeName } from '../onnx/dtype';
import { Tensor } from '../runtime/tensor';

/** How the samples are made (a subset of src/data's SampleOptions). */
export interface SampleOptions {
  data?: string;
  samples?: number;
  seed?: number;
  dims?: Record<string, number>;
  batchSize?: number;
}

/** What the report says about the data. */
export interface SampleDescription {
  kind: 'random' | 'npy' | 'npz' | 'pb' | 'test-data-sets' | 'images';
  path?: string;
  random: boolean;
  count: number;
  note: string;
}

/** A stream of input batches. */
export interface SampleSource {
  description: SampleDescription;
  batches(): AsyncIterable<{ feeds: Record<string, Tensor>; offset: number; count: number }>;
}

/** Model inputs that need feeding (graph inputs without an initializer). */
export function feedInputs(model: Model): ValueInfo[] {
  const inits = new Set(model.graph.initializers.map((t) => t.name));
  return model.graph.inputs.filter((v) => !inits.has(v.name));
}

/** mulberry32: a small, seeded 32-bit generator returning floats in [0, 1). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Per-sample shape of an input: its declared dims without the batch axis, symbolic dims from `dims` (default 1). */
function sampleShape(v: ValueInfo, dims: Record<string, number>): { shape: number[]; dtype: DataType } {
  const t = v.type;
  if (!t || t.kind !== 'tensor') throw new Error(`input "${v.name}" is not a tensor; the analysis can only feed tensors`);
  const shape = (t.shape ?? []).map((d, i) => (typeof d === 'number' ? d : typeof d === 'string' && dims[d] !== undefined ? dims[d] : i === 0 ? 1 : 1));
  if (shape.length === 0) throw new Error(`input "${v.name}" is a scalar; the analysis needs a batch axis`);
  return { shape: shape.slice(1), dtype: t.elemType };
}

function fillRandom(dtype: DataType, n: number, next: () => number, name: string): Tensor['data'] {
  switch (dtype) {
    case DataType.FLOAT:
    case DataType.DOUBLE: {
      const out = dtype === DataType.FLOAT ? new Float32Array(n) : new Float64Array(n);
      for (let i = 0; i < n; i += 2) {
        // Box–Muller: two N(0,1) values per pair of uniforms.
        const u = 1 - next();
        const r = Math.sqrt(-2 * Math.log(u));
        const th = 2 * Math.PI * next();
        out[i] = r * Math.cos(th);
        if (i + 1 < n) out[i + 1] = r * Math.sin(th);
      }
      return out;
    }
    case DataType.INT64: return BigInt64Array.from({ length: n }, () => BigInt(Math.floor(next() * 10)));
    case DataType.INT32: return Int32Array.from({ length: n }, () => Math.floor(next() * 10));
    case DataType.UINT8: return Uint8Array.from({ length: n }, () => Math.floor(next() * 256));
    case DataType.BOOL: return Uint8Array.from({ length: n }, () => (next() < 0.5 ? 0 : 1));
    default: throw new Error(`input "${name}": random ${dtypeName(dtype)} inputs are not supported; pass --data`);
  }
}

/** Reads a little-endian C-order .npy file (float32, float64, uint8, int64). */
export function readNpy(file: string): { shape: number[]; dtype: DataType; data: Float32Array | Float64Array | Uint8Array | BigInt64Array } {
  const buf = fs.readFileSync(file);
  if (buf.length < 10 || buf.toString('latin1', 0, 6) !== '\x93NUMPY') throw new Error(`${file}: not a .npy file (bad magic); save it with numpy.save`);
  const major = buf[6];
  const hlen = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const hstart = major === 1 ? 10 : 12;
  const header = buf.toString('latin1', hstart, hstart + hlen);
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*True/.test(header);
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || shapeText === undefined) throw new Error(`${file}: unreadable .npy header`);
  if (fortran) throw new Error(`${file}: Fortran-order arrays are not supported; save with numpy.ascontiguousarray`);
  const shape = shapeText.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  const n = shape.reduce((a, b) => a * b, 1);
  const start = hstart + hlen;
  const body = buf.subarray(start);
  const copy = (size: number): ArrayBuffer => {
    if (body.length < n * size) throw new Error(`${file}: holds ${body.length} bytes of data, shape [${shape.join(',')}] needs ${n * size}; the file is truncated`);
    return body.buffer.slice(body.byteOffset, body.byteOffset + n * size) as ArrayBuffer;
  };
  switch (descr) {
    case '<f4': return { shape, dtype: DataType.FLOAT, data: new Float32Array(copy(4)) };
    case '<f8': return { shape, dtype: DataType.DOUBLE, data: new Float64Array(copy(8)) };
    case '|u1': return { shape, dtype: DataType.UINT8, data: new Uint8Array(copy(1)) };
    case '<i8': return { shape, dtype: DataType.INT64, data: new BigInt64Array(copy(8)) };
    default: throw new Error(`${file}: dtype '${descr}' is not supported (use float32, float64, uint8 or int64)`);
  }
}

/** Opens random inputs, or a .npy file for a one-input model. */
export function openLocalSampleSource(model: Model, opts: SampleOptions): SampleSource {
  const inputs = feedInputs(model);
  const dims = opts.dims ?? {};
  const batchSize = Math.max(1, opts.batchSize ?? 32);
  if (opts.data) {
    const file = opts.data;
    if (path.extname(file).toLowerCase() !== '.npy') throw new Error(`${file}: only .npy data is supported by this build`);
    if (inputs.length !== 1) throw new Error(`${file}: a .npy file feeds one input, but the model has ${inputs.length} (${inputs.map((v) => v.name).join(', ')})`);
    const arr = readNpy(file);
    const want = sampleShape(inputs[0], dims);
    const per = arr.shape.slice(1).reduce((a, b) => a * b, 1);
    if (arr.shape.length !== want.shape.length + 1 || want.shape.some((d, i) => d !== arr.shape[i + 1])) {
      throw new Error(`${file}: array of shape [${arr.shape.join(',')}] does not fit input "${inputs[0].name}" (per sample [${want.shape.join(',')}])`);
    }
    if (arr.dtype !== want.dtype) throw new Error(`${file}: holds ${dtypeName(arr.dtype)}, input "${inputs[0].name}" takes ${dtypeName(want.dtype)}`);
    const count = Math.min(arr.shape[0], opts.samples ?? arr.shape[0]);
    const fixedBatch = inputs[0].type?.kind === 'tensor' && typeof inputs[0].type.shape?.[0] === 'number' ? (inputs[0].type.shape[0] as number) : undefined;
    const bs = fixedBatch ?? batchSize;
    return {
      description: { kind: 'npy', path: file, random: false, count: count - (count % (fixedBatch ?? 1)), note: `${path.basename(file)}: ${count} of ${arr.shape[0]} samples` },
      async *batches() {
        for (let off = 0; off + (fixedBatch ?? 1) <= count; off += bs) {
          const k = Math.min(bs, count - off);
          const data = arr.data.subarray(off * per, (off + k) * per);
          yield { feeds: { [inputs[0].name]: { dtype: arr.dtype, shape: [k, ...want.shape], data } }, offset: off, count: k };
        }
      },
    };
  }
  const count = Math.max(1, opts.samples ?? 256);
  const seed = opts.seed ?? 0;
  const shapes = inputs.map((v) => ({ v, ...sampleShape(v, dims), fixed: v.type?.kind === 'tensor' && typeof v.type.shape?.[0] === 'number' ? (v.type.shape[0] as number) : undefined }));
  const fixed = shapes.find((s) => s.fixed !== undefined)?.fixed;
  const bs = fixed ?? batchSize;
  return {
    description: { kind: 'random', random: true, count, note: `random inputs, seed ${seed}: float N(0,1), integers uniform in [0,10), uint8 in [0,255]` },
    async *batches() {
      const next = rng(seed);
      for (let off = 0; off < count; off += bs) {
        const k = fixed ?? Math.min(bs, count - off);
        const feeds: Record<string, Tensor> = {};
        for (const s of shapes) {
          const n = k * s.shape.reduce((a, b) => a * b, 1);
          feeds[s.v.name] = { dtype: s.dtype, shape: [k, ...s.shape], data: fillRandom(s.dtype, n, next, s.v.name) };
        }
        yield { feeds, offset: off, count: k };
      }
    },
  };
}
