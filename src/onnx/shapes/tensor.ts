// Shape rules for tensor-manipulation ops: Reshape/Flatten/Squeeze/Unsqueeze/Transpose, Concat,
// Split, Slice, Gather*, Pad, Tile, Expand, TopK, Arg*, Reduce*, Shape/Size, constants, Range.
import { DataType, Dim } from '../ir';
import { broadcast, dimProduct, dimSum, factor, InferCtx, ints, intsFrom, isNum, normAxes, normAxis, ShapeRule, size } from './common';

const unknownRank = (c: InferCtx, dtype = c.dtype(0)) => c.set(0, dtype, undefined);

/** Reshape: 0 copies the input dim (unless allowzero), -1 is solved by cancelling factors. */
const reshape: ShapeRule = (c) => {
  const x = c.shape(0);
  const v = c.value(1);
  if (!v) {
    const s = c.shape(1);
    return c.set(0, c.dtype(0), s && s.length === 1 && isNum(s[0]) && s[0] <= 64 ? new Array<Dim>(s[0]).fill(null) : undefined);
  }
  const allowZero = c.opset >= 14 && c.int('allowzero', 0) === 1;
  const out: Dim[] = v.data.map((d, i): Dim => {
    if (d === 0 && !allowZero) return x && i < x.length ? x[i] : null;
    if (typeof d === 'number') return d === -1 ? -1 : size(d);
    return d;
  });
  const minus = out.indexOf(-1);
  if (minus >= 0) {
    out[minus] = null;
    if (x) {
      const total = factor(x);
      const known = factor(out.filter((_, i) => i !== minus));
      if (!total.unknown && !known.unknown && known.n !== 0) {
        const rest = total.syms.slice();
        let ok = true;
        for (const s of known.syms) {
          const k = rest.indexOf(s);
          if (k < 0) ok = false;
          else rest.splice(k, 1);
        }
        const n = total.n / known.n;
        if (ok && Number.isInteger(n)) out[minus] = rest.length === 0 ? size(n) : rest.length === 1 && n === 1 ? rest[0] : null;
      }
    }
  }
  c.set(0, c.dtype(0), out);
};

/** Flatten: [prod(:axis), prod(axis:)]. */
const flatten: ShapeRule = (c) => {
  const x = c.shape(0);
  if (!x) return c.set(0, c.dtype(0), [null, null]);
  let axis = c.int('axis', 1);
  if (axis < 0) axis += x.length;
  if (axis < 0 || axis > x.length) throw new Error('axis');
  c.set(0, c.dtype(0), [dimProduct(x.slice(0, axis)), dimProduct(x.slice(axis))]);
};

const squeeze: ShapeRule = (c) => {
  const x = c.shape(0);
  const axes = c.opset >= 13 ? (c.has(1) ? ints(c.value(1)) : []) : c.ints('axes') ?? [];
  if (!x || !axes) return unknownRank(c);
  if (axes.length === 0) {
    if (x.some((d) => !isNum(d))) return unknownRank(c);
    return c.set(0, c.dtype(0), x.filter((d) => d !== 1));
  }
  const a = normAxes(axes, x.length);
  if (!a) throw new Error('axes');
  c.set(0, c.dtype(0), x.filter((_, i) => !a.includes(i)));
};

const unsqueeze: ShapeRule = (c) => {
  const x = c.shape(0);
  const axes = c.opset >= 13 ? ints(c.value(1)) : c.ints('axes');
  if (!x || !axes) return unknownRank(c);
  const rank = x.length + axes.length;
  const a = normAxes(axes, rank);
  if (!a) throw new Error('axes');
  const out: Dim[] = [];
  let k = 0;
  for (let i = 0; i < rank; i++) out.push(a.includes(i) ? 1 : x[k++]);
  c.set(0, c.dtype(0), out);
};

const transpose: ShapeRule = (c) => {
  const x = c.shape(0);
  if (!x) return unknownRank(c);
  const perm = c.ints('perm') ?? x.map((_, i) => x.length - 1 - i);
  if (perm.length !== x.length || !normAxes(perm, x.length)) throw new Error('perm');
  c.set(0, c.dtype(0), perm.map((p) => x[p < 0 ? p + x.length : p]));
};

const concat: ShapeRule = (c) => {
  const shapes: Dim[][] = [];
  for (let i = 0; i < c.node.inputs.length; i++) {
    const s = c.shape(i);
    if (!s) return unknownRank(c);
    shapes.push(s);
  }
  if (shapes.length === 0) return unknownRank(c);
  const rank = shapes[0].length;
  const axis = normAxis(c.int('axis', 0), rank);
  if (axis === undefined || shapes.some((s) => s.length !== rank)) throw new Error('axis');
  const out = shapes[0].map((_, i): Dim => {
    if (i === axis) return dimSum(shapes.map((s) => s[i]));
    const known = shapes.find((s) => isNum(s[i])) ?? shapes.find((s) => s[i] !== null);
    return known ? known[i] : null;
  });
  c.set(0, c.dtype(0), out);
};

/** Split: explicit sizes (attribute or input), num_outputs (ceil chunks), or equal parts. */
const split: ShapeRule = (c) => {
  const x = c.shape(0);
  const n = c.node.outputs.length;
  const axis = x ? normAxis(c.int('axis', 0), x.length) : undefined;
  if (!x || axis === undefined) {
    for (let i = 0; i < n; i++) c.set(i, c.dtype(0), x && x.map(() => null));
    return;
  }
  const d = x[axis];
  let parts: Dim[];
  const given = c.opset >= 13 ? (c.has(1) ? ints(c.value(1)) : undefined) : c.ints('split');
  if (given) parts = given.map(size);
  else if (c.opset >= 13 && c.has(1)) parts = new Array<Dim>(n).fill(null);
  else if (c.attr('num_outputs') && isNum(d)) {
    const chunk = Math.ceil(d / n);
    parts = Array.from({ length: n }, (_, i) => size(i < n - 1 ? chunk : d - chunk * (n - 1)));
  } else parts = new Array<Dim>(n).fill(isNum(d) ? size(d / n) : n === 1 ? d : null);
  for (let i = 0; i < n; i++) c.set(i, c.dtype(0), x.map((v, j) => (j === axis ? parts[i] ?? null : v)));
};

/** Length of a numpy-style slice of a dim, or null (a full slice of a symbol keeps the symbol). */
function sliceLen(d: Dim, start: number, end: number, step: number): Dim {
  if (step === 0) throw new Error('step');
  if (!isNum(d)) return step === 1 && start === 0 && end >= 2 ** 31 - 1 ? d : null;
  if (step > 0) {
    const s = Math.min(Math.max(start < 0 ? start + d : start, 0), d);
    const e = Math.min(Math.max(end < 0 ? end + d : end, 0), d);
    return size(Math.max(0, Math.ceil((e - s) / step)));
  }
  const s = Math.min(Math.max(start < 0 ? start + d : start, 0), d - 1);
  const e = Math.min(Math.max(end < 0 ? end + d : end, -1), d - 1);
  return size(Math.max(0, Math.ceil((s - e) / -step)));
}

/** Per-axis slice parameters from attributes (opset < 10) or inputs. */
export function sliceParams(c: InferCtx, rank: number) {
  const starts = intsFrom(c, c.opset >= 10 ? 1 : 99, 'starts');
  const ends = intsFrom(c, c.opset >= 10 ? 2 : 99, 'ends');
  if (!starts || !ends || starts.length !== ends.length) return undefined;
  const axesRaw = c.opset >= 10 ? (c.has(3) ? ints(c.value(3)) : undefined) : c.ints('axes');
  if ((c.opset >= 10 && c.has(3) && !axesRaw) || (c.opset >= 10 && c.has(4) && !ints(c.value(4)))) return undefined;
  const axes = normAxes(axesRaw ?? starts.map((_, i) => i), rank);
  const steps = c.opset >= 10 && c.has(4) ? (ints(c.value(4)) as number[]) : starts.map(() => 1);
  if (!axes || axes.length !== starts.length || steps.length !== starts.length) throw new Error('slice params');
  return { starts, ends, axes, steps };
}

const slice: ShapeRule = (c) => {
  const x = c.shape(0);
  if (!x) return unknownRank(c);
  const p = sliceParams(c, x.length);
  if (!p) return c.set(0, c.dtype(0), x.map(() => null));
  const out = x.slice();
  p.axes.forEach((a, i) => (out[a] = sliceLen(x[a], p.starts[i], p.ends[i], p.steps[i])));
  c.set(0, c.dtype(0), out);
};

const gather: ShapeRule = (c) => {
  const x = c.shape(0);
  const idx = c.shape(1);
  if (!x || !idx) return unknownRank(c);
  const axis = normAxis(c.int('axis', 0), x.length);
  if (axis === undefined) throw new Error('axis');
  c.set(0, c.dtype(0), [...x.slice(0, axis), ...idx, ...x.slice(axis + 1)]);
};

const gatherND: ShapeRule = (c) => {
  const x = c.shape(0);
  const idx = c.shape(1);
  const b = c.int('batch_dims', 0);
  if (!x || !idx || idx.length === 0 || !isNum(idx[idx.length - 1])) return unknownRank(c);
  const last = idx[idx.length - 1] as number;
  c.set(0, c.dtype(0), [...idx.slice(0, -1), ...x.slice(b + last)]);
};

const pad: ShapeRule = (c) => {
  const x = c.shape(0);
  if (!x) return unknownRank(c);
  const pads = c.opset >= 11 ? ints(c.value(1)) : c.ints('pads') ?? c.ints('paddings');
  const axesIn = c.opset >= 18 && c.has(3) ? ints(c.value(3)) : undefined;
  if (!pads || (c.opset >= 18 && c.has(3) && !axesIn)) return c.set(0, c.dtype(0), x.map(() => null));
  const axes = normAxes(axesIn ?? x.map((_, i) => i), x.length);
  if (!axes || pads.length !== 2 * axes.length) throw new Error('pads');
  const out = x.slice();
  axes.forEach((a, i) => {
    const d = x[a];
    const add = pads[i] + pads[i + axes.length];
    out[a] = add === 0 ? d : isNum(d) ? size(d + add) : null;
  });
  c.set(0, c.dtype(0), out);
};

const tile: ShapeRule = (c) => {
  const x = c.shape(0);
  if (!x) return unknownRank(c);
  const reps = c.opset >= 6 ? ints(c.value(1)) : undefined;
  if (!reps || reps.length !== x.length) return c.set(0, c.dtype(0), x.map(() => null));
  c.set(0, c.dtype(0), x.map((d, i) => (reps[i] === 1 ? d : isNum(d) ? size(d * reps[i]) : null)));
};

const expand: ShapeRule = (c) => {
  const v = c.value(1);
  if (v) return c.set(0, c.dtype(0), broadcast([c.shape(0), v.data.map((d) => (typeof d === 'number' ? size(d) : d))]));
  const s = c.shape(1);
  const x = c.shape(0);
  if (!x || !s || !isNum(s[0])) return unknownRank(c);
  c.set(0, c.dtype(0), new Array<Dim>(Math.max(x.length, Math.min(s[0], 64))).fill(null));
};

const topK: ShapeRule = (c) => {
  const x = c.shape(0);
  const k = c.opset >= 10 ? ints(c.value(1))?.[0] : c.int('k', 0);
  const axis = x ? normAxis(c.int('axis', -1), x.length) : undefined;
  const out = x && axis !== undefined ? x.map((d, i) => (i === axis ? (k === undefined ? null : size(k)) : d)) : undefined;
  c.set(0, c.dtype(0), out);
  c.set(1, DataType.INT64, out);
};

const argReduce: ShapeRule = (c) => {
  const x = c.shape(0);
  const axis = x ? normAxis(c.int('axis', 0), x.length) : undefined;
  if (!x || axis === undefined) return unknownRank(c, DataType.INT64);
  const keep = c.int('keepdims', 1) === 1;
  c.set(0, DataType.INT64, keep ? x.map((d, i) => (i === axis ? 1 : d)) : x.filter((_, i) => i !== axis));
};

/** Reduce*: axes from the attribute or (ReduceSum ≥ 13, others ≥ 18) the second input. */
const reduce: ShapeRule = (c) => {
  const x = c.shape(0);
  const fromInput = c.opset >= (c.node.opType === 'ReduceSum' ? 13 : 18);
  const axes = fromInput ? (c.has(1) ? ints(c.value(1)) : []) : c.ints('axes') ?? [];
  if (!x) return unknownRank(c);
  const keep = c.int('keepdims', 1) === 1;
  if (!axes) return c.set(0, c.dtype(0), keep ? x.map(() => null) : undefined);
  if (axes.length === 0 && fromInput && c.int('noop_with_empty_axes', 0) === 1) return c.set(0, c.dtype(0), x);
  const a = axes.length === 0 ? x.map((_, i) => i) : normAxes(axes, x.length);
  if (!a) throw new Error('axes');
  c.set(0, c.dtype(0), keep ? x.map((d, i) => (a.includes(i) ? 1 : d)) : x.filter((_, i) => !a.includes(i)));
};

/** Shape's [start, end) window (opset 15). */
export function shapeWindow(c: InferCtx, rank: number): [number, number] {
  const clamp = (v: number) => Math.min(Math.max(v < 0 ? v + rank : v, 0), rank);
  return [clamp(c.int('start', 0)), clamp(c.attr('end') ? c.int('end', rank) : rank)];
}

const shape: ShapeRule = (c) => {
  const x = c.shape(0);
  if (!x) return c.set(0, DataType.INT64, [null]);
  const [s, e] = shapeWindow(c, x.length);
  c.set(0, DataType.INT64, [Math.max(0, e - s)]);
};

const constantOfShape: ShapeRule = (c) => {
  const t = c.attr('value');
  const dt = t && t.type === 'tensor' ? t.value.dataType : DataType.FLOAT;
  const v = c.value(0);
  const s = c.shape(0);
  c.set(0, dt, v ? v.data.map((d) => (typeof d === 'number' ? size(d) : d)) : s && isNum(s[0]) && s[0] <= 64 ? new Array<Dim>(s[0]).fill(null) : undefined);
};

const constant: ShapeRule = (c) => {
  const a = c.node.attributes[0];
  if (!a) return;
  switch (a.type) {
    case 'tensor': return c.set(0, a.value.dataType, a.value.dims.map(size));
    case 'sparse_tensor': return c.set(0, a.value.values.dataType, a.value.dims.map(size));
    case 'float': return c.set(0, DataType.FLOAT, []);
    case 'floats': return c.set(0, DataType.FLOAT, [a.value.length]);
    case 'int': return c.set(0, DataType.INT64, []);
    case 'ints': return c.set(0, DataType.INT64, [a.value.length]);
    case 'string': return c.set(0, DataType.STRING, []);
    case 'strings': return c.set(0, DataType.STRING, [a.value.length]);
  }
};

const range: ShapeRule = (c) => {
  const [s, l, d] = [0, 1, 2].map((i) => ints(c.value(i))?.[0]);
  const n = s === undefined || l === undefined || d === undefined || d === 0 ? null : size(Math.max(Math.ceil((l - s) / d), 0));
  c.set(0, c.dtype(0), [n]);
};

const oneHot: ShapeRule = (c) => {
  const x = c.shape(0);
  const depth = ints(c.value(1))?.[0];
  if (!x) return unknownRank(c, c.dtype(2));
  const axis = normAxis(c.int('axis', -1), x.length + 1);
  if (axis === undefined) throw new Error('axis');
  const out = x.slice();
  out.splice(axis, 0, depth === undefined ? null : size(Math.trunc(depth)));
  c.set(0, c.dtype(2), out);
};

/** Registers the tensor-manipulation rules. */
export function tensorRules(r: Record<string, ShapeRule>): void {
  r.Reshape = reshape;
  r.Flatten = flatten;
  r.Squeeze = squeeze;
  r.Unsqueeze = unsqueeze;
  r.Transpose = transpose;
  r.Concat = concat;
  r.Split = split;
  r.Slice = slice;
  r.Gather = gather;
  r.GatherElements = (c) => c.set(0, c.dtype(0), c.shape(1));
  r.GatherND = gatherND;
  r.Pad = pad;
  r.Tile = tile;
  r.Expand = expand;
  r.TopK = topK;
  r.ArgMax = argReduce;
  r.ArgMin = argReduce;
  for (const op of ['ReduceSum', 'ReduceMean', 'ReduceMax', 'ReduceMin', 'ReduceProd', 'ReduceL1', 'ReduceL2', 'ReduceLogSum', 'ReduceLogSumExp', 'ReduceSumSquare']) r[op] = reduce;
  r.Shape = shape;
  r.Size = (c) => c.set(0, DataType.INT64, []);
  r.ConstantOfShape = constantOfShape;
  r.Constant = constant;
  r.Range = range;
  r.NonZero = (c) => { const x = c.shape(0); c.set(0, DataType.INT64, [x ? x.length : null, null]); };
  r.OneHot = oneHot;
  r.Det = (c) => { const x = c.shape(0); c.set(0, c.dtype(0), x && x.length >= 2 ? x.slice(0, -2) : undefined); };
  r.Compress = (c) => {
    const x = c.shape(0);
    const axis = x && c.attr('axis') ? normAxis(c.int('axis', 0), x.length) : undefined;
    c.set(0, c.dtype(0), x && axis !== undefined ? x.map((d, i) => (i === axis ? null : d)) : [null]);
  };
  r.NonMaxSuppression = (c) => c.set(0, DataType.INT64, [null, 3]);
}
