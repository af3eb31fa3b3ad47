// A minimal sample source used until src/data/'s openSampleSource lands: seeded random inputs
// (N(0,1) floats, small integers, booleans), or a .npy (one input) / .npz (keyed by input name)
// file, in batches. It follows the analysis design's SampleSource, so analyze.ts can switch.
import * as path from 'node:path';
import { DataType, Model, ValueInfo } from '../onnx/ir';
import { dtypeName } from '../onnx/dtype';
import { Tensor } from '../runtime/tensor';
import { loadNpy } from '../data/npy';
import { loadNpz } from '../data/npz';

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

/** Rows [off, off + k) of a tensor along axis 0, sharing its storage. */
function rows(t: Tensor, off: number, k: number): Tensor {
  const per = t.shape.slice(1).reduce((a, b) => a * b, 1) * (t.dtype === DataType.COMPLEX64 || t.dtype === DataType.COMPLEX128 ? 2 : 1);
  if (Array.isArray(t.data)) throw new Error('string inputs cannot be analysed');
  return { dtype: t.dtype, shape: [k, ...t.shape.slice(1)], data: t.data.subarray(off * per, (off + k) * per) as Tensor['data'] };
}

/** Loads a .npy (one input) or .npz (keys are input names) file and checks it against the inputs. */
function loadArrays(file: string, inputs: ValueInfo[], dims: Record<string, number>): Record<string, Tensor> {
  const ext = path.extname(file).toLowerCase();
  let arrays: Record<string, Tensor>;
  if (ext === '.npy') {
    if (inputs.length !== 1) throw new Error(`${file}: a .npy file feeds one input, but the model has ${inputs.length} (${inputs.map((v) => v.name).join(', ')}); use an .npz keyed by input name`);
    arrays = { [inputs[0].name]: loadNpy(file) };
  } else if (ext === '.npz') {
    arrays = loadNpz(file);
  } else throw new Error(`${file}: only .npy and .npz data are supported by this build`);
  let count: number | undefined;
  for (const v of inputs) {
    const a = arrays[v.name];
    if (!a) throw new Error(`${file}: no array for input "${v.name}" (arrays: ${Object.keys(arrays).join(', ') || 'none'})`);
    const want = sampleShape(v, dims);
    if (a.shape.length !== want.shape.length + 1 || want.shape.some((d, i) => d !== a.shape[i + 1])) {
      throw new Error(`${file}: array "${v.name}" of shape [${a.shape.join(',')}] does not fit the input (per sample [${want.shape.join(',')}], axis 0 is the batch)`);
    }
    if (a.dtype !== want.dtype) throw new Error(`${file}: array "${v.name}" holds ${dtypeName(a.dtype)}, the input takes ${dtypeName(want.dtype)}`);
    if (count !== undefined && a.shape[0] !== count) throw new Error(`${file}: arrays hold different sample counts (${count} and ${a.shape[0]})`);
    count = a.shape[0];
  }
  return arrays;
}

/** Opens random inputs, or a .npy file for a one-input model. */
export function openLocalSampleSource(model: Model, opts: SampleOptions): SampleSource {
  const inputs = feedInputs(model);
  const dims = opts.dims ?? {};
  const batchSize = Math.max(1, opts.batchSize ?? 32);
  if (opts.data) {
    const file = opts.data;
    const arrays = loadArrays(file, inputs, dims);
    const available = inputs.length ? arrays[inputs[0].name].shape[0] : 0;
    const fixedBatch = inputs.map((v) => (v.type?.kind === 'tensor' && typeof v.type.shape?.[0] === 'number' ? (v.type.shape[0] as number) : undefined)).find((d) => d !== undefined);
    const step = fixedBatch ?? 1;
    let count = Math.min(available, opts.samples ?? available);
    count -= count % step;
    const bs = fixedBatch ?? batchSize;
    return {
      description: { kind: path.extname(file).toLowerCase() === '.npz' ? 'npz' : 'npy', path: file, random: false, count, note: `${path.basename(file)}: ${count} of ${available} samples` },
      async *batches() {
        for (let off = 0; off < count; off += bs) {
          const k = Math.min(bs, count - off);
          const feeds: Record<string, Tensor> = {};
          for (const v of inputs) feeds[v.name] = rows(arrays[v.name], off, k);
          yield { feeds, offset: off, count: k };
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
