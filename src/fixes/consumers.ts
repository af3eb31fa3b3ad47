// The outgoing side of a ReLU layer's units, for revive and prune: follows the ReLU's output
// through ops that keep each unit's values apart and map a unit's zero to zero (Identity,
// Dropout, Relu, pooling, Flatten and flatten-like Reshape: a channel becomes a block of
// features) to every Conv/Gemm/MatMul reading it, and says which weight slice each unit feeds.
import { Dim, Model, Node } from '../onnx/ir';
import { attrInt } from '../onnx/attrs';
import { ShapeMap } from '../onnx/shapes';
import { label, readers, readersOf } from './edit';
import { ownTensor } from './chain';
import { FixError } from './types';

/** A layer reading the units: unit u feeds indices [u·block, (u+1)·block) of `axis` of its weight. */
export interface Consumer {
  node: Node;
  weight: string;
  dims: number[];
  axis: number;
  block: number;
  /** Conv groups: input channels per group and output channels per group (group 1: all). */
  group: number;
  inPerGroup: number;
  outPerGroup: number;
  /** The value it reads. */
  input: string;
}

/** A value the units flow through: unit u occupies [u·block, (u+1)·block) of axis `pos`. */
export interface Passed {
  value: string;
  pos: number;
  block: number;
}

/** A Reshape whose target shape may spell out the feature count at `pos`. */
export interface ReshapeUse {
  node: Node;
  pos: number;
  block: number;
}

export interface Outgoing {
  consumers: Consumer[];
  passed: Passed[];
  reshapes: ReshapeUse[];
  /** Shape nodes reading a value the units flow through (revive leaves shapes alone; prune checks them). */
  shapeReaders: Node[];
}

const std = (n: Node): boolean => n.domain === '' || n.domain === 'ai.onnx';
const SAME = new Set(['Identity', 'Dropout', 'Relu']);
const POOLS = new Set(['MaxPool', 'AveragePool', 'LpPool', 'GlobalAveragePool', 'GlobalMaxPool', 'GlobalLpPool']);

function shapeOf(types: ShapeMap, v: string): Dim[] | undefined {
  const t = types.get(v);
  return t && t.kind === 'tensor' ? t.shape : undefined;
}

/** Product of dims from `from` on, or undefined when one is not a number. */
function tail(shape: Dim[] | undefined, from: number): number | undefined {
  if (!shape) return undefined;
  let p = 1;
  for (let i = from; i < shape.length; i++) {
    const d = shape[i];
    if (typeof d !== 'number') return undefined;
    p *= d;
  }
  return p;
}

/** Follows `start` (rank `rank`, units on axis `pos`) to its consuming layers; throws a FixError naming what cannot be followed. */
export function resolveOutgoing(model: Model, start: string, rank: number, pos: number, units: number, types: ShapeMap, what: string): Outgoing {
  const out: Outgoing = { consumers: [], passed: [], reshapes: [], shapeReaders: [] };
  const stack: Array<{ value: string; rank: number; pos: number; block: number }> = [{ value: start, rank, pos, block: 1 }];
  const seen = new Set<string>();
  while (stack.length) {
    const cur = stack.pop()!;
    if (seen.has(cur.value)) continue;
    seen.add(cur.value);
    out.passed.push({ value: cur.value, pos: cur.pos, block: cur.block });
    if (model.graph.outputs.some((o) => o.name === cur.value)) throw new FixError(`${what}: its units reach the model output "${cur.value}" directly; the output would change`);
    const main = readersOf(model, cur.value);
    if (readers(model, cur.value) !== main.length) throw new FixError(`${what}: "${cur.value}" is read inside a subgraph; revive/prune cannot follow it there`);
    if (main.length === 0) throw new FixError(`${what}: "${cur.value}" is not read by any node`);
    for (const { node, slot } of main) {
      const op = std(node) || node.domain === 'com.microsoft' ? node.opType : `${node.domain}.${node.opType}`;
      const where = `${what}: its units reach ${label(node)} (${op})`;
      if (slot !== 0) throw new FixError(`${where} as input #${slot}; only data inputs can be followed`);
      if (std(node) && node.opType === 'Shape') {
        out.shapeReaders.push(node);
        continue;
      }
      const next = (o: { rank: number; pos: number; block: number }): void => {
        if (node.outputs.slice(1).some((x) => x && readers(model, x) > 0)) throw new FixError(`${where}, whose second output is used; not supported`);
        stack.push({ rank: o.rank, pos: o.pos, block: o.block, value: node.outputs[0] });
      };
      if (std(node) && SAME.has(node.opType)) next(cur);
      else if (std(node) && POOLS.has(node.opType)) {
        if (cur.pos !== 1 || cur.block !== 1 || cur.rank < 3) throw new FixError(`${where} on an axis other than channels`);
        next(cur);
      } else if (std(node) && node.opType === 'Flatten') {
        const a = attrInt(node, 'axis', 1);
        const axis = a < 0 ? a + cur.rank : a;
        const inner = tail(shapeOf(types, cur.value), cur.pos + 1);
        if (axis !== cur.pos) throw new FixError(`${where}, flattening at axis ${axis} while units are on axis ${cur.pos}: units would mix`);
        if (inner === undefined && cur.pos + 1 < cur.rank) throw new FixError(`${where}: the sizes after the unit axis are unknown, so which features a unit becomes cannot be determined`);
        next({ rank: 2, pos: 1, block: cur.block * (inner ?? 1) });
      } else if (std(node) && node.opType === 'Reshape') {
        next(reshapeLayout(node, cur, types, where));
        out.reshapes.push({ node, pos: cur.pos, block: cur.block * (tail(shapeOf(types, cur.value), cur.pos + 1) ?? 1) });
      } else if ((std(node) && node.opType === 'Conv') || (node.domain === 'com.microsoft' && node.opType === 'FusedConv')) {
        if (cur.pos !== 1 || cur.block !== 1) throw new FixError(`${where} with units not on its channel axis`);
        const w = ownTensor(model, node.inputs[1] ?? '', 'weights', node);
        const group = attrInt(node, 'group', 1);
        if (w.dims[1] * group !== units) throw new FixError(`${where}, whose weights "${w.name}" take ${w.dims[1] * group} channels, not ${units}`);
        out.consumers.push({ node, weight: w.name, dims: w.dims, axis: 1, block: 1, group, inPerGroup: w.dims[1], outPerGroup: w.dims[0] / group, input: cur.value });
      } else if ((std(node) && node.opType === 'Gemm') || (node.domain === 'com.microsoft' && node.opType === 'FusedGemm')) {
        if (attrInt(node, 'transA', 0)) throw new FixError(`${where} with transA=1; not supported`);
        if (cur.rank !== 2 || cur.pos !== 1) throw new FixError(`${where} with units not on its feature axis`);
        consumer(out, model, node, attrInt(node, 'transB', 0) ? 1 : 0, cur, units, where);
      } else if (std(node) && node.opType === 'MatMul') {
        if (cur.pos !== cur.rank - 1) throw new FixError(`${where} with units not on its last axis`);
        consumer(out, model, node, 0, cur, units, where);
      } else {
        throw new FixError(`${where}, which mixes or transforms units; revive/prune follow only Identity, Dropout, Relu, pooling, Flatten and flatten-like Reshape to Conv, Gemm and MatMul`);
      }
    }
  }
  return out;
}

/** Records a Gemm/MatMul consumer whose 2-D weights take the units along `axis`. */
function consumer(out: Outgoing, model: Model, node: Node, axis: number, cur: { value: string; block: number }, units: number, where: string): void {
  const w = ownTensor(model, node.inputs[1] ?? '', 'weights', node);
  if (w.dims.length !== 2) throw new FixError(`${where}, whose weights "${w.name}" are not 2-D`);
  if (w.dims[axis] !== units * cur.block) throw new FixError(`${where}, whose weights "${w.name}" take ${w.dims[axis]} features, not ${units} units × ${cur.block}`);
  out.consumers.push({ node, weight: w.name, dims: w.dims, axis, block: cur.block, group: 1, inPerGroup: w.dims[axis], outPerGroup: w.dims[1 - axis], input: cur.value });
}

/** A Reshape that keeps the axes before the units and folds the units and everything after into one axis. */
function reshapeLayout(node: Node, cur: { value: string; rank: number; pos: number; block: number }, types: ShapeMap, where: string): { rank: number; pos: number; block: number } {
  const din = shapeOf(types, cur.value);
  const dout = shapeOf(types, node.outputs[0]);
  const inner = tail(din, cur.pos + 1);
  const unknown = `${where}: its target shape is not known, so which features a unit becomes cannot be determined`;
  if (!din || !dout || inner === undefined) throw new FixError(unknown);
  if (dout.length !== cur.pos + 1) throw new FixError(`${where}, reshaping [${din.join(',')}] to [${dout.join(',')}]: not a flatten at the unit axis, units would mix`);
  for (let i = 0; i < cur.pos; i++) {
    const a = din[i];
    const b = dout[i];
    if (!(a === b || (typeof a !== 'number' && typeof b !== 'number'))) throw new FixError(`${where}, reshaping [${din.join(',')}] to [${dout.join(',')}]: the axes before the units change, units would mix`);
  }
  const d = din[cur.pos];
  if (typeof d !== 'number' || dout[cur.pos] !== d * inner) throw new FixError(`${where}, reshaping [${din.join(',')}] to [${dout.join(',')}]: not a flatten at the unit axis, units would mix`);
  return { rank: cur.pos + 1, pos: cur.pos, block: cur.block * inner };
}

const SHAPE_MATH = new Set(['Gather', 'Unsqueeze', 'Squeeze', 'Concat', 'Slice', 'Cast', 'Identity', 'Mul', 'Div', 'Add', 'Sub', 'ReduceProd']);

/**
 * Checks that what Shape nodes read from the units' path only computes targets of Reshapes on
 * that path (as `x.view(x.size(0), -1)` exports): pruning changes those shapes, and anything
 * else built from them could change the outputs.
 */
export function checkShapeReaders(model: Model, outg: Outgoing, what: string): void {
  const onPath = new Set(outg.reshapes.map((r) => r.node));
  const seen = new Set<string>();
  const stack = outg.shapeReaders.map((n) => n.outputs[0]);
  while (stack.length) {
    const v = stack.pop()!;
    if (seen.has(v)) continue;
    seen.add(v);
    if (model.graph.outputs.some((o) => o.name === v) || readers(model, v) !== readersOf(model, v).length) throw new FixError(`${what}: the shape of its output is used beyond the layers it feeds ("${v}"); pruning would change it`);
    for (const { node, slot } of readersOf(model, v)) {
      if (std(node) && node.opType === 'Reshape' && slot === 1 && onPath.has(node)) continue;
      if (!std(node) || !SHAPE_MATH.has(node.opType)) throw new FixError(`${what}: the shape of its output feeds ${label(node)} (${node.opType}); pruning would change it`);
      for (const o of node.outputs) if (o) stack.push(o);
    }
  }
}
