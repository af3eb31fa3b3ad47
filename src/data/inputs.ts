// Model inputs as the sample sources see them: which inputs need feeding, their dtype and declared
// dims, the batch axis (axis 0) and how symbolic dims resolve; dtype conversion of user data with
// a clear policy; and the per-element input box accumulated over the samples seen.
import { DataType, Dim, Model, TensorValues, ValueInfo } from '../onnx/ir';
import { dtypeName, fromFloat32Array, toFloat32Array } from '../onnx/dtype';
import { sizeOf, Tensor } from '../runtime/tensor';
import { DataFileError } from './npy';

/** A model input to feed: name, element type, declared dims (undefined: shape not declared). */
export interface InputSpec {
  readonly name: string;
  readonly index: number;
  readonly dtype: DataType;
  readonly dims: readonly Dim[] | undefined;
}

/** Box of one input: per-element (or scalar) bounds, `shape` = [1, ...per-sample shape]. */
export interface InputBoxEntry { lo: Float32Array | number; hi: Float32Array | number; shape: number[] }
/** The input box proofs run over, by input name. */
export type InputBox = Record<string, InputBoxEntry>;

/** Graph inputs without an initializer (the ones a caller must feed). */
export function feedInputs(model: Model): ValueInfo[] {
  const inits = new Set(model.graph.initializers.map((t) => t.name));
  return model.graph.inputs.filter((v) => !inits.has(v.name));
}

/** The inputs to feed, as InputSpecs; a non-tensor input is a one-line error. */
export function inputSpecs(model: Model): InputSpec[] {
  const file = model.source.path ?? 'model';
  return feedInputs(model).map((v, index) => {
    const t = v.type;
    if (!t || t.kind !== 'tensor') throw new DataFileError(`${file}: input "${v.name}" is a ${t?.kind ?? 'value of unknown type'}, not a tensor; the analysis can only feed tensors`);
    return { name: v.name, index, dtype: t.elemType, dims: t.shape };
  });
}

/** The declared batch size when axis 0 is fixed (undefined when symbolic or unknown). */
export function fixedBatch(spec: InputSpec, dims: Record<string, number> = {}): number | undefined {
  const d = spec.dims?.[0];
  if (typeof d === 'number') return d;
  if (typeof d === 'string' && dims[d] !== undefined) return dims[d];
  return undefined;
}

/** Per-sample shape of an input for generated samples: symbolic dims from `dims`, else 1 (noted in `warnings`). */
export function randomSampleShape(spec: InputSpec, dims: Record<string, number>, warnings: string[]): number[] {
  if (!spec.dims) throw new DataFileError(`input "${spec.name}" has no declared shape, so random samples cannot be made; pass --data`);
  if (spec.dims.length === 0) throw new DataFileError(`input "${spec.name}" is a scalar; the analysis needs a batch axis (axis 0); pass --data`);
  return spec.dims.slice(1).map((d, i) => {
    if (typeof d === 'number') return d;
    const name = d ?? `?${i + 1}`;
    if (typeof d === 'string' && dims[d] !== undefined) return dims[d];
    warnings.push(`input "${spec.name}" dimension ${i + 1} ('${name}') is symbolic; set to 1 (pass --dim ${d ?? 'NAME'}=N to choose)`);
    return 1;
  });
}

/** Checks a data array's per-sample shape against the input's declared dims; `where` names file and input. */
export function checkSampleShape(spec: InputSpec, shape: readonly number[], dims: Record<string, number>, where: string): void {
  if (shape.length === 0) throw new DataFileError(`${where}: a scalar cannot feed input "${spec.name}"; axis 0 must be the batch`);
  if (!spec.dims) return;
  const want = spec.dims;
  const wantStr = `[${want.map((d) => d ?? '?').join(',')}]`;
  if (want.length !== shape.length) throw new DataFileError(`${where}: array of shape [${shape.join(',')}] has rank ${shape.length}, input "${spec.name}" takes rank ${want.length} ${wantStr}`);
  for (let i = 1; i < want.length; i++) {
    const d = want[i];
    const fixed = typeof d === 'number' ? d : typeof d === 'string' ? dims[d] : undefined;
    if (fixed !== undefined && fixed !== shape[i]) {
      throw new DataFileError(`${where}: array of shape [${shape.join(',')}] does not fit input "${spec.name}" ${wantStr}: dimension ${i} must be ${fixed}`);
    }
  }
}

const SMALL_INTS = new Set([DataType.UINT8, DataType.INT8, DataType.UINT16, DataType.INT16]);
const INTS = new Set([DataType.UINT8, DataType.INT8, DataType.UINT16, DataType.INT16, DataType.INT32, DataType.UINT32, DataType.INT64, DataType.UINT64]);
const FLOATS = new Set([DataType.FLOAT, DataType.DOUBLE, DataType.FLOAT16, DataType.BFLOAT16]);

/**
 * Converts data to the input's dtype. Policy: floats convert among themselves (float64 → float32
 * rounds, silently); 8/16-bit integers (pixels) convert exactly to floats; integers convert among
 * themselves when every value fits; anything else (wider integers → float, float → integer, bool)
 * is refused with a one-line error naming `where`.
 */
export function convertData(t: Tensor, want: DataType, where: string, input: string): Tensor {
  const have = t.dtype;
  if (have === want) return t;
  const refuse = (): never => {
    throw new DataFileError(`${where}: holds ${dtypeName(have)} but input "${input}" takes ${dtypeName(want)}; convert the data (e.g. arr.astype(np.${numpyName(want)})) if that is what you mean`);
  };
  let out: TensorValues;
  if (FLOATS.has(want) && (FLOATS.has(have) || SMALL_INTS.has(have))) {
    const f = toFloat32Array(t.data, have);
    if (want === DataType.DOUBLE) out = have === DataType.FLOAT || SMALL_INTS.has(have) ? Float64Array.from(f) : refuse();
    else out = want === DataType.FLOAT ? (have === DataType.DOUBLE ? Float32Array.from(t.data as Float64Array) : f) : fromFloat32Array(f, want);
  } else if (INTS.has(want) && INTS.has(have)) {
    out = convertInts(t.data, want, where, input);
  } else {
    return refuse();
  }
  return { dtype: want, shape: t.shape, data: out };
}

function numpyName(dt: DataType): string {
  return ({ [DataType.FLOAT]: 'float32', [DataType.DOUBLE]: 'float64', [DataType.INT64]: 'int64', [DataType.INT32]: 'int32', [DataType.UINT8]: 'uint8', [DataType.BOOL]: 'bool_', [DataType.FLOAT16]: 'float16' } as Partial<Record<DataType, string>>)[dt] ?? dtypeName(dt).toLowerCase();
}

const INT_LIMITS: Partial<Record<DataType, [number, number]>> = {
  [DataType.UINT8]: [0, 255], [DataType.INT8]: [-128, 127], [DataType.UINT16]: [0, 65535], [DataType.INT16]: [-32768, 32767],
  [DataType.INT32]: [-(2 ** 31), 2 ** 31 - 1], [DataType.UINT32]: [0, 2 ** 32 - 1],
  [DataType.INT64]: [-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER], [DataType.UINT64]: [0, Number.MAX_SAFE_INTEGER],
};

function convertInts(src: TensorValues, want: DataType, where: string, input: string): TensorValues {
  const n = src.length;
  const [lo, hi] = INT_LIMITS[want] ?? [0, 0];
  const get = src instanceof BigInt64Array || src instanceof BigUint64Array ? (i: number) => Number(src[i]) : (i: number) => (src as Int32Array)[i];
  const big = want === DataType.INT64 || want === DataType.UINT64;
  const out = big ? (want === DataType.INT64 ? new BigInt64Array(n) : new BigUint64Array(n)) : (new (arrayOf(want))(n) as Int32Array);
  for (let i = 0; i < n; i++) {
    const v = get(i);
    if (v < lo || v > hi) throw new DataFileError(`${where}: value ${v} does not fit input "${input}" (${dtypeName(want)})`);
    if (big) (out as BigInt64Array)[i] = BigInt(v);
    else (out as Int32Array)[i] = v;
  }
  return out;
}

function arrayOf(dt: DataType): new (n: number) => TensorValues {
  switch (dt) {
    case DataType.UINT8: return Uint8Array;
    case DataType.INT8: return Int8Array;
    case DataType.UINT16: return Uint16Array;
    case DataType.INT16: return Int16Array;
    case DataType.UINT32: return Uint32Array;
    default: return Int32Array;
  }
}

/** Per-element running min/max of one input over the samples seen. */
export interface BoxAcc { lo: Float32Array; hi: Float32Array; sampleShape: number[]; scalar: boolean; sLo: number; sHi: number }

/** Adds a batch `t` (axis 0 = samples) to `acc` (created on first use); returns the accumulator. */
export function accumulateBox(acc: BoxAcc | undefined, t: Tensor): BoxAcc {
  const sampleShape = t.shape.slice(1);
  const per = sizeOf(sampleShape);
  if (!acc) acc = { lo: new Float32Array(per).fill(Infinity), hi: new Float32Array(per).fill(-Infinity), sampleShape, scalar: false, sLo: Infinity, sHi: -Infinity };
  const d = t.data;
  if (Array.isArray(d)) return acc;
  const big = d instanceof BigInt64Array || d instanceof BigUint64Array;
  const f = big ? null : FLOATS.has(t.dtype) && !(d instanceof Float32Array || d instanceof Float64Array) ? toFloat32Array(d, t.dtype) : (d as Float32Array);
  const at = (i: number): number => (f ? f[i] : Number((d as BigInt64Array)[i]));
  if (!acc.scalar && (per !== acc.lo.length || sampleShape.some((s, i) => s !== acc!.sampleShape[i]))) {
    // Samples of different shapes (test data sets with other symbolic sizes): keep scalar bounds.
    acc.scalar = true;
    for (let i = 0; i < acc.lo.length; i++) {
      if (acc.lo[i] < acc.sLo) acc.sLo = acc.lo[i];
      if (acc.hi[i] > acc.sHi) acc.sHi = acc.hi[i];
    }
  }
  const n = d.length;
  if (acc.scalar) {
    let lo = acc.sLo;
    let hi = acc.sHi;
    for (let i = 0; i < n; i++) {
      const v = at(i);
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    acc.sLo = lo;
    acc.sHi = hi;
    return acc;
  }
  const { lo, hi } = acc;
  for (let s = 0; s < n; s += per) {
    for (let j = 0; j < per; j++) {
      const v = at(s + j);
      if (v < lo[j]) lo[j] = v;
      if (v > hi[j]) hi[j] = v;
    }
  }
  return acc;
}

/** The InputBox entry of an accumulator (float64 data is bounded at float32 precision). */
export function boxEntry(acc: BoxAcc): InputBoxEntry {
  if (acc.scalar) return { lo: acc.sLo, hi: acc.sHi, shape: [1, ...acc.sampleShape] };
  return { lo: acc.lo, hi: acc.hi, shape: [1, ...acc.sampleShape] };
}
