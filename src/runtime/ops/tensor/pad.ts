// Pad: constant / reflect / edge / wrap padding; negative pads crop first (as numpy-based reference
// does). Per-axis source-index tables; the unpadded middle of each row is block-copied.

import { DataType, Node, TensorValues } from '../../../onnx/ir';
import { OpDef } from '../../op';
import { Tensor, sizeOf } from '../../tensor';
import { Elems, copyBlock, fillBlock, stridesOf } from '../../kernels/strides';
import { floatAttr, intsAttr, need, noComplex, nodeError, normAxes, readInts, shapeStr, stringAttr } from './common';

type Mode = 'constant' | 'reflect' | 'edge' | 'wrap';
interface PadAttrs { mode: Mode; pads?: number[]; value: number }

/** Source index along one axis for each output position (−1 = constant fill). */
function axisTable(node: Node, dim: number, pb: number, pe: number, mode: Mode): Int32Array {
  const lo = Math.max(0, -pb);
  const D = dim - lo - Math.max(0, -pe);
  const p0 = Math.max(0, pb);
  const n = D + p0 + Math.max(0, pe);
  if (D < 0 || n < 0) throw nodeError(node, `pads (${pb}, ${pe}) crop more than the axis size ${dim}`);
  const t = new Int32Array(n);
  if (D === 0 && mode !== 'constant' && n > 0) throw nodeError(node, `${mode} padding needs a non-empty axis`);
  for (let o = 0; o < n; o++) {
    const j = o - p0;
    if (j >= 0 && j < D) { t[o] = lo + j; continue; }
    if (mode === 'constant') t[o] = -1;
    else if (mode === 'edge') t[o] = lo + (j < 0 ? 0 : D - 1);
    else if (mode === 'wrap') t[o] = lo + (((j % D) + D) % D);
    else if (D === 1) t[o] = lo;
    else {
      const period = 2 * (D - 1);
      let m = ((j % period) + period) % period;
      if (m >= D) m = period - m;
      t[o] = lo + m;
    }
  }
  return t;
}

function padValue(x: Tensor, v: number, cv: Tensor | undefined): unknown {
  if (cv) return cv.data[0];
  if (x.data instanceof BigInt64Array || x.data instanceof BigUint64Array) return BigInt(Math.trunc(v));
  if (Array.isArray(x.data)) return '';
  return v;
}

/** Pads x by `pads` ([begins..., ends...] over `axes`) in the given mode. */
function pad(node: Node, x: Tensor, padsIn: number[], axesIn: number[] | undefined, mode: Mode, fill: unknown, alloc: (d: DataType, s: number[]) => TensorValues): Tensor {
  noComplex(node, x);
  const r = x.shape.length;
  const axes = axesIn ? normAxes(node, axesIn, r) : x.shape.map((_, i) => i);
  if (padsIn.length !== 2 * axes.length) throw nodeError(node, `pads has ${padsIn.length} entries; expected ${2 * axes.length} for input ${shapeStr(x.shape)}`);
  const pb = new Array<number>(r).fill(0), pe = new Array<number>(r).fill(0);
  axes.forEach((a, i) => { pb[a] = padsIn[i]; pe[a] = padsIn[i + axes.length]; });
  const tables = x.shape.map((d, a) => axisTable(node, d, pb[a], pe[a], mode));
  const shape = tables.map((t) => t.length);
  const out = alloc(x.dtype, shape);
  const total = out.length;
  if (total === 0) return { dtype: x.dtype, shape, data: out };
  if (r === 0) { copyBlock(out, 0, x.data, 0, 1); return { dtype: x.dtype, shape, data: out }; }
  const xs = stridesOf(x.shape);
  const last = r - 1, inner = shape[last], tl = tables[last];
  // Contiguous middle run of the innermost axis.
  const p0 = Math.max(0, pb[last]), D = x.shape[last] - Math.max(0, -pb[last]) - Math.max(0, -pe[last]);
  const s = x.data as Elems, d = out as Elems;
  const idx = new Array<number>(r).fill(0);
  const rows = sizeOf(shape.slice(0, last));
  for (let row = 0; row < rows; row++) {
    const o = row * inner;
    let base = 0, constRow = false;
    for (let a = 0; a < last; a++) {
      const si = tables[a][idx[a]];
      if (si < 0) { constRow = true; break; }
      base += si * xs[a];
    }
    if (constRow) fillBlock(out, o, inner, fill);
    else {
      for (let k = 0; k < p0; k++) d[o + k] = tl[k] < 0 ? fill : s[base + tl[k]];
      copyBlock(out, o + p0, x.data, base + tl[p0] , D > 0 ? D : 0);
      for (let k = p0 + D; k < inner; k++) d[o + k] = tl[k] < 0 ? fill : s[base + tl[k]];
    }
    for (let a = last - 1; a >= 0; a--) {
      if (++idx[a] < shape[a]) break;
      idx[a] = 0;
    }
  }
  return { dtype: x.dtype, shape, data: out };
}

function parseMode(node: Node): Mode {
  const m = stringAttr(node, 'mode', 'constant');
  if (m !== 'constant' && m !== 'reflect' && m !== 'edge' && m !== 'wrap') throw nodeError(node, `mode '${m}' is not supported (constant, reflect, edge, wrap)`);
  return m;
}

/** Pad opset 1–10: pads (opset 1: paddings) and value attributes. */
export const pad1: OpDef<PadAttrs> = {
  domain: '', opType: 'Pad', since: 1, lowPrecision: 'native',
  parse(ctx) {
    const mode = parseMode(ctx.node);
    if (mode === 'wrap') throw nodeError(ctx.node, `mode 'wrap' needs opset 19`);
    const pads = intsAttr(ctx.node, ctx.opset < 2 ? 'paddings' : 'pads');
    if (!pads) throw nodeError(ctx.node, "missing attribute 'pads'");
    return { mode, pads, value: floatAttr(ctx.node, 'value', 0) };
  },
  run(inputs, a, ctx) {
    const x = need(ctx.node, inputs, 0, 'data');
    return [pad(ctx.node, x, a.pads as number[], undefined, a.mode, padValue(x, a.value, undefined), ctx.alloc)];
  },
};

/** Pad opset 11+: pads, constant_value and (18+) axes inputs; wrap mode from 19. */
export const pad11: OpDef<PadAttrs> = {
  domain: '', opType: 'Pad', since: 11, lowPrecision: 'native',
  parse(ctx) {
    const mode = parseMode(ctx.node);
    if (mode === 'wrap' && ctx.opset < 19) throw nodeError(ctx.node, `mode 'wrap' needs opset 19`);
    return { mode, value: 0 };
  },
  run(inputs, a, ctx) {
    const n = ctx.node;
    const x = need(n, inputs, 0, 'data');
    const pads = readInts(n, need(n, inputs, 1, 'pads'), 'pads');
    const cv = inputs[2] && inputs[2].data.length > 0 ? inputs[2] : undefined;
    if (cv && cv.dtype !== x.dtype) throw nodeError(n, 'constant_value must have the data dtype');
    const axes = ctx.opset >= 18 && inputs[3] ? readInts(n, inputs[3], 'axes') : undefined;
    return [pad(n, x, pads, axes, a.mode, padValue(x, 0, cv), ctx.alloc)];
  },
};
