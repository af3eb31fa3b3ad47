// Unique: distinct elements (or distinct slices along `axis`), sorted ascending or in order of first
// occurrence, with first-occurrence indices, inverse indices and counts (all INT64).

import { DataType } from '../../../onnx/ir';
import { OpDef } from '../../op';
import { sizeOf, Tensor } from '../../tensor';
import { copyBlock } from '../../kernels/strides';
import { hasAttr, intAttr, need, noComplex, nodeError } from './common';
import { unsupported } from '../../errors';

interface UniqueAttrs { axis?: number; sorted: boolean }

type Scalar = number | bigint | string;

/** Lexicographic comparison of two slices (ascending, as numpy.unique orders them). */
function cmpSlices(a: Scalar[], b: Scalar[]): number {
  for (let i = 0; i < a.length; i++) {
    if (a[i] < b[i]) return -1;
    if (a[i] > b[i]) return 1;
  }
  return 0;
}

function int64(values: number[]): Tensor {
  const data = new BigInt64Array(values.length);
  for (let i = 0; i < values.length; i++) data[i] = BigInt(values[i]);
  return { dtype: DataType.INT64, shape: [values.length], data };
}

/** Unique (opset 11+). */
export const unique: OpDef<UniqueAttrs> = {
  domain: '', opType: 'Unique', since: 11, lowPrecision: 'native',
  parse(ctx) {
    return { axis: hasAttr(ctx.node, 'axis') ? intAttr(ctx.node, 'axis', 0) : undefined, sorted: intAttr(ctx.node, 'sorted', 1) !== 0 };
  },
  run(inputs, a, ctx) {
    const x = need(ctx.node, inputs, 0, 'X');
    noComplex(ctx.node, x);
    if (x.dtype === DataType.FLOAT16 || x.dtype === DataType.BFLOAT16) throw unsupported(nodeError(ctx.node, `${DataType[x.dtype]} inputs are not supported (bit patterns do not sort as values)`));
    const flat = a.axis === undefined;
    const shape = flat ? [sizeOf(x.shape)] : x.shape;
    const r = shape.length;
    const axis = flat ? 0 : (a.axis as number) < 0 ? (a.axis as number) + r : (a.axis as number);
    if (axis < 0 || axis >= r) throw nodeError(ctx.node, `axis ${a.axis} is out of range for rank ${r}`);
    const dim = shape[axis], outer = sizeOf(shape.slice(0, axis)), inner = sizeOf(shape.slice(axis + 1));
    const src = x.data as unknown as Scalar[];
    // Slice j along the axis, as a list of scalars, and a map key for it.
    const slices: Scalar[][] = [];
    for (let j = 0; j < dim; j++) {
      const s: Scalar[] = [];
      for (let o = 0; o < outer; o++) for (let i = 0; i < inner; i++) s.push(src[(o * dim + j) * inner + i]);
      slices.push(s);
    }
    const first = new Map<string, number>();
    const order: number[] = [];
    const inverseFirst: number[] = [];
    const counts: number[] = [];
    for (let j = 0; j < dim; j++) {
      const key = slices[j].length === 1 && typeof slices[j][0] !== 'string' ? String(slices[j][0]) : JSON.stringify(slices[j].map(String));
      let u = first.get(key);
      if (u === undefined) { u = order.length; first.set(key, u); order.push(j); counts.push(0); }
      inverseFirst.push(u);
      counts[u]++;
    }
    // Rank of each unique group in the output.
    const groups = order.map((_, u) => u);
    if (a.sorted) groups.sort((p, q) => cmpSlices(slices[order[p]], slices[order[q]]));
    const rankOf = new Array<number>(groups.length);
    groups.forEach((u, k) => { rankOf[u] = k; });
    const n = groups.length;
    const yShape = shape.slice();
    yShape[axis] = n;
    const y = ctx.alloc(x.dtype, yShape);
    for (let k = 0; k < n; k++) {
      const j = order[groups[k]];
      for (let o = 0; o < outer; o++) copyBlock(y, (o * n + k) * inner, x.data, (o * dim + j) * inner, inner);
    }
    return [
      { dtype: x.dtype, shape: yShape, data: y },
      int64(groups.map((u) => order[u])),
      int64(inverseFirst.map((u) => rankOf[u])),
      int64(groups.map((u) => counts[u])),
    ];
  },
};
