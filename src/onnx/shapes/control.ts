// Shape rules for control flow: If merges its branches, Loop and Scan infer their bodies with the
// carried and sliced input types; plus a few ops whose outputs are sequences.
import { DataType, Dim, TypeInfo } from '../ir';
import { InferCtx, isNum, normAxis, ShapeRule, tensorType } from './common';

/** The type both branches agree on: equal dims stay, differing dims become unknown. */
export function joinTypes(a: TypeInfo | undefined, b: TypeInfo | undefined): TypeInfo | undefined {
  if (!a || !b) return a ?? b;
  if (a.kind !== 'tensor' || b.kind !== 'tensor') return a.kind === b.kind ? a : undefined;
  const dt = a.elemType === b.elemType ? a.elemType : DataType.UNDEFINED;
  if (!a.shape || !b.shape || a.shape.length !== b.shape.length) return tensorType(dt, undefined);
  return tensorType(dt, a.shape.map((d, i) => (d === b.shape![i] ? d : null)));
}

const ifRule: ShapeRule = (c) => {
  const t = c.subgraph('then_branch') ?? [];
  const e = c.subgraph('else_branch') ?? [];
  for (let i = 0; i < c.node.outputs.length; i++) c.setType(i, joinTypes(t[i], e[i]));
};

function withLeading(t: TypeInfo | undefined, d: Dim): TypeInfo | undefined {
  if (!t || t.kind !== 'tensor') return undefined;
  return tensorType(t.elemType || undefined, t.shape ? [d, ...t.shape] : undefined);
}

/** Loop: carried values keep what the initial value and the body agree on; scan outputs gain a leading dim. */
const loopRule: ShapeRule = (c) => {
  const nCarried = Math.max(0, c.node.inputs.length - 2);
  const initial: Array<TypeInfo | undefined> = [];
  for (let i = 0; i < nCarried; i++) initial.push(c.type(i + 2));
  const body = c.subgraph('body', [tensorType(DataType.INT64, []), tensorType(DataType.BOOL, []), ...initial]) ?? [];
  for (let i = 0; i < c.node.outputs.length; i++) {
    if (i < nCarried) c.setType(i, joinTypes(initial[i], body[i + 1]) ?? initial[i]);
    else c.setType(i, withLeading(body[i + 1], null));
  }
};

/** Scan (opset ≥ 9): states, then scan outputs stacked along scan_output_axes. */
const scanRule: ShapeRule = (c) => {
  if (c.opset < 9) return;
  const m = c.int('num_scan_inputs', 0);
  const nStates = c.node.inputs.length - m;
  const inAxes = c.ints('scan_input_axes') ?? [];
  const states: Array<TypeInfo | undefined> = [];
  for (let i = 0; i < nStates; i++) states.push(c.type(i));
  const slices: Array<TypeInfo | undefined> = [];
  let len: Dim = null;
  for (let j = 0; j < m; j++) {
    const s = c.shape(nStates + j);
    const axis = s ? normAxis(inAxes[j] ?? 0, s.length) : undefined;
    if (!s || axis === undefined) {
      slices.push(tensorType(c.dtype(nStates + j), undefined));
      continue;
    }
    if (j === 0 || !isNum(len)) len = s[axis];
    slices.push(tensorType(c.dtype(nStates + j), s.filter((_, k) => k !== axis)));
  }
  const body = c.subgraph('body', [...states, ...slices]) ?? [];
  const outAxes = c.ints('scan_output_axes') ?? [];
  for (let i = 0; i < c.node.outputs.length; i++) {
    if (i < nStates) c.setType(i, joinTypes(states[i], body[i]) ?? states[i]);
    else {
      const t = body[i];
      if (!t || t.kind !== 'tensor' || !t.shape) continue;
      const axis = normAxis(outAxes[i - nStates] ?? 0, t.shape.length + 1);
      if (axis === undefined) continue;
      const shape = t.shape.slice();
      shape.splice(axis, 0, len);
      c.set(i, t.elemType || undefined, shape);
    }
  }
};

/** A sequence of tensors of input 0's dtype (shapes vary). */
const seqOf = (c: InferCtx): void => c.setType(0, { kind: 'sequence', elem: tensorType(c.dtype(0), undefined) });

/** Registers the control-flow rules. */
export function controlRules(r: Record<string, ShapeRule>): void {
  r.If = ifRule;
  r.Loop = loopRule;
  r.Scan = scanRule;
  r.SequenceConstruct = seqOf;
  r.SplitToSequence = seqOf;
  r.SequenceInsert = (c) => c.setType(0, c.type(0));
  r.SequenceErase = (c) => c.setType(0, c.type(0));
  r.SequenceLength = (c) => c.set(0, DataType.INT64, []);
}
