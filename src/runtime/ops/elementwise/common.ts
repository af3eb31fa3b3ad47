// Shared plumbing of the elementwise ops: storage types, dtype sets, input checks, and the
// factories that turn a set of tight loops into OpDefs (unary, binary with broadcasting, variadic).
// Kernels stay in the op files; this file only dispatches on dtype and shape, once per call.
import { DataType, Node } from '../../../onnx/ir';
import { dtypeName } from '../../../onnx/dtype';
import { attrInt, findAttr, nodeLabel } from '../../../onnx/attrs';
import { OpDef, PlanContext, RunContext } from '../../op';
import { Tensor } from '../../tensor';
import { BinaryLoops, broadcastShapes, fmt, planRows, runBinary, sameShape } from '../../kernels/broadcast';

/** Storage of the number-valued dtypes (floats after widening, 8–32-bit ints, bool). */
export type NumArr = Float32Array | Float64Array | Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array;
/** Storage of int64 / uint64. */
export type BigArr = BigInt64Array | BigUint64Array;

const D = DataType;
/** Float dtypes an op sees (float16/bfloat16/float8 arrive widened to float32). */
export const FLOATS: readonly DataType[] = [D.FLOAT, D.DOUBLE];
/** Signed integer dtypes. */
export const SIGNED: readonly DataType[] = [D.INT8, D.INT16, D.INT32, D.INT64];
/** Unsigned integer dtypes. */
export const UNSIGNED: readonly DataType[] = [D.UINT8, D.UINT16, D.UINT32, D.UINT64];
/** Every integer dtype. */
export const INTS: readonly DataType[] = [...SIGNED, ...UNSIGNED];
/** Every real numeric dtype. */
export const NUMERIC: readonly DataType[] = [...FLOATS, ...INTS];
/** Floats and signed ints. */
export const SIGNED_NUMERIC: readonly DataType[] = [...FLOATS, ...SIGNED];

/** True for int64 / uint64 (BigInt storage). */
export function isBig(dt: DataType): boolean {
  return dt === D.INT64 || dt === D.UINT64;
}

/** `Sqrt node 'n': ` prefix for errors. */
export function where(node: Node): string {
  return `${nodeLabel(node)}: `;
}

/** Input `i`, which must be present. */
export function input(ctx: RunContext, inputs: ReadonlyArray<Tensor | undefined>, i: number): Tensor {
  const t = inputs[i];
  if (!t) throw new Error(`${where(ctx.node)}input ${i} is missing; fix the model`);
  return t;
}

/** Throws unless `dt` is one of `types`. */
export function checkType(ctx: RunContext, dt: DataType, types: readonly DataType[], what = 'input'): void {
  if (!types.includes(dt)) {
    throw new Error(`${where(ctx.node)}${what} type ${dtypeName(dt)} is not supported (allowed: ${types.map(dtypeName).join(', ')}); fix the model`);
  }
}

/** Throws unless every given tensor has the dtype of the first. */
export function checkSameType(ctx: RunContext, ts: readonly Tensor[]): void {
  for (let i = 1; i < ts.length; i++) {
    if (ts[i].dtype !== ts[0].dtype) {
      throw new Error(`${where(ctx.node)}inputs must share one type, but input 0 is ${dtypeName(ts[0].dtype)} and input ${i} is ${dtypeName(ts[i].dtype)}; fix the model`);
    }
  }
}

/** Makes one OpDef per `since` from the same behaviour (versions that differ only in types). */
export function versions<A>(def: Omit<OpDef<A>, 'since'>, sinces: readonly number[]): OpDef<A>[] {
  return sinces.map((since) => ({ ...def, since }));
}

/** A float attribute as written in the model (float attributes are float32 values). */
export function floatAttr(node: Node, name: string, def: number): number {
  const a = findAttr(node, name);
  if (!a) return def;
  if (a.type !== 'float' && a.type !== 'int') throw new Error(`${where(node)}attribute '${name}' must be a float, but is ${a.type}; fix the model`);
  return a.value;
}

// ---- unary -------------------------------------------------------------------------------

/** The loops of a unary op: one over number storage, optionally one over BigInt storage. */
export interface UnaryLoops<A> {
  num(x: NumArr, y: NumArr, n: number, attrs: A): void;
  big?(x: BigArr, y: BigArr, n: number, attrs: A): void;
}

/** Describes a unary op whose output has the input's shape and dtype (or bool). */
export interface UnarySpec<A> {
  opType: string;
  sinces: readonly number[];
  types: readonly DataType[];
  loops: UnaryLoops<A>;
  /** Output dtype: the input's (default) or bool. */
  bool?: boolean;
  parse?(ctx: PlanContext): A;
}

/** OpDefs of a unary elementwise op. */
export function unaryOp<A = undefined>(spec: UnarySpec<A>): OpDef<A>[] {
  const { loops } = spec;
  return versions<A>(
    {
      domain: '',
      opType: spec.opType,
      parse: spec.parse ?? (() => undefined as A),
      run(inputs, attrs, ctx) {
        const x = input(ctx, inputs, 0);
        checkType(ctx, x.dtype, spec.types);
        const outType = spec.bool ? D.BOOL : x.dtype;
        const y = ctx.alloc(outType, x.shape);
        const n = y.length;
        if (isBig(x.dtype)) {
          if (!loops.big) throw new Error(`${where(ctx.node)}${dtypeName(x.dtype)} input is not supported; fix the model`);
          loops.big(x.data as BigArr, y as BigArr, n, attrs);
        } else {
          loops.num(x.data as NumArr, y as NumArr, n, attrs);
        }
        return [{ dtype: outType, shape: x.shape.slice(), data: y }];
      },
    },
    spec.sinces,
  );
}

// ---- binary ------------------------------------------------------------------------------

/** Loops over any storage: the dispatcher casts the arrays to the kind the loops were written for. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyLoops = BinaryLoops<any, any, any>;

/** Describes a binary op with numpy broadcasting. */
export interface BinarySpec {
  opType: string;
  sinces: readonly number[];
  types: readonly DataType[];
  /** Loops over number storage (floats and ints up to 32 bits). */
  num: AnyLoops;
  /** Loops for INT32/UINT32 when they need exact 32-bit arithmetic (Mul, Pow). */
  int32?: AnyLoops;
  /** Loops for FLOAT/DOUBLE when floats differ from ints (Mod). */
  float?: AnyLoops;
  /** Loops over BigInt storage. */
  big?: AnyLoops;
  /** Loops over string storage (Equal). */
  str?: AnyLoops;
  /** Loops over bool storage when bools need normalizing (Equal). */
  boolIn?: AnyLoops;
  /** The output is bool (comparisons). */
  bool?: boolean;
  /** Below this opset the op has the legacy `broadcast`/`axis` attributes (7 for Add, Pow, Equal, ...). */
  legacyBelow?: number;
}

/** Parsed legacy broadcast attributes (opset < 7). */
export interface LegacyBroadcast {
  legacy: boolean;
  broadcast: number;
  axis: number | undefined;
}

/** Reads the legacy `broadcast`/`axis` attributes when the node's opset predates numpy broadcasting. */
export function parseLegacy(ctx: PlanContext, below: number | undefined): LegacyBroadcast {
  if (below === undefined || ctx.opset >= below) return { legacy: false, broadcast: 0, axis: undefined };
  const axisAttr = findAttr(ctx.node, 'axis');
  return { legacy: true, broadcast: attrInt(ctx.node, 'broadcast', 0), axis: axisAttr ? attrInt(ctx.node, 'axis') : undefined };
}

/**
 * The shape B takes under legacy (opset < 7) broadcasting: B's dims aligned to A's at `axis`
 * (suffix-aligned when absent). Throws when B does not fit A.
 */
export function legacyShape(node: Node, lb: LegacyBroadcast, a: readonly number[], b: readonly number[]): readonly number[] {
  if (!lb.broadcast) {
    if (!sameShape(a, b)) throw new Error(`${where(node)}shapes ${fmt(a)} and ${fmt(b)} differ and the legacy 'broadcast' attribute is 0; set broadcast=1 or upgrade the model to opset 7+`);
    return b;
  }
  if (lb.axis === undefined) {
    if (b.length > a.length) throw new Error(`${where(node)}legacy broadcast of ${fmt(b)} onto ${fmt(a)} does not fit; fix the model`);
    return b; // suffix-aligned: numpy broadcasting, checked against A's shape by the caller
  }
  const axis = lb.axis < 0 ? lb.axis + a.length : lb.axis;
  let ok = axis >= 0 && axis + b.length <= a.length;
  for (let i = 0; ok && i < b.length; i++) if (b[i] !== 1 && b[i] !== a[axis + i]) ok = false;
  if (!ok) throw new Error(`${where(node)}legacy broadcast of ${fmt(b)} onto ${fmt(a)} at axis ${axis} does not fit; fix the model`);
  const shaped = [...b, ...new Array<number>(a.length - axis - b.length).fill(1)];
  return shaped;
}

/** Picks the loops for a dtype, or throws. */
export function pickLoops(ctx: RunContext, spec: BinarySpec, dt: DataType): AnyLoops {
  let l: AnyLoops | undefined;
  if (isBig(dt)) l = spec.big;
  else if (dt === D.STRING) l = spec.str;
  else if (dt === D.BOOL && spec.boolIn) l = spec.boolIn;
  else if ((dt === D.INT32 || dt === D.UINT32) && spec.int32) l = spec.int32;
  else if ((dt === D.FLOAT || dt === D.DOUBLE) && spec.float) l = spec.float;
  else l = spec.num;
  if (!l) throw new Error(`${where(ctx.node)}${dtypeName(dt)} inputs are not supported; fix the model`);
  return l;
}

/** Computes `loops` over two tensors with numpy broadcasting into a new tensor of `outType`. */
export function broadcastBinary(ctx: RunContext, loops: AnyLoops, a: Tensor, b: Tensor, outType: DataType, bShape: readonly number[] = b.shape): Tensor {
  let outShape: number[];
  try {
    outShape = broadcastShapes([a.shape, bShape]);
  } catch (e) {
    throw new Error(`${where(ctx.node)}${(e as Error).message}; fix the model`);
  }
  const y = ctx.alloc(outType, outShape);
  runBinary(loops, a.data, b.data, y, planRows(outShape, [a.shape, bShape]));
  return { dtype: outType, shape: outShape, data: y };
}

/** OpDefs of a binary op with broadcasting (numpy from opset 7, legacy attributes before). */
export function binaryOp(spec: BinarySpec): OpDef<LegacyBroadcast>[] {
  return versions<LegacyBroadcast>(
    {
      domain: '',
      opType: spec.opType,
      parse: (ctx) => parseLegacy(ctx, spec.legacyBelow),
      run(inputs, lb, ctx) {
        const a = input(ctx, inputs, 0);
        const b = input(ctx, inputs, 1);
        checkSameType(ctx, [a, b]);
        checkType(ctx, a.dtype, spec.types);
        const loops = pickLoops(ctx, spec, a.dtype);
        const bShape = lb.legacy ? legacyShape(ctx.node, lb, a.shape, b.shape) : b.shape;
        const out = broadcastBinary(ctx, loops, a, b, spec.bool ? D.BOOL : a.dtype, bShape);
        if (lb.legacy && !sameShape(out.shape, a.shape)) throw new Error(`${where(ctx.node)}legacy broadcast must keep A's shape ${fmt(a.shape)}; fix the model`);
        return [out];
      },
    },
    spec.sinces,
  );
}
