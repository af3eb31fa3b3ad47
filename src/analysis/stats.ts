// Streaming per-unit statistics of one activation site, fed one batch at a time from the
// executor's observer: O(units) memory whatever the sample count, plain typed-array data that
// structured-clones to workers and merges (mergeSiteStats). One pass over each tensor.
import { DataType } from '../onnx/ir';
import { toFloat32Array } from '../onnx/dtype';
import { Tensor } from '../runtime/tensor';
import { SCAN_CHUNK, ScanKernel, scanKernel } from './stats-wasm';

/** Bins of the per-site pre-activation histogram. */
export const HIST_BINS = 32;

/** Accumulated statistics of one site. Counts are Float64Array (exact to 2^53). */
export interface SiteStats {
  units: number;
  /** Values above this count toward the mean |output| at most `cap` (Clip's max); Infinity for ReLU. */
  cap: number;
  /** Input samples seen. */
  samples: number;
  /** Positions seen per unit (every unit sees the same count): samples × spatial positions. */
  positions: number;
  /** Per unit: positions where the pre-activation was > 0 (the unit fired). */
  positives: Float64Array;
  /** Per unit: samples in which the unit fired at least once at some position. */
  firingSamples: Float64Array;
  min: Float64Array;
  max: Float64Array;
  /** Per unit: sum of the pre-activation (mean = sum / positions). */
  sum: Float64Array;
  /** Per unit: sum of |output| (the activation after the ReLU/Clip). */
  sumAbsOut: Float64Array;
  /** Per unit: index of the first sample that fired it, or -1. */
  witness: Float64Array;
  /** NaN pre-activations seen (counted as not firing). */
  nans: number;
  /** Histogram of the pre-activation over [histLo, histHi]; values outside land in the end bins. */
  histLo: number;
  histHi: number;
  hist: Float64Array;
}

/** Per-call histogram counts of observeSite, four interleaved copies so neighbouring values in one bin do not wait on each other (a batch holds fewer than 2^32 values per bin). */
const binScratch = new Uint32Array(HIST_BINS * 4);

let simdEnabled = true;

/** Turns the WebAssembly statistics kernel on or off (tests compare it with the plain loops). */
export function setStatsSimd(on: boolean): void {
  simdEnabled = on;
}

/** Fresh statistics for a site with `units` units; the histogram range is fixed by the first batch unless given. */
export function createSiteStats(units: number, opts: { cap?: number; histRange?: [number, number] } = {}): SiteStats {
  return {
    units,
    cap: opts.cap ?? Infinity,
    samples: 0,
    positions: 0,
    positives: new Float64Array(units),
    firingSamples: new Float64Array(units),
    min: new Float64Array(units).fill(Infinity),
    max: new Float64Array(units).fill(-Infinity),
    sum: new Float64Array(units),
    sumAbsOut: new Float64Array(units),
    witness: new Float64Array(units).fill(-1),
    nans: 0,
    histLo: opts.histRange ? opts.histRange[0] : NaN,
    histHi: opts.histRange ? opts.histRange[1] : NaN,
    hist: new Float64Array(HIST_BINS),
  };
}

/** Float values of a tensor (float32/float64 as is; other dtypes converted once per call). */
function floats(t: Tensor): Float32Array | Float64Array {
  if (t.data instanceof Float32Array || t.data instanceof Float64Array) {
    if (t.dtype !== DataType.COMPLEX64 && t.dtype !== DataType.COMPLEX128) return t.data;
  }
  if (t.data instanceof BigInt64Array || t.data instanceof BigUint64Array) return Float64Array.from(t.data, Number);
  if (Array.isArray(t.data)) throw new Error('string tensors cannot be analysed');
  return toFloat32Array(t.data, t.dtype);
}

/** Sets the histogram range from a first batch: its min..max, widened by half the span (at least ±1). */
function fixRange(s: SiteStats, data: Float32Array | Float64Array): void {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!(lo <= hi)) {
    lo = -1;
    hi = 1;
  }
  const pad = Math.max((hi - lo) / 2, 1e-6);
  s.histLo = Math.min(lo - pad, -1);
  s.histHi = Math.max(hi + pad, 1);
}

/**
 * The slow path for a unit whose batch held NaN (or ±Infinity summing to NaN): recomputes its
 * contribution with NaN values skipped (counted in `nans`, not firing) and takes them out of bin 0,
 * where the fast loop put them.
 */
function recountUnit(s: SiteStats, data: Float32Array | Float64Array, c: number, outer: number, inner: number, outerPerSample: number, sampleOffset: number): void {
  const stride = s.units * inner;
  let lastFired = -1;
  let nans = 0;
  for (let o = 0; o < outer; o++) {
    const smp = Math.floor(o / outerPerSample);
    const startI = o * stride + c * inner;
    for (let i = startI; i < startI + inner; i++) {
      const v = data[i];
      if (v !== v) {
        nans++;
        continue;
      }
      if (v > 0) {
        s.positives[c]++;
        s.sumAbsOut[c] += Math.min(v, s.cap);
        if (lastFired !== smp) {
          s.firingSamples[c]++;
          lastFired = smp;
        }
        if (s.witness[c] < 0) s.witness[c] = sampleOffset + smp;
      }
      if (v < s.min[c]) s.min[c] = v;
      if (v > s.max[c]) s.max[c] = v;
      s.sum[c] += v;
    }
  }
  s.nans += nans;
  s.hist[0] -= nans;
}

/** Accumulator of scanSpan: [positives, min, max, Σ v, Σ min(max(v, 0), cap)]. */
const spanAcc = new Float64Array(5);

/**
 * Adds data[start, start + len) (one unit's values at one position run) to `acc` through the
 * WebAssembly kernel, a chunk at a time; the last len mod 4 values go through the same arithmetic
 * here, their histogram counts into binScratch.
 */
function scanSpan(kern: ScanKernel, data: Float32Array, start: number, len: number, scale: number, off: number, cap: number, acc: Float64Array): void {
  const end = start + len;
  const last = HIST_BINS - 1;
  let i = start;
  while (end - i >= 4) {
    const n = Math.min(SCAN_CHUNK, (end - i) & ~3);
    kern.data.set(data.subarray(i, i + n));
    kern.scan(n, scale, off, cap);
    const r = kern.out;
    acc[0] += r[0];
    acc[1] = Math.min(acc[1], r[1]);
    acc[2] = Math.max(acc[2], r[2]);
    acc[3] += r[3];
    acc[4] += r[4];
    i += n;
  }
  for (; i < end; i++) {
    const v = data[i];
    if (v > 0) {
      acc[0]++;
      acc[4] += v < cap ? v : cap;
    }
    if (v < acc[1]) acc[1] = v;
    if (v > acc[2]) acc[2] = v;
    acc[3] += v;
    // Clamped before truncating, so huge values land in the end bin (NaN: bin 0).
    const x = v * scale + off;
    const b = x >= last ? last : x > 0 ? x | 0 : 0;
    binScratch[(b << 2) | (i & 3)]++;
  }
}

/**
 * Adds one batch. `t` holds the pre-activation (or, for fused sites, the output), `unitAxis` its
 * unit axis (negative from the end), `sampleOffset` the index of the batch's first sample and
 * `samplesInBatch` how many samples it holds (axis 0 when the unit axis is not 0).
 */
export function observeSite(s: SiteStats, t: Tensor, unitAxis: number, sampleOffset: number, samplesInBatch: number): void {
  const shape = t.shape;
  const rank = shape.length;
  const axis = unitAxis < 0 ? unitAxis + rank : unitAxis;
  if (axis < 0 || axis >= rank) throw new Error(`unit axis ${unitAxis} is out of range for a tensor of shape [${shape.join(',')}]`);
  const units = shape[axis];
  if (units !== s.units) throw new Error(`the site has ${s.units} units but a tensor of shape [${shape.join(',')}] has ${units} on axis ${axis}`);
  const data = floats(t);
  if (Number.isNaN(s.histLo)) fixRange(s, data);
  let outer = 1;
  for (let i = 0; i < axis; i++) outer *= shape[i];
  let inner = 1;
  for (let i = axis + 1; i < rank; i++) inner *= shape[i];
  // Which sample an outer index belongs to: axis 0 is the batch unless the unit axis is 0.
  const batch = axis === 0 ? 1 : Math.max(1, samplesInBatch);
  const outerPerSample = axis === 0 ? outer : Math.max(1, Math.floor(outer / batch));
  const { positives, firingSamples, min, max, sum, sumAbsOut, witness, hist, cap } = s;
  const scale = HIST_BINS / (s.histHi - s.histLo);
  const off = -s.histLo * scale;
  const last = HIST_BINS - 1;
  // What a non-positive value adds to sum |output| (0 unless a Clip's max is negative).
  const zc = Math.min(0, cap);
  const stride = units * inner;
  const nSamples = Math.ceil(outer / outerPerSample);
  // Bin counts of this batch, added to the site's histogram at the end (integer increments).
  const bins = binScratch.fill(0);
  // Float32 spans of ReLU and Clip sites go through the WebAssembly kernel (stats-wasm.ts) when there is one.
  const kern = simdEnabled && data instanceof Float32Array && cap >= 0 && inner >= 4 ? scanKernel() : null;
  if (kern) kern.hist.fill(0);
  // Unit-major: each unit's values are visited with stride arithmetic, accumulating in locals.
  // NaN skips min/max but poisons the sum (and lands in bin 0); a unit that saw one is recounted by recountUnit.
  for (let c = 0; c < units; c++) {
    let pos = 0;
    let firing = 0;
    let first = -1;
    let mn = min[c];
    let mx = max[c];
    let sm = 0;
    let so = 0;
    if (inner === 1 && outerPerSample === 1) {
      // [N, C]: one position per sample.
      const n = outer * units;
      for (let i = c; i < n; i += units) {
        const v = data[i];
        if (v > 0) {
          pos++;
          so += v < cap ? v : cap;
        } else so += zc;
        if (v < mn) mn = v;
        if (v > mx) mx = v;
        sm += v;
        // Clamped before truncating, so huge values land in the end bin (NaN: bin 0).
        const x = v * scale + off;
        const b = x >= last ? last : x > 0 ? x | 0 : 0;
        bins[(b << 2) | (i & 3)]++;
      }
      firing = pos;
      if (pos > 0 && witness[c] < 0) {
        let i = c;
        while (!(data[i] > 0)) i += units;
        first = (i - c) / units;
      }
    } else if (kern) {
      for (let smp = 0; smp < nSamples; smp++) {
        const acc = spanAcc.fill(0);
        acc[1] = mn;
        acc[2] = mx;
        const oEnd = Math.min(outer, (smp + 1) * outerPerSample);
        for (let o = smp * outerPerSample; o < oEnd; o++) scanSpan(kern, data as Float32Array, o * stride + c * inner, inner, scale, off, cap, acc);
        mn = acc[1];
        mx = acc[2];
        sm += acc[3];
        so += acc[4];
        if (acc[0] > 0) {
          pos += acc[0];
          firing++;
          if (first < 0) first = smp;
        }
      }
    } else {
      for (let smp = 0; smp < nSamples; smp++) {
        let sp = 0;
        const oEnd = Math.min(outer, (smp + 1) * outerPerSample);
        for (let o = smp * outerPerSample; o < oEnd; o++) {
          const startI = o * stride + c * inner;
          const endI = startI + inner;
          for (let i = startI; i < endI; i++) {
            const v = data[i];
            if (v > 0) {
              sp++;
              so += v < cap ? v : cap;
            } else so += zc;
            if (v < mn) mn = v;
            if (v > mx) mx = v;
            sm += v;
            // Clamped before truncating, so huge values land in the end bin (NaN: bin 0).
            const x = v * scale + off;
            const b = x >= last ? last : x > 0 ? x | 0 : 0;
            bins[(b << 2) | (i & 3)]++;
          }
        }
        if (sp > 0) {
          pos += sp;
          firing++;
          if (first < 0) first = smp;
        }
      }
    }
    if (sm !== sm || so !== so) {
      recountUnit(s, data, c, outer, inner, outerPerSample, sampleOffset);
      continue;
    }
    min[c] = mn;
    max[c] = mx;
    sum[c] += sm;
    sumAbsOut[c] += so;
    positives[c] += pos;
    firingSamples[c] += firing;
    if (first >= 0 && witness[c] < 0) witness[c] = sampleOffset + first;
  }
  for (let k = 0; k < HIST_BINS; k++) hist[k] += bins[4 * k] + bins[4 * k + 1] + bins[4 * k + 2] + bins[4 * k + 3];
  if (kern) {
    const h = kern.hist;
    for (let k = 0; k < HIST_BINS; k++) hist[k] += h[4 * k] + h[4 * k + 1] + h[4 * k + 2] + h[4 * k + 3];
  }
  s.positions += outer * inner;
  s.samples += axis === 0 ? samplesInBatch : batch;
}

/** Merges `b` into a copy of `a` (worker results); histograms on different ranges are re-binned by bin centre. */
export function mergeSiteStats(a: SiteStats, b: SiteStats): SiteStats {
  if (a.units !== b.units) throw new Error(`cannot merge statistics of ${a.units} and ${b.units} units`);
  const m = createSiteStats(a.units, { cap: a.cap, histRange: [a.histLo, a.histHi] });
  if (Number.isNaN(a.histLo)) {
    m.histLo = b.histLo;
    m.histHi = b.histHi;
  }
  m.samples = a.samples + b.samples;
  m.positions = a.positions + b.positions;
  m.nans = a.nans + b.nans;
  for (let c = 0; c < a.units; c++) {
    m.positives[c] = a.positives[c] + b.positives[c];
    m.firingSamples[c] = a.firingSamples[c] + b.firingSamples[c];
    m.min[c] = Math.min(a.min[c], b.min[c]);
    m.max[c] = Math.max(a.max[c], b.max[c]);
    m.sum[c] = a.sum[c] + b.sum[c];
    m.sumAbsOut[c] = a.sumAbsOut[c] + b.sumAbsOut[c];
    const wa = a.witness[c];
    const wb = b.witness[c];
    m.witness[c] = wa < 0 ? wb : wb < 0 ? wa : Math.min(wa, wb);
  }
  for (const src of [a, b]) {
    if (Number.isNaN(src.histLo)) continue;
    if (src.histLo === m.histLo && src.histHi === m.histHi) {
      for (let k = 0; k < HIST_BINS; k++) m.hist[k] += src.hist[k];
      continue;
    }
    const w = (src.histHi - src.histLo) / HIST_BINS;
    const scale = HIST_BINS / (m.histHi - m.histLo);
    for (let k = 0; k < HIST_BINS; k++) {
      const centre = src.histLo + (k + 0.5) * w;
      const bin = Math.min(HIST_BINS - 1, Math.max(0, Math.floor((centre - m.histLo) * scale)));
      m.hist[bin] += src.hist[k];
    }
  }
  return m;
}
