// The Reduce* family (Sum, Mean, Max, Min, Prod, L1, L2, LogSum, LogSumExp, SumSquare): axes as an
// attribute (ReduceSum before 13, the others before 18) or an input, keepdims, noop_with_empty_axes,
// and the spec's empty-set values. Non-adjacent reduced axes are transposed to the end first.

import { DataType, Node, TensorValues } from '../../../onnx/ir';
import { OpDef, RunContext } from '../../op';
import { sizeOf, Tensor } from '../../tensor';
import { emptyValue, reduce3, reduce3Big, reduce3Int32, ReduceKind } from '../../kernels/reduce';
import { transposeInto } from '../../kernels/transpose';
import { intAttr, intsAttr, need, nodeError, normAxes, readInts, view } from './common';
import { unsupported } from '../../errors';

interface ReduceAttrs { axes?: number[]; keepdims: boolean; noop: boolean }

type NumArr = Parameters<typeof reduce3>[0];

const INT_RANGE: Partial<Record<DataType, [number, number]>> = {
  [DataType.INT8]: [-128, 127], [DataType.UINT8]: [0, 255], [DataType.INT16]: [-32768, 32767],
  [DataType.UINT16]: [0, 65535], [DataType.INT32]: [-2147483648, 2147483647], [DataType.UINT32]: [0, 4294967295],
  [DataType.BOOL]: [0, 1],
};

/** Empty-set value for a dtype: ±inf for floats, the type's extreme for ints (max/min). */
function emptyFor(kind: ReduceKind, dt: DataType): number {
  const r = INT_RANGE[dt];
  if (r && kind === 'max') return r[0];
  if (r && kind === 'min') return r[1];
  return emptyValue(kind);
}

function reduceTensor(node: Node, x: Tensor, axesIn: number[] | undefined, a: ReduceAttrs, kind: ReduceKind, ctx: RunContext): Tensor {
  const r = x.shape.length;
  if ((!axesIn || axesIn.length === 0) && a.noop) return view(x, x.shape);
  const axes = !axesIn || axesIn.length === 0 ? x.shape.map((_, i) => i) : normAxes(node, axesIn, r);
  const isRed = x.shape.map((_, i) => axes.includes(i));
  const shape = a.keepdims ? x.shape.map((d, i) => (isRed[i] ? 1 : d)) : x.shape.filter((_, i) => !isRed[i]);
  const d = x.data;
  if (Array.isArray(d) || x.dtype === DataType.COMPLEX64 || x.dtype === DataType.COMPLEX128) throw nodeError(node, `${DataType[x.dtype]} inputs are not supported`);
  const big = d instanceof BigInt64Array || d instanceof BigUint64Array;
  if (big && (kind === 'l2' || kind === 'logsum' || kind === 'logsumexp')) throw unsupported(nodeError(node, `${DataType[x.dtype]} inputs are not supported by this reduction`));
  // Arrange as [outer, red, inner]: one reduced run stays in place, otherwise move reduced axes last.
  const dims = x.shape.map((dim, i) => ({ dim, red: isRed[i] })).filter((e) => e.dim !== 1);
  let runs = 0;
  dims.forEach((e, i) => { if (e.red && (i === 0 || !dims[i - 1].red)) runs++; });
  let src: TensorValues = d;
  let outer: number, red: number, inner: number;
  if (runs <= 1) {
    const first = dims.findIndex((e) => e.red);
    const lastR = dims.length - 1 - [...dims].reverse().findIndex((e) => e.red);
    outer = first < 0 ? sizeOf(dims.map((e) => e.dim)) : sizeOf(dims.slice(0, first).map((e) => e.dim));
    red = first < 0 ? 1 : sizeOf(dims.slice(first, lastR + 1).map((e) => e.dim));
    inner = first < 0 ? 1 : sizeOf(dims.slice(lastR + 1).map((e) => e.dim));
    if (x.shape.some((v, i) => v === 0 && isRed[i])) red = 0;
    if (x.shape.some((v, i) => v === 0 && !isRed[i])) outer = 0;
  } else {
    const perm = [...x.shape.keys()].filter((i) => !isRed[i]).concat(axes.slice().sort((p, q) => p - q));
    src = ctx.alloc(x.dtype, x.shape);
    transposeInto(d, src, x.shape, perm);
    outer = sizeOf(x.shape.filter((_, i) => !isRed[i]));
    red = sizeOf(axes.map((i) => x.shape[i]));
    inner = 1;
  }
  const out = ctx.alloc(x.dtype, shape);
  if (big) {
    const o = out as BigInt64Array;
    const empty = kind === 'max' ? (d instanceof BigInt64Array ? -(2n ** 63n) : 0n) : kind === 'min' ? (d instanceof BigInt64Array ? 2n ** 63n - 1n : 2n ** 64n - 1n) : 0n;
    reduce3Big(src as BigInt64Array, o, outer, red, inner, kind === 'mean' ? 'sum' : kind, empty);
    if (kind === 'mean' && red > 0) for (let i = 0; i < o.length; i++) o[i] /= BigInt(red);
  } else if (red === 0) {
    (out as Float64Array).fill(emptyFor(kind, x.dtype));
  } else if (kind === 'prod' && INT_RANGE[x.dtype] && x.dtype !== DataType.BOOL) {
    // Exact wrapped integer product (float64 would lose low bits).
    const tmp = new Int32Array(outer * inner);
    const srcI = x.dtype === DataType.INT32 || x.dtype === DataType.UINT32 ? (src as Int32Array) : Int32Array.from(src as NumArr);
    reduce3Int32(srcI, tmp, outer, red, inner, 'prod');
    if (out instanceof Uint32Array) out.set(new Uint32Array(tmp.buffer));
    else (out as Int32Array).set(tmp);
  } else {
    reduce3(src as NumArr, out as NumArr, outer, red, inner, kind);
  }
  return { dtype: x.dtype, shape, data: out };
}

function make(opType: string, kind: ReduceKind, axesInputSince: number): OpDef<ReduceAttrs>[] {
  const parseAttr = (ctx: { node: Node }): ReduceAttrs => ({
    axes: intsAttr(ctx.node, 'axes'), keepdims: intAttr(ctx.node, 'keepdims', 1) !== 0, noop: false,
  });
  return [
    {
      domain: '', opType, since: 1, parse: parseAttr,
      run(inputs, a, ctx) {
        return [reduceTensor(ctx.node, need(ctx.node, inputs, 0, 'data'), a.axes, a, kind, ctx)];
      },
    },
    {
      domain: '', opType, since: axesInputSince,
      parse(ctx) {
        return { keepdims: intAttr(ctx.node, 'keepdims', 1) !== 0, noop: intAttr(ctx.node, 'noop_with_empty_axes', 0) !== 0 };
      },
      run(inputs, a, ctx) {
        const axes = inputs[1] ? readInts(ctx.node, inputs[1], 'axes') : undefined;
        return [reduceTensor(ctx.node, need(ctx.node, inputs, 0, 'data'), axes, a, kind, ctx)];
      },
    },
  ];
}

/** Every Reduce* OpDef (attribute form from opset 1, axes-input form from 13 or 18). */
export const reduceOps: OpDef<ReduceAttrs>[] = [
  ...make('ReduceSum', 'sum', 13),
  ...make('ReduceMean', 'mean', 18),
  ...make('ReduceMax', 'max', 18),
  ...make('ReduceMin', 'min', 18),
  ...make('ReduceProd', 'prod', 18),
  ...make('ReduceL1', 'l1', 18),
  ...make('ReduceL2', 'l2', 18),
  ...make('ReduceLogSum', 'logsum', 18),
  ...make('ReduceLogSumExp', 'logsumexp', 18),
  ...make('ReduceSumSquare', 'sumsquare', 18),
];
