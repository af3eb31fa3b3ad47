// Helpers shared by the control-flow ops (If, Loop, Scan): calling a body through the executor,
// reading a body's declared signature, boolean/int scalars, and slicing / stacking along an axis.

import { DataType, Graph, Node } from '../../../onnx/ir';
import { unsupported } from '../../errors';
import { RunContext } from '../../op';
import { isTensor, sizeOf, Tensor, valueKind } from '../../tensor';
import { copyBlock } from '../../kernels/strides';
import { nodeError } from '../nn/attrs';

export { need, nodeError } from '../nn/attrs';

/** The graph attribute `name` of the node, or an error naming it. */
export function graphAttr(node: Node, name: string): Graph {
  const a = node.attributes.find((x) => x.name === name);
  if (!a) throw nodeError(node, `missing required graph attribute '${name}'`);
  if (a.type !== 'graph') throw nodeError(node, `attribute '${name}' must be a graph, got ${a.type}`);
  return a.value;
}

/** Runs body `name` through the executor; refuses when the executor gave no subgraph runner. */
export function callBody(ctx: RunContext, name: string, inputs: ReadonlyArray<Tensor | undefined>): Tensor[] {
  if (!ctx.runSubgraph) throw nodeError(ctx.node, 'this executor context cannot run subgraphs');
  return ctx.runSubgraph(name, inputs);
}

/**
 * Refuses body inputs/outputs this executor cannot carry: maps and sparse tensors always; sequences
 * and optionals too unless `values` (If branches and Loop-carried values may be sequences/optionals).
 */
export function checkBodyTypes(node: Node, g: Graph, attr: string, values = false): void {
  for (const v of [...g.inputs, ...g.outputs]) {
    const k = v.type?.kind;
    if (k && k !== 'tensor' && !(values && (k === 'sequence' || k === 'optional'))) {
      throw unsupported(nodeError(node, `${attr} value "${v.name}" has ${k} type; only ${values ? 'tensor, sequence and optional' : 'tensor'} values are supported here`));
    }
  }
}

/** The truth value of a 1-element tensor (bool, or any numeric type). */
export function truth(node: Node, t: Tensor, what: string): boolean {
  if (!isTensor(t)) throw nodeError(node, `${what} must be a tensor, got a ${valueKind(t)}`);
  if (t.data.length !== 1 || Array.isArray(t.data)) throw nodeError(node, `${what} must hold exactly one boolean, got shape [${t.shape.join(',')}]`);
  const v = t.data[0];
  return typeof v === 'bigint' ? v !== 0n : v !== 0;
}

/** A bool scalar tensor. */
export function boolScalar(v: boolean): Tensor {
  return { dtype: DataType.BOOL, shape: [], data: Uint8Array.of(v ? 1 : 0) };
}

/** An int64 scalar tensor. */
export function int64Scalar(v: number): Tensor {
  return { dtype: DataType.INT64, shape: [], data: BigInt64Array.of(BigInt(v)) };
}

/** The value of a 1-element integer tensor as a number (saturating beyond 2^53). */
export function intScalar(node: Node, t: Tensor, what: string): number {
  if (!isTensor(t)) throw nodeError(node, `${what} must be a tensor, got a ${valueKind(t)}`);
  if (t.data.length !== 1 || Array.isArray(t.data)) throw nodeError(node, `${what} must be an integer scalar, got shape [${t.shape.join(',')}]`);
  const v = t.data[0];
  if (typeof v === 'bigint') return v > 9007199254740991n ? Number.MAX_SAFE_INTEGER : v < -9007199254740991n ? -Number.MAX_SAFE_INTEGER : Number(v);
  if (!Number.isInteger(v)) throw nodeError(node, `${what} must be an integer, got ${v}`);
  return v;
}

function perElem(dt: DataType): number {
  return dt === DataType.COMPLEX64 || dt === DataType.COMPLEX128 ? 2 : 1;
}

/** Slice `index` of `t` along `axis`, with that axis removed (a copy). */
export function takeSlice(ctx: RunContext, t: Tensor, axis: number, index: number): Tensor {
  const shape = [...t.shape.slice(0, axis), ...t.shape.slice(axis + 1)];
  const pe = perElem(t.dtype);
  const outer = sizeOf(t.shape.slice(0, axis));
  const inner = sizeOf(t.shape.slice(axis + 1)) * pe;
  const dim = t.shape[axis];
  const out = ctx.alloc(t.dtype, shape);
  for (let o = 0; o < outer; o++) copyBlock(out, o * inner, t.data, (o * dim + index) * inner, inner);
  return { dtype: t.dtype, shape, data: out };
}

/**
 * Stacks equally shaped tensors along a new axis `axis` (0..rank) of the result; `reverse` puts
 * the last part first. `what` names the output in errors.
 */
export function stack(ctx: RunContext, parts: readonly Tensor[], axis: number, reverse: boolean, what: string): Tensor {
  const first = parts[0];
  const n = parts.length;
  for (const p of parts) {
    if (p.dtype !== first.dtype) throw nodeError(ctx.node, `${what}: iterations produced different dtypes (${DataType[first.dtype]} and ${DataType[p.dtype]})`);
    if (p.shape.length !== first.shape.length || p.shape.some((d, i) => d !== first.shape[i])) {
      throw nodeError(ctx.node, `${what}: iterations produced different shapes ([${first.shape.join(',')}] and [${p.shape.join(',')}])`);
    }
  }
  const shape = [...first.shape.slice(0, axis), n, ...first.shape.slice(axis)];
  const pe = perElem(first.dtype);
  const outer = sizeOf(first.shape.slice(0, axis));
  const inner = sizeOf(first.shape.slice(axis)) * pe;
  const out = ctx.alloc(first.dtype, shape);
  for (let j = 0; j < n; j++) {
    const src = parts[reverse ? n - 1 - j : j].data;
    for (let o = 0; o < outer; o++) copyBlock(out, (o * n + j) * inner, src, o * inner, inner);
  }
  return { dtype: first.dtype, shape, data: out };
}

/**
 * An empty stacked output for a loop that ran zero times: needs the body output's declared dtype
 * and fully static shape, otherwise the op refuses (the shape is not knowable).
 */
export function emptyStack(ctx: RunContext, g: Graph, outIndex: number, axis: number, what: string): Tensor {
  const t = g.outputs[outIndex]?.type;
  if (t?.kind === 'tensor' && t.shape && t.shape.every((d) => typeof d === 'number')) {
    const dims = t.shape as number[];
    const a = Math.min(axis, dims.length);
    const shape = [...dims.slice(0, a), 0, ...dims.slice(a)];
    return { dtype: t.elemType, shape, data: ctx.alloc(t.elemType, shape) };
  }
  throw unsupported(nodeError(ctx.node, `${what}: zero iterations and the body does not declare a static shape for it`));
}
