// Shared pieces of shape inference: the per-node context each op rule reads and writes, and the
// dimension algebra (broadcasting, products, axis normalization) over symbolic dims.
import { Attribute, DataType, Dim, Model, Node, TypeInfo } from '../ir';

/** Largest small constant (element count) whose values shape inference tracks. */
export const MAX_VALUE = 1024;

/**
 * A small tensor whose elements are known, at least partly: numbers, symbolic dims (from Shape)
 * or null. Used to follow Shape → Gather → Concat → Reshape chains without materializing data.
 */
export interface SymTensor {
  dims: number[];
  data: Dim[];
}

/** What an op rule sees of one node: its input types and values, attributes, and output setters. */
export interface InferCtx {
  node: Node;
  model: Model;
  /** Opset version of the node's domain (0 when not imported). */
  opset: number;
  /** Whether input `i` is given (present and not the empty name). */
  has(i: number): boolean;
  type(i: number): TypeInfo | undefined;
  /** Element type of tensor input `i`, or undefined. */
  dtype(i: number): DataType | undefined;
  /** Shape of tensor input `i`; undefined when its rank is unknown. */
  shape(i: number): Dim[] | undefined;
  /** Known (possibly symbolic) elements of input `i`. */
  value(i: number): SymTensor | undefined;
  attr(name: string): Attribute | undefined;
  int(name: string, def: number): number;
  ints(name: string): number[] | undefined;
  float(name: string, def: number): number;
  str(name: string, def: string): string;
  /** Sets output `i` as a tensor of `dtype` (unknown dtype when undefined) and `shape`. */
  set(i: number, dtype: DataType | undefined, shape: Dim[] | undefined): void;
  setType(i: number, t: TypeInfo | undefined): void;
  setValue(i: number, v: SymTensor): void;
  /** Infers the graph attribute `name` with the given formal input types; returns its output types. */
  subgraph(name: string, inputs?: Array<TypeInfo | undefined>): Array<TypeInfo | undefined> | undefined;
  /** Output types of a call to a model-local function, when this node is one. */
  callFunction(): Array<TypeInfo | undefined> | undefined;
}

/** One op's shape rule. Throwing is allowed: the driver then leaves the outputs unknown. */
export type ShapeRule = (c: InferCtx) => void;

/** A known, valid dimension size. */
export function isNum(d: Dim | undefined): d is number {
  return typeof d === 'number';
}

/** Cleans a declared dim: negative, fractional or unsafe sizes become unknown. */
export function cleanDim(d: Dim): Dim {
  if (typeof d === 'number') return Number.isSafeInteger(d) && d >= 0 ? d : null;
  return d === '' ? null : d;
}

/** A result size: unsafe or negative numbers become unknown. */
export function size(n: number): Dim {
  return Number.isSafeInteger(n) && n >= 0 ? n : null;
}

/** Normalizes a possibly negative axis against `rank`; undefined when out of range. */
export function normAxis(axis: number, rank: number): number | undefined {
  const a = axis < 0 ? axis + rank : axis;
  return Number.isInteger(a) && a >= 0 && a < rank ? a : undefined;
}

/** Normalizes a list of axes; undefined when any is out of range or repeated. */
export function normAxes(axes: readonly number[], rank: number): number[] | undefined {
  const out: number[] = [];
  for (const x of axes) {
    const a = normAxis(x, rank);
    if (a === undefined || out.includes(a)) return undefined;
    out.push(a);
  }
  return out;
}

/** The broadcast of two dims (numpy rules; equal symbols broadcast, 1 broadcasts). */
export function broadcastDim(a: Dim, b: Dim): Dim {
  if (a === 1) return b;
  if (b === 1) return a;
  if (a === b) return a;
  if (isNum(a) && isNum(b)) return null; // incompatible sizes: the model is invalid here
  if (isNum(a)) return a; // a symbol meeting a size > 1 must be that size (or 1)
  if (isNum(b)) return b;
  return null;
}

/** Numpy broadcast of several shapes; undefined when any rank is unknown. */
export function broadcast(shapes: Array<Dim[] | undefined>): Dim[] | undefined {
  let rank = 0;
  for (const s of shapes) {
    if (!s) return undefined;
    rank = Math.max(rank, s.length);
  }
  const out: Dim[] = new Array<Dim>(rank).fill(1);
  for (const s of shapes as Dim[][]) {
    const off = rank - s.length;
    for (let i = 0; i < s.length; i++) out[off + i] = broadcastDim(out[off + i], s[i]);
  }
  return out;
}

/** Symbolic product: numbers multiply; one symbol times 1 stays that symbol; otherwise unknown. */
export function dimProduct(dims: readonly Dim[]): Dim {
  let n = 1;
  let sym: string | undefined;
  let unknown = false;
  for (const d of dims) {
    if (d === 0) return 0;
    if (isNum(d)) n *= d;
    else if (d === null || sym !== undefined) unknown = true;
    else sym = d;
  }
  if (unknown) return null;
  if (sym !== undefined) return n === 1 ? sym : null;
  return size(n);
}

/** Counts symbols and the numeric factor of a product, for cancelling in Reshape's -1. */
export function factor(dims: readonly Dim[]): { n: number; syms: string[]; unknown: boolean } {
  let n = 1;
  const syms: string[] = [];
  let unknown = false;
  for (const d of dims) {
    if (isNum(d)) n *= d;
    else if (d === null) unknown = true;
    else syms.push(d);
  }
  return { n, syms, unknown };
}

/** Sum of dims: numbers add; a symbol plus 0 stays the symbol; otherwise unknown. */
export function dimSum(dims: readonly Dim[]): Dim {
  let n = 0;
  let other: Dim | undefined;
  for (const d of dims) {
    if (isNum(d)) n += d;
    else if (other !== undefined) return null;
    else other = d;
  }
  if (other !== undefined) return n === 0 ? other : null;
  return size(n);
}

/** Merges an inferred dim with a declared one: a known size wins, then a symbol. */
export function mergeDim(inferred: Dim, declared: Dim): Dim {
  if (isNum(inferred)) return inferred;
  if (isNum(declared)) return declared;
  return inferred ?? declared;
}

/** A tensor TypeInfo. */
export function tensorType(dtype: DataType | undefined, shape: Dim[] | undefined): TypeInfo {
  return shape === undefined
    ? { kind: 'tensor', elemType: dtype ?? DataType.UNDEFINED }
    : { kind: 'tensor', elemType: dtype ?? DataType.UNDEFINED, shape };
}

/** The elements of a known value when all are numbers (may be negative: values, not dims). */
export function ints(v: SymTensor | undefined): number[] | undefined {
  if (!v) return undefined;
  for (const d of v.data) if (typeof d !== 'number') return undefined;
  return v.data as number[];
}

/** Known 1-D (or scalar) integer list from an input or, for old opsets, an attribute. */
export function intsFrom(c: InferCtx, input: number, attrName: string): number[] | undefined {
  if (c.has(input)) return ints(c.value(input));
  return c.ints(attrName);
}
