// `openSampleSource`: the samples an analysis runs, streamed in batches. The user's data (.npy,
// .npz, .pb tensors, a test_data_set_* folder or a folder of them, a folder of PNG/JPEG images)
// or, without data, seeded random inputs. Validates data against the model's inputs with one-line
// errors naming file and input, and keeps the per-element input box of the samples it yielded.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataType, Model } from '../onnx/ir';
import { sizeOf, Tensor } from '../runtime/tensor';
import { accumulateBox, BoxAcc, boxEntry, checkSampleShape, convertData, fixedBatch, InputBox, InputSpec, inputSpecs, randomSampleShape } from './inputs';
import { DataFileError, loadNpy, npyValues, readNpyHeader, NpyHeader } from './npy';
import { loadNpz } from './npz';
import { listInputPbs, listTestDataSets, readPbTensor, readTensorSet } from './pb';
import { decodeImage, imageLayout, listImages, normalization, placeSample, resizeToPlanes } from './images';
import { batchSeed, mulberry32, RANDOM_DISTRIBUTIONS, randomRange, randomValues, canRandomize } from './random';
import { fromFloat32Array, dtypeName } from '../onnx/dtype';

export type { InputBox, InputBoxEntry } from './inputs';

/** How samples are chosen. */
export interface SampleOptions {
  /** A data file or folder; undefined: seeded random inputs. */
  data?: string;
  /** Most samples to use (default: all the data, or 256 random samples). */
  samples?: number;
  /** Seed of the random inputs (default 0). */
  seed?: number;
  /** Sizes of symbolic dims by name, e.g. { batch: 8, seq: 128 }. */
  dims?: Record<string, number>;
  /** Per-channel mean subtracted from image pixels scaled to [0,1] (default 0). */
  imageMean?: number[];
  /** Per-channel std image pixels are divided by after the mean (default 1). */
  imageStd?: number[];
  /** Samples per batch when the model's batch axis is symbolic (default 16). */
  batchSize?: number;
}

/** What the report says about the samples. */
export interface SampleDescription {
  kind: 'random' | 'npy' | 'npz' | 'pb' | 'test-data-sets' | 'images';
  path?: string;
  random: boolean;
  /** Samples the source will yield (final once the batches are consumed). */
  count: number;
  note: string;
}

/** One batch: feeds with axis 0 = `count` samples, the first of which is sample `offset`. */
export interface SampleBatch { feeds: Record<string, Tensor>; offset: number; count: number }

/** A stream of input batches. */
export interface SampleSource {
  description: SampleDescription;
  batches(): AsyncIterable<SampleBatch>;
  /** Per-element min/max of the samples yielded so far, or the random distribution's practical range (floats ±6σ). */
  inputBox(): InputBox;
}

export const DEFAULT_BATCH_SIZE = 16;
export const DEFAULT_RANDOM_SAMPLES = 256;

/** A per-input array of samples that can be read by range. */
interface Column { count: number; read(off: number, k: number): Tensor }

/** Opens the samples for `model`; throws a one-line DataFileError for unusable data. */
export function openSampleSource(model: Model, opts: SampleOptions = {}): SampleSource {
  const specs = inputSpecs(model);
  if (specs.length === 0) throw new DataFileError(`${model.source.path ?? 'model'}: the model has no inputs to feed`);
  const o = { ...opts, dims: opts.dims ?? {}, batchSize: Math.max(1, Math.floor(opts.batchSize ?? DEFAULT_BATCH_SIZE)) };
  if (opts.samples !== undefined && !(Number.isInteger(opts.samples) && opts.samples >= 1)) throw new DataFileError(`samples must be a positive integer, got ${opts.samples}`);
  if (!opts.data) return randomSource(specs, o);
  const file = opts.data;
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    throw new DataFileError(`${file}: not found; check the --data path`);
  }
  if (st.isDirectory()) return folderSource(file, specs, o);
  const ext = path.extname(file).toLowerCase();
  if (ext === '.npy') {
    const only = single(specs, file, '.npy file');
    return arraySource('npy', file, specs, { [only.name]: npyColumn(file, only, o.dims) }, o, []);
  }
  if (ext === '.npz') return npzSource(file, specs, o);
  if (ext === '.pb') {
    const { name, tensor } = readPbTensor(file);
    const spec = specs.find((s) => s.name === name) ?? single(specs, file, '.pb file');
    if (specs.length > 1) throw new DataFileError(`${file}: a single .pb file feeds one input, but the model has ${specs.length} (${specs.map((s) => s.name).join(', ')}); pass a folder with input_N.pb files`);
    return arraySource('pb', file, specs, { [spec.name]: memoryColumn(tensor, spec, o.dims, file) }, o, []);
  }
  if (/\.(png|jpe?g|bmp|p[pgn]m|tiff?)$/i.test(ext)) throw new DataFileError(`${file}: pass the folder holding the images, not one image`);
  throw new DataFileError(`${file}: unknown data format '${ext || 'no extension'}'; use .npy, .npz, .pb, a test_data_set_* folder or a folder of PNG/JPEG images`);
}

function single(specs: readonly InputSpec[], file: string, what: string): InputSpec {
  if (specs.length !== 1) throw new DataFileError(`${file}: a ${what} feeds one input, but the model has ${specs.length} (${specs.map((s) => s.name).join(', ')}); use a .npz keyed by input name`);
  return specs[0];
}

type Opts = SampleOptions & { dims: Record<string, number>; batchSize: number };

/** The batch size: the model's fixed batch (all inputs must agree) or the configured one. */
function batchPlan(specs: readonly InputSpec[], o: Opts): { size: number; fixed: boolean } {
  let fixed: number | undefined;
  for (const s of specs) {
    const f = fixedBatch(s, o.dims);
    if (f === undefined) continue;
    if (fixed !== undefined && f !== fixed) throw new DataFileError(`inputs disagree on the batch size (${fixed} vs ${f} for "${s.name}")`);
    fixed = f;
  }
  if (fixed !== undefined && fixed < 1) throw new DataFileError(`input batch size ${fixed} is not usable; pass --dim to set it`);
  return fixed !== undefined ? { size: fixed, fixed: true } : { size: o.batchSize, fixed: false };
}

/** Samples used out of `available`, rounded down to whole fixed batches. */
function usable(available: number, o: Opts, plan: { size: number; fixed: boolean }, notes: string[]): number {
  let n = Math.min(available, o.samples ?? available);
  if (plan.fixed && n % plan.size !== 0) {
    const m = n - (n % plan.size);
    notes.push(`the model's batch axis is fixed at ${plan.size}: the last ${n - m} samples are not used`);
    n = m;
  }
  return n;
}

/** Wraps a batch generator: offsets, input box accumulation, final count. */
function makeSource(desc: SampleDescription, gen: () => AsyncGenerator<Record<string, Tensor>>, box?: () => InputBox): SampleSource {
  const accs = new Map<string, BoxAcc>();
  return {
    description: desc,
    async *batches() {
      let offset = 0;
      for await (const feeds of gen()) {
        const first = Object.values(feeds)[0];
        const count = first.shape[0];
        if (!box) for (const [name, t] of Object.entries(feeds)) accs.set(name, accumulateBox(accs.get(name), t));
        yield { feeds, offset, count };
        offset += count;
      }
      desc.count = offset;
    },
    inputBox() {
      if (box) return box();
      const out: InputBox = {};
      for (const [name, acc] of accs) out[name] = boxEntry(acc);
      return out;
    },
  };
}

/** Array sources (.npy, .npz, single .pb): every input read by sample range. */
function arraySource(kind: 'npy' | 'npz' | 'pb', file: string, specs: readonly InputSpec[], cols: Record<string, Column>, o: Opts, notes: string[]): SampleSource {
  const plan = batchPlan(specs, o);
  const available = Math.min(...Object.values(cols).map((c) => c.count));
  if (available === 0) throw new DataFileError(`${file}: holds 0 samples`);
  const count = usable(available, o, plan, notes);
  if (count === 0) throw new DataFileError(`${file}: holds ${available} samples, fewer than the model's fixed batch of ${plan.size}`);
  const note = [`${path.basename(file)}: ${count} of ${available} samples`, ...notes].join('; ');
  return makeSource({ kind, path: file, random: false, count, note }, async function* () {
    for (let off = 0; off < count; off += plan.size) {
      const k = Math.min(plan.size, count - off);
      const feeds: Record<string, Tensor> = {};
      for (const [name, c] of Object.entries(cols)) feeds[name] = c.read(off, k);
      yield feeds;
    }
  });
}

/** A .npy column read by byte range per batch (Fortran-order files are read whole). */
function npyColumn(file: string, spec: InputSpec, dims: Record<string, number>): Column {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (e) {
    throw new DataFileError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  let h: NpyHeader;
  let size: number;
  try {
    size = fs.fstatSync(fd).size;
    const head = new Uint8Array(Math.min(size, 1 << 20));
    fs.readSync(fd, head, 0, head.length, 0);
    h = readNpyHeader(head, file);
  } finally {
    fs.closeSync(fd);
  }
  const where = `${file} (input "${spec.name}")`;
  if (h.shape.length === 0) throw new DataFileError(`${where}: a scalar cannot feed input "${spec.name}"; axis 0 must be the batch`);
  checkSampleShape(spec, h.shape, dims, where);
  convertData({ dtype: h.dtype, shape: [0], data: new Float32Array(0) as never }, spec.dtype, where, spec.name);
  if (h.fortran && h.shape.length > 1) return memoryColumn(loadNpy(file), spec, dims, file);
  const per = sizeOf(h.shape.slice(1));
  const rowBytes = per * h.itemSize;
  if (h.dataOffset + h.shape[0] * rowBytes > size) throw new DataFileError(`${file}: holds ${size - h.dataOffset} data bytes but shape (${h.shape.join(', ')}) needs ${h.shape[0] * rowBytes}; the file is truncated`);
  return {
    count: h.shape[0],
    read(off, k) {
      const bytes = new Uint8Array(k * rowBytes);
      const fd2 = fs.openSync(file, 'r');
      try {
        let got = 0;
        while (got < bytes.length) {
          const r = fs.readSync(fd2, bytes, got, bytes.length - got, h.dataOffset + off * rowBytes + got);
          if (r <= 0) throw new DataFileError(`${file}: ended early; the file is truncated`);
          got += r;
        }
      } finally {
        fs.closeSync(fd2);
      }
      const t: Tensor = { dtype: h.dtype, shape: [k, ...h.shape.slice(1)], data: npyValues(bytes, h, k * per) };
      return convertData(t, spec.dtype, where, spec.name);
    },
  };
}

/** A column over a tensor already in memory (axis 0 = samples); batches are views, converted if needed. */
function memoryColumn(t: Tensor, spec: InputSpec, dims: Record<string, number>, file: string): Column {
  const where = `${file} (input "${spec.name}")`;
  checkSampleShape(spec, t.shape, dims, where);
  const whole = convertData(t, spec.dtype, where, spec.name);
  const per = sizeOf(t.shape.slice(1)) * (t.dtype === DataType.COMPLEX64 || t.dtype === DataType.COMPLEX128 ? 2 : 1);
  return {
    count: t.shape[0],
    read(off, k) {
      const data = (whole.data as Float32Array).subarray(off * per, (off + k) * per);
      return { dtype: whole.dtype, shape: [k, ...t.shape.slice(1)], data };
    },
  };
}

function npzSource(file: string, specs: readonly InputSpec[], o: Opts): SampleSource {
  const arrays = loadNpz(file);
  const keys = Object.keys(arrays);
  const cols: Record<string, Column> = {};
  const notes: string[] = [];
  for (const s of specs) {
    const t = arrays[s.name] ?? (specs.length === 1 && keys.length === 1 ? arrays[keys[0]] : undefined);
    if (!t) throw new DataFileError(`${file}: has no array named "${s.name}" for input "${s.name}" (keys: ${keys.join(', ')}); save it with np.savez(file, ${/^[A-Za-z_]\w*$/.test(s.name) ? s.name : "**{'" + s.name + "': arr}"}=...)`);
    cols[s.name] = memoryColumn(t, s, o.dims, `${file}[${arrays[s.name] ? s.name : keys[0]}]`);
  }
  const counts = new Set(Object.values(cols).map((c) => c.count));
  if (counts.size > 1) throw new DataFileError(`${file}: arrays hold different sample counts (${specs.map((s) => `${s.name}: ${cols[s.name].count}`).join(', ')}); axis 0 must be the batch`);
  const unused = keys.filter((k) => !specs.some((s) => s.name === k) && !(specs.length === 1 && keys.length === 1));
  if (unused.length) notes.push(`arrays not used: ${unused.join(', ')}`);
  return arraySource('npz', file, specs, cols, o, notes);
}

/** A folder: test_data_set_* subfolders, one set of .pb files, or images. */
function folderSource(dir: string, specs: readonly InputSpec[], o: Opts): SampleSource {
  const sets = listTestDataSets(dir);
  if (sets.length) return setsSource('test-data-sets', dir, sets, specs, o);
  let pbs: string[];
  try {
    pbs = listInputPbs(dir);
  } catch (e) {
    throw new DataFileError(`${dir}: cannot read the folder (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  if (pbs.length) return setsSource('pb', dir, [dir], specs, o);
  const images = listImages(dir);
  if (images.length) return imageSource(dir, images, specs, o);
  throw new DataFileError(`${dir}: no samples found (no test_data_set_* folders, input_N.pb files, or PNG/JPEG images)`);
}

/** Test data sets: each set is one batch, used as stored (the last one cut to the sample limit). */
function setsSource(kind: 'pb' | 'test-data-sets', dir: string, sets: string[], specs: readonly InputSpec[], o: Opts): SampleSource {
  const plan = batchPlan(specs, o);
  const read = (set: string): Record<string, Tensor> => {
    const feeds = readTensorSet(listInputPbs(set), specs, set);
    let n: number | undefined;
    for (const s of specs) {
      const t = feeds[s.name];
      const where = `${set} (input "${s.name}")`;
      checkSampleShape(s, t.shape, o.dims, where);
      if (plan.fixed && t.shape[0] !== plan.size) throw new DataFileError(`${where}: holds ${t.shape[0]} samples on axis 0, the model's batch is fixed at ${plan.size}`);
      if (n !== undefined && t.shape[0] !== n) throw new DataFileError(`${where}: holds ${t.shape[0]} samples, other inputs of the set hold ${n}`);
      n = t.shape[0];
      feeds[s.name] = convertData(t, s.dtype, where, s.name);
    }
    return feeds;
  };
  const first = read(sets[0]);
  const perSet = Object.values(first)[0].shape[0];
  const estimate = Math.min(perSet * sets.length, o.samples ?? Infinity);
  const desc: SampleDescription = { kind, path: dir, random: false, count: estimate, note: `${sets.length} test data set${sets.length === 1 ? '' : 's'} in ${path.basename(dir)}, one batch each` };
  const limit = o.samples ?? Infinity;
  return makeSource(desc, async function* () {
    let done = 0;
    for (let i = 0; i < sets.length && done < limit; i++) {
      let feeds = i === 0 ? first : read(sets[i]);
      const n = Object.values(feeds)[0].shape[0];
      if (done + n > limit) {
        if (plan.fixed) break;
        const k = limit - done;
        feeds = Object.fromEntries(Object.entries(feeds).map(([name, t]) => [name, slice(t, k)]));
      }
      done += Object.values(feeds)[0].shape[0];
      yield feeds;
    }
  });
}

function slice(t: Tensor, k: number): Tensor {
  const per = t.shape[0] ? t.data.length / t.shape[0] : 0;
  return { dtype: t.dtype, shape: [k, ...t.shape.slice(1)], data: (t.data as Float32Array).subarray(0, k * per) };
}

/** A folder of images for a one-input model; unreadable images are skipped and listed in the note. */
function imageSource(dir: string, files: string[], specs: readonly InputSpec[], o: Opts): SampleSource {
  const spec = single(specs, dir, 'folder of images');
  const lay = imageLayout(spec, o.dims, dir);
  const norm = normalization(lay.channels, o.imageMean, o.imageStd, dir);
  const plan = batchPlan(specs, o);
  const notes: string[] = [];
  const count = usable(files.length, o, plan, notes);
  if (count === 0) throw new DataFileError(`${dir}: holds ${files.length} images, fewer than the model's fixed batch of ${plan.size}`);
  const normNote = lay.dtype === DataType.UINT8 ? 'raw 0–255 pixels' : `pixels scaled to [0,1], mean [${norm.mean.join(', ')}], std [${norm.std.join(', ')}]`;
  const base = `${count} of ${files.length} images in ${path.basename(dir)}, resized to ${lay.height}×${lay.width} ${lay.channels === 1 ? 'grey' : 'RGB'} (${lay.layout}), ${normNote}`;
  const desc: SampleDescription = { kind: 'images', path: dir, random: false, count, note: [base, ...notes].join('; ') };
  const skipped: string[] = [];
  const per = lay.channels * lay.height * lay.width;
  return makeSource(desc, async function* () {
    let next = 0;
    let used = 0;
    while (used < count && next < files.length) {
      const want = Math.min(plan.size, count - used);
      const buf = new Float32Array(want * per);
      let k = 0;
      while (k < want && next < files.length) {
        // Let a cancel (or progress) through between images: decoding is synchronous.
        if (k > 0) await new Promise<void>((resolve) => setImmediate(resolve));
        const file = files[next++];
        let planes: Float32Array;
        try {
          planes = resizeToPlanes(decodeImage(file), lay.channels, lay.height, lay.width);
        } catch (e) {
          if (!(e instanceof DataFileError)) throw e;
          skipped.push(path.relative(dir, file));
          continue;
        }
        placeSample(planes, lay, norm, buf, k);
        k++;
      }
      if (k === 0 || (plan.fixed && k < plan.size)) break;
      const shape = lay.layout === 'NCHW' ? [k, lay.channels, lay.height, lay.width] : lay.layout === 'NHWC' ? [k, lay.height, lay.width, lay.channels] : [k, lay.height, lay.width];
      const data = buf.subarray(0, k * per);
      const values = lay.dtype === DataType.FLOAT ? data : lay.dtype === DataType.DOUBLE ? Float64Array.from(data) : lay.dtype === DataType.UINT8 ? Uint8Array.from(data) : fromFloat32Array(data, lay.dtype);
      used += k;
      yield { [spec.name]: { dtype: lay.dtype, shape, data: values } };
    }
    if (used === 0) throw new DataFileError(`${dir}: none of the ${files.length} images could be read (first: ${skipped[0]})`);
    if (skipped.length) desc.note += `; skipped ${skipped.length} unreadable image${skipped.length === 1 ? '' : 's'}: ${skipped.slice(0, 5).join(', ')}${skipped.length > 5 ? ', …' : ''}`;
  });
}

/** Seeded random inputs: batch b drawn from its own generator (seed, b); distributions in random.ts. */
function randomSource(specs: readonly InputSpec[], o: Opts): SampleSource {
  const warnings: string[] = [];
  const shapes = specs.map((s) => {
    if (!canRandomize(s.dtype)) throw new DataFileError(`input "${s.name}": random ${dtypeName(s.dtype)} inputs are not supported; pass --data with real samples`);
    return randomSampleShape(s, o.dims, warnings);
  });
  const plan = batchPlan(specs, o);
  const wanted = o.samples ?? DEFAULT_RANDOM_SAMPLES;
  const count = plan.fixed ? Math.max(plan.size, wanted - (wanted % plan.size)) : wanted;
  const seed = o.seed ?? 0;
  const note = [`random inputs, seed ${seed}: ${RANDOM_DISTRIBUTIONS}; results describe these random inputs, not your data`, ...warnings].join('; ');
  const box = (): InputBox => Object.fromEntries(specs.map((s, i) => {
    const [lo, hi] = randomRange(s.dtype);
    return [s.name, { lo, hi, shape: [1, ...shapes[i]] }];
  }));
  return makeSource({ kind: 'random', random: true, count, note }, async function* () {
    for (let b = 0, off = 0; off < count; b++, off += plan.size) {
      const k = Math.min(plan.size, count - off);
      const next = mulberry32(batchSeed(seed, b));
      const feeds: Record<string, Tensor> = {};
      specs.forEach((s, i) => {
        feeds[s.name] = { dtype: s.dtype, shape: [k, ...shapes[i]], data: randomValues(s.dtype, k * sizeOf(shapes[i]), next, s.name) };
      });
      yield feeds;
    }
  }, box);
}
