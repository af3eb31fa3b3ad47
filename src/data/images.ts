// Image folders as samples: PNG (pngjs), JPEG (jpeg-js), BMP, PNM and TIFF files decoded to RGB or grey, resized
// to the input's H×W with a bilinear (triangle) filter that widens when downscaling (antialiased,
// like PIL's BILINEAR), scaled to [0,1], normalized by a per-channel mean/std, laid out NCHW or NHWC.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { decodeRgba, MAX_IMAGE_PIXELS, Rgba } from '../runtime/kernels/image-codec';
import { DataType } from '../onnx/ir';
import { DataFileError } from './npy';
import { fixedBatch, InputSpec } from './inputs';
import { naturalSort } from './pb';

const IMAGE_EXT = /\.(png|jpe?g|bmp|p[pgn]m|tiff?)$/i;
export { MAX_IMAGE_PIXELS };

/** Image files in `dir` (and, for class-per-folder layouts, its direct subfolders), sorted. */
export function listImages(dir: string): string[] {
  const out: string[] = [];
  const entries = naturalSort(fs.readdirSync(dir));
  for (const n of entries) {
    const p = path.join(dir, n);
    let st: fs.Stats;
    try { st = fs.statSync(p); } catch { continue; }
    if (st.isFile() && IMAGE_EXT.test(n)) out.push(p);
    else if (st.isDirectory() && !n.startsWith('.')) {
      for (const m of naturalSort(fs.readdirSync(p))) if (IMAGE_EXT.test(m)) out.push(path.join(p, m));
    }
  }
  return out;
}

/** How an image input is laid out. */
export interface ImageLayout { layout: 'NCHW' | 'NHWC' | 'NHW'; channels: 1 | 3; height: number; width: number; dtype: DataType }

/** Decides layout, channels and H×W from the input's declared shape (symbolic H/W from `dims`). */
export function imageLayout(spec: InputSpec, dims: Record<string, number>, where: string): ImageLayout {
  const d = spec.dims;
  const size = (i: number): number | undefined => {
    const v = d?.[i];
    return typeof v === 'number' ? v : typeof v === 'string' ? dims[v] : undefined;
  };
  if (spec.dtype !== DataType.FLOAT && spec.dtype !== DataType.DOUBLE && spec.dtype !== DataType.FLOAT16 && spec.dtype !== DataType.UINT8) {
    throw new DataFileError(`${where}: input "${spec.name}" takes ${DataType[spec.dtype]}, images feed float or uint8 inputs`);
  }
  if (!d || (d.length !== 4 && d.length !== 3)) throw new DataFileError(`${where}: input "${spec.name}" has shape [${d?.map((x) => x ?? '?').join(',') ?? 'unknown'}]; images feed [N,C,H,W], [N,H,W,C] or [N,H,W] inputs`);
  let layout: ImageLayout['layout'];
  let c: number | undefined;
  let hAxis: number;
  if (d.length === 3) { layout = 'NHW'; c = 1; hAxis = 1; }
  else if (size(1) === 1 || size(1) === 3) { layout = 'NCHW'; c = size(1); hAxis = 2; }
  else if (size(3) === 1 || size(3) === 3) { layout = 'NHWC'; c = size(3); hAxis = 1; }
  else throw new DataFileError(`${where}: cannot tell the channel axis of input "${spec.name}" [${d.map((x) => x ?? '?').join(',')}]: images give 1 or 3 channels on axis 1 (NCHW) or 3 (NHWC); pass --dim for a symbolic channel dim`);
  const h = size(hAxis);
  const w = size(hAxis + 1);
  for (const [v, i] of [[h, hAxis], [w, hAxis + 1]] as const) {
    if (v === undefined || v < 1) throw new DataFileError(`${where}: input "${spec.name}" dimension ${i} ('${d[i] ?? '?'}') is symbolic; pass --dim ${typeof d[i] === 'string' ? d[i] : 'NAME'}=SIZE to set the image size`);
  }
  return { layout, channels: c as 1 | 3, height: h as number, width: w as number, dtype: spec.dtype };
}

/** Decodes a PNG or JPEG file; a corrupt or oversized file is a one-line error naming it. */
export function decodeImage(file: string): Rgba {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    throw new DataFileError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  try {
    return decodeRgba(bytes);
  } catch (e) {
    throw new DataFileError(`${file}: unreadable image (${String((e as Error).message ?? e).split('\n')[0]})`);
  }
}

/** Filter taps for resampling `inSize` → `outSize`: per output index, first input index and weights. */
interface Taps { start: Int32Array; count: Int32Array; weights: Float32Array; max: number }

const tapsCache = new Map<string, Taps>();

/** Triangle-filter taps; the support grows with the downscale factor so every input pixel contributes. */
function taps(inSize: number, outSize: number): Taps {
  const key = `${inSize}:${outSize}`;
  const hit = tapsCache.get(key);
  if (hit) return hit;
  const scale = inSize / outSize;
  const support = Math.max(1, scale);
  const max = Math.ceil(support) * 2 + 1;
  const start = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const weights = new Float32Array(outSize * max);
  for (let o = 0; o < outSize; o++) {
    const centre = (o + 0.5) * scale;
    const lo = Math.max(0, Math.floor(centre - support));
    const hi = Math.min(inSize, Math.ceil(centre + support));
    let total = 0;
    let k = 0;
    for (let i = lo; i < hi && k < max; i++, k++) {
      const w = Math.max(0, 1 - Math.abs((i + 0.5 - centre) / support));
      weights[o * max + k] = w;
      total += w;
    }
    for (let j = 0; j < k; j++) weights[o * max + j] /= total || 1;
    start[o] = lo;
    count[o] = k;
  }
  const t = { start, count, weights, max };
  tapsCache.set(key, t);
  return t;
}

/** Resizes RGBA bytes to `c` planes (RGB or grey luma) of h×w floats in [0,1] (planar: channel, row, column). */
export function resizeToPlanes(img: Rgba, c: 1 | 3, h: number, w: number): Float32Array {
  const { width: iw, height: ih, data } = img;
  // Source planes in [0,1].
  const src = new Float32Array(c * ih * iw);
  const n = ih * iw;
  for (let p = 0; p < n; p++) {
    const r = data[p * 4] / 255;
    const g = data[p * 4 + 1] / 255;
    const b = data[p * 4 + 2] / 255;
    if (c === 1) src[p] = 0.299 * r + 0.587 * g + 0.114 * b;
    else { src[p] = r; src[n + p] = g; src[2 * n + p] = b; }
  }
  if (ih === h && iw === w) return src;
  const tx = taps(iw, w);
  const ty = taps(ih, h);
  const mid = new Float32Array(c * ih * w);
  for (let ch = 0; ch < c; ch++) {
    for (let y = 0; y < ih; y++) {
      const row = ch * n + y * iw;
      const orow = (ch * ih + y) * w;
      for (let x = 0; x < w; x++) {
        let s = 0;
        const st = tx.start[x];
        const k = tx.count[x];
        const wo = x * tx.max;
        for (let j = 0; j < k; j++) s += src[row + st + j] * tx.weights[wo + j];
        mid[orow + x] = s;
      }
    }
  }
  const out = new Float32Array(c * h * w);
  for (let ch = 0; ch < c; ch++) {
    for (let y = 0; y < h; y++) {
      const st = ty.start[y];
      const k = ty.count[y];
      const wo = y * ty.max;
      const orow = (ch * h + y) * w;
      for (let j = 0; j < k; j++) {
        const wt = ty.weights[wo + j];
        const irow = (ch * ih + st + j) * w;
        for (let x = 0; x < w; x++) out[orow + x] += mid[irow + x] * wt;
      }
    }
  }
  return out;
}

/** Checks and expands mean/std to one value per channel (defaults: mean 0, std 1). */
export function normalization(c: number, mean: number[] | undefined, std: number[] | undefined, where: string): { mean: number[]; std: number[] } {
  const expand = (v: number[] | undefined, def: number, what: string): number[] => {
    if (!v || v.length === 0) return new Array<number>(c).fill(def);
    if (v.length !== 1 && v.length !== c) throw new DataFileError(`${where}: ${what} has ${v.length} values; give 1 or ${c} (one per channel)`);
    if (v.some((x) => !Number.isFinite(x))) throw new DataFileError(`${where}: ${what} must be finite numbers`);
    return v.length === 1 ? new Array<number>(c).fill(v[0]) : v.slice();
  };
  const m = expand(mean, 0, 'image mean');
  const s = expand(std, 1, 'image std');
  if (s.some((x) => x <= 0)) throw new DataFileError(`${where}: image std values must be > 0`);
  return { mean: m, std: s };
}

/** Writes one sample (planes from resizeToPlanes) into `out` at sample `k`, laid out for the input: normalized, or 0–255 integers for uint8 inputs. */
export function placeSample(planes: Float32Array, lay: ImageLayout, norm: { mean: number[]; std: number[] }, out: Float32Array, k: number): void {
  const { channels: c, height: h, width: w } = lay;
  const hw = h * w;
  const base = k * c * hw;
  const raw = lay.dtype === DataType.UINT8;
  for (let ch = 0; ch < c; ch++) {
    const m = norm.mean[ch];
    const s = norm.std[ch];
    for (let p = 0; p < hw; p++) {
      const v = planes[ch * hw + p];
      const x = raw ? Math.min(255, Math.max(0, Math.round(v * 255))) : (v - m) / s;
      if (lay.layout === 'NHWC') out[base + p * c + ch] = x;
      else out[base + ch * hw + p] = x;
    }
  }
}

/** Batch size forced by the input (fixed axis 0), if any. */
export function imageBatch(spec: InputSpec, dims: Record<string, number>): number | undefined {
  return fixedBatch(spec, dims);
}
