// Symbolic value propagation for small integer tensors: follows the Shape → Gather → Unsqueeze →
// Concat → Reshape chains exporters emit, with elements that are numbers, dim names or unknown.
import { Attribute, DataType, Dim, Model, OnnxTensor } from '../ir';
import { tensorValues } from '../tensor-data';
import { broadcast, dimProduct, InferCtx, ints, isNum, MAX_VALUE, normAxis, SymTensor } from './common';
import { shapeWindow, sliceParams } from './tensor';

/** A value rule computes output 0's elements from known input elements; undefined when it cannot. */
export type ValueRule = (c: InferCtx) => SymTensor | undefined;

const NUMERIC = new Set([
  DataType.INT64, DataType.INT32, DataType.INT16, DataType.INT8, DataType.UINT8, DataType.UINT16,
  DataType.UINT32, DataType.UINT64, DataType.BOOL, DataType.FLOAT, DataType.DOUBLE,
]);

/** Elements of a small numeric constant tensor (no external data is read), or undefined. */
export function readSmall(t: OnnxTensor, model: Model): SymTensor | undefined {
  if (!NUMERIC.has(t.dataType) || t.storage.kind === 'external') return undefined;
  let n = 1;
  for (const d of t.dims) {
    if (!Number.isSafeInteger(d) || d < 0) return undefined;
    n *= d;
  }
  if (n > MAX_VALUE) return undefined;
  try {
    const v = tensorValues(t, model);
    const data: Dim[] = [];
    for (let i = 0; i < n; i++) data.push(Number(v[i]));
    return { dims: t.dims.slice(), data };
  } catch {
    return undefined;
  }
}

/** Elements of a Constant node's attribute. */
export function constantValue(a: Attribute | undefined, model: Model): SymTensor | undefined {
  if (!a) return undefined;
  switch (a.type) {
    case 'tensor': return readSmall(a.value, model);
    case 'int': case 'float': return { dims: [], data: [a.value] };
    case 'ints': case 'floats': return a.value.length <= MAX_VALUE ? { dims: [a.value.length], data: a.value.slice() } : undefined;
    default: return undefined;
  }
}

/** Applies `f` elementwise with broadcasting of rank ≤ 1 operands (scalars or equal lengths). */
function zip(vals: SymTensor[], f: (xs: Dim[]) => Dim): SymTensor | undefined {
  const shape = broadcast(vals.map((v) => v.dims));
  if (!shape || !shape.every(isNum)) return undefined;
  const n = (shape as number[]).reduce((a, b) => a * b, 1);
  if (n > MAX_VALUE) return undefined;
  const data: Dim[] = [];
  for (let i = 0; i < n; i++) {
    const xs = vals.map((v) => (v.data.length === 1 ? v.data[0] : v.data.length === n ? v.data[i] : undefined));
    if (xs.includes(undefined)) return undefined;
    data.push(f(xs as Dim[]));
  }
  return { dims: shape as number[], data };
}

function inputs(c: InferCtx, count: number): SymTensor[] | undefined {
  const out: SymTensor[] = [];
  for (let i = 0; i < count; i++) {
    const v = c.value(i);
    if (!v) return undefined;
    out.push(v);
  }
  return out;
}

/** Binary arithmetic on elements: numbers compute, identities keep symbols, the rest is unknown. */
function arith(op: string): ValueRule {
  return (c) => {
    const v = inputs(c, 2);
    if (!v) return undefined;
    const isInt = c.dtype(0) !== undefined && c.dtype(0) !== DataType.FLOAT && c.dtype(0) !== DataType.DOUBLE;
    return zip(v, ([a, b]) => {
      if (typeof a === 'number' && typeof b === 'number') {
        switch (op) {
          case 'Add': return a + b;
          case 'Sub': return a - b;
          case 'Mul': return a * b;
          case 'Div': return b === 0 ? null : isInt ? Math.trunc(a / b) : a / b;
          case 'Mod': return b === 0 ? null : a - b * Math.floor(a / b);
          case 'Max': return Math.max(a, b);
          case 'Min': return Math.min(a, b);
        }
        return null;
      }
      if ((op === 'Add' && b === 0) || (op === 'Sub' && b === 0) || ((op === 'Mul' || op === 'Div') && b === 1)) return a;
      if ((op === 'Add' || op === 'Mul') && a === (op === 'Add' ? 0 : 1)) return b;
      if (op === 'Mul') return dimProduct([a, b]);
      return null;
    });
  };
}

/** Comparisons: symbols are sizes ≥ 0, so they never equal a negative number (PyTorch's -1 checks). */
function compare(op: string): ValueRule {
  return (c) => {
    const v = inputs(c, 2);
    if (!v) return undefined;
    return zip(v, ([a, b]) => {
      if (typeof a === 'number' && typeof b === 'number') {
        const r = op === 'Equal' ? a === b : op === 'Less' ? a < b : op === 'Greater' ? a > b : op === 'LessOrEqual' ? a <= b : a >= b;
        return r ? 1 : 0;
      }
      if (op === 'Equal' && a !== null && b !== null && a === b) return 1;
      if (op === 'Equal' && ((typeof a === 'number' && a < 0) || (typeof b === 'number' && b < 0))) return 0;
      return null;
    });
  };
}

/** Output 0 holds input 0's elements under the output's (known) shape. */
const passThrough: ValueRule = (c) => {
  const v = c.value(0);
  const t = c.node.outputs[0];
  if (!v || !t) return undefined;
  return { dims: v.data.length === 1 ? [] : [v.data.length], data: v.data };
};

const castValue: ValueRule = (c) => {
  const v = c.value(0);
  if (!v) return undefined;
  const to = c.int('to', 0);
  const toInt = to !== DataType.FLOAT && to !== DataType.DOUBLE && to !== DataType.FLOAT16;
  return { dims: v.dims, data: v.data.map((d) => (typeof d === 'number' ? (to === DataType.BOOL ? (d ? 1 : 0) : toInt ? Math.trunc(d) : d) : d)) };
};

const shapeValue: ValueRule = (c) => {
  const x = c.shape(0);
  if (!x) return undefined;
  const [s, e] = shapeWindow(c, x.length);
  const data = x.slice(s, Math.max(s, e));
  return { dims: [data.length], data };
};

const gatherValue: ValueRule = (c) => {
  const [x, idx] = [c.value(0), ints(c.value(1))];
  if (!x || !idx || x.dims.length !== 1 || normAxis(c.int('axis', 0), 1) !== 0) return undefined;
  const n = x.data.length;
  const data: Dim[] = [];
  for (const i of idx) {
    const k = i < 0 ? i + n : i;
    if (k < 0 || k >= n) return undefined;
    data.push(x.data[k]);
  }
  return { dims: c.value(1)!.dims, data };
};

const concatValue: ValueRule = (c) => {
  const data: Dim[] = [];
  for (let i = 0; i < c.node.inputs.length; i++) {
    const v = c.value(i);
    if (!v || v.dims.length !== 1) return undefined;
    data.push(...v.data);
  }
  return data.length <= MAX_VALUE ? { dims: [data.length], data } : undefined;
};

const sliceValue: ValueRule = (c) => {
  const v = c.value(0);
  if (!v || v.dims.length !== 1) return undefined;
  const p = sliceParams(c, 1);
  if (!p || p.axes.length !== 1) return undefined;
  const n = v.data.length;
  const step = p.steps[0];
  const data: Dim[] = [];
  const clamp = (x: number, lo: number, hi: number) => Math.min(Math.max(x < 0 ? x + n : x, lo), hi);
  if (step > 0) for (let i = clamp(p.starts[0], 0, n); i < clamp(p.ends[0], 0, n); i += step) data.push(v.data[i]);
  else if (step < 0) for (let i = clamp(p.starts[0], 0, n - 1); i > clamp(p.ends[0], -1, n - 1); i += step) data.push(v.data[i]);
  else return undefined;
  return { dims: [data.length], data };
};

const whereValue: ValueRule = (c) => {
  const v = inputs(c, 3);
  return v && zip(v, ([k, a, b]) => (typeof k === 'number' ? (k ? a : b) : null));
};

const constantOfShapeValue: ValueRule = (c) => {
  const s = ints(c.value(0));
  if (!s || s.some((d) => d < 0)) return undefined;
  const n = s.reduce((a, b) => a * b, 1);
  const fill = c.attr('value');
  const f = fill && fill.type === 'tensor' ? constantValue(fill, c.model)?.data[0] : 0;
  if (n > MAX_VALUE || f === undefined) return undefined;
  return { dims: s, data: new Array<Dim>(n).fill(f) };
};

const rangeValue: ValueRule = (c) => {
  const [s, l, d] = [0, 1, 2].map((i) => ints(c.value(i))?.[0]);
  if (s === undefined || l === undefined || d === undefined || d === 0) return undefined;
  const n = Math.max(Math.ceil((l - s) / d), 0);
  if (n > MAX_VALUE) return undefined;
  return { dims: [n], data: Array.from({ length: n }, (_, i) => s + i * d) };
};

const unary = (f: (x: number) => number): ValueRule => (c) => {
  const v = c.value(0);
  return v && { dims: v.dims, data: v.data.map((d) => (typeof d === 'number' ? f(d) : null)) };
};

/** The value rules by op type (default domain). */
export function valueRules(): Record<string, ValueRule> {
  const r: Record<string, ValueRule> = {};
  for (const op of ['Add', 'Sub', 'Mul', 'Div', 'Mod', 'Max', 'Min']) r[op] = arith(op);
  for (const op of ['Equal', 'Less', 'Greater', 'LessOrEqual', 'GreaterOrEqual']) r[op] = compare(op);
  for (const op of ['Identity', 'Squeeze', 'Unsqueeze', 'Reshape', 'Flatten']) r[op] = passThrough;
  r.Cast = castValue;
  r.Shape = shapeValue;
  r.Size = (c) => { const x = c.shape(0); return x ? { dims: [], data: [dimProduct(x)] } : undefined; };
  r.Gather = gatherValue;
  r.Concat = concatValue;
  r.Slice = sliceValue;
  r.Where = whereValue;
  r.ConstantOfShape = constantOfShapeValue;
  r.Range = rangeValue;
  r.Neg = unary((x) => -x);
  r.Abs = unary(Math.abs);
  r.Floor = unary(Math.floor);
  r.Ceil = unary(Math.ceil);
  r.Not = unary((x) => (x ? 0 : 1));
  return r;
}
