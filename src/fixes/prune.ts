// Fix "Prune proven-dead units": removes units that can never fire from the producing layer
// (weight rows or filters, bias entries, BatchNorm parameters, per-unit added constants) and from
// every layer reading them (input channels or feature columns), updating declared shapes and any
// Reshape target that spells out the feature count. Proven-dead units output zero for every input,
// so the outputs do not change; only observed-dead units with `force` (outputs may then change).
import { DataType, Model, Node, OnnxTensor } from '../onnx/ir';
import { inferShapes } from '../onnx/shapes';
import { constantLookup } from '../onnx/summary';
import { tensorValues } from '../onnx/tensor-data';
import { LayerReport } from '../analysis/report';
import { dropIndices, expand } from './axis';
import { UnitTensor } from './chain';
import { checkShapeReaders, ReshapeUse } from './consumers';
import { editableCopy, floatValues, initializerOf, label, readers, replaceInitializer, setDeclaredDim } from './edit';
import { deadUnits, planRevive } from './revive';
import { FixError, FixResult } from './types';

/** The units prune removes: proven dead, or with `force` every dead unit. */
export function pruneSet(layer: LayerReport, force: boolean): number[] {
  return force ? deadUnits(layer) : layer.provenDead.slice();
}

/** Checks that prune can rewrite the layer (throws the FixError apply would throw). */
export function planPrune(model: Model, layer: LayerReport, types = inferShapes(model)): ReturnType<typeof planRevive> {
  const plan = planRevive(model, layer, types);
  if (plan.inc.group !== 1) throw new FixError(`${label(plan.inc.producer)}: a grouped convolution (group ${plan.inc.group}) cannot lose single output channels`);
  for (const c of plan.outg.consumers) if (c.group !== 1) throw new FixError(`${label(c.node)}: a grouped convolution (group ${c.group}) cannot lose single input channels`);
  checkShapeReaders(model, plan.outg, `layer "${layer.node}"`);
  return plan;
}

const paramCount = (m: Model): number => m.graph.initializers.reduce((s, t) => s + t.dims.reduce((a, b) => a * b, 1), 0);

/** Removes the layer's proven-dead units (or, with `force`, all its dead units). */
export function pruneUnits(model: Model, layer: LayerReport, force: boolean): FixResult {
  const units = pruneSet(layer, force);
  if (units.length === 0) {
    throw new FixError(layer.dead.length
      ? `layer "${layer.node}" has no proven-dead units (${layer.dead.length} observed dead): re-run the analysis with proofs, or force pruning of observed-dead units (outputs may then change)`
      : `layer "${layer.node}" has no dead units to prune`);
  }
  const types = inferShapes(model);
  const { inc, outg } = planPrune(model, layer, types);
  if (units.length >= inc.units) throw new FixError(`layer "${layer.node}": all ${inc.units} units are dead; pruning would remove the layer`);
  const kept = inc.units - units.length;
  const drop = new Set(units);
  const out = editableCopy(model);
  const cut = (t: UnitTensor, which: ReadonlySet<number>): void => {
    const r = dropIndices(floatValues(out, initializerOf(out, t.name)!), t.dims, t.axis, which);
    replaceInitializer(out, t.name, r.values, r.dims);
  };
  cut(inc.weight, drop);
  if (inc.bias) cut(inc.bias, drop);
  const bn = inc.batchNorm;
  if (bn) for (const t of [bn.scale, bn.bias, bn.mean, bn.variance]) cut(t, drop);
  for (const t of inc.offsets) cut(t, drop);
  for (const c of outg.consumers) cut({ name: c.weight, dims: c.dims, axis: c.axis, what: '' }, expand(units, c.block));
  for (const r of outg.reshapes) updateReshapeTarget(out, r, inc.units, kept);
  for (const v of inc.values) setDeclaredDim(out, v, inc.unitPos, kept);
  for (const p of outg.passed) setDeclaredDim(out, p.value, p.pos, kept * p.block);

  // The consumers must now see the narrower inputs; shape inference on the result checks it.
  const after = inferShapes(out, { declared: false });
  for (const p of outg.passed) {
    const t = after.get(p.value);
    const d = t && t.kind === 'tensor' && t.shape ? t.shape[p.pos] : undefined;
    if (typeof d === 'number' && d !== kept * p.block) throw new FixError(`layer "${layer.node}": after pruning, "${p.value}" would have ${d} entries on axis ${p.pos} instead of ${kept * p.block}; a shape computed in the graph still encodes the old unit count`);
  }

  const list = units.length > 8 ? `${units.length} units` : `unit${units.length > 1 ? 's' : ''} ${units.join(', ')}`;
  const removed = paramCount(model) - paramCount(out);
  const changes = [`${label(inc.producer)}: ${list} of ${inc.units} removed (${force ? 'dead on the analysed data, forced' : 'proven dead'}); ${kept} remain`];
  if (bn) changes.push(`${label(bn.node)}: their BatchNorm parameters removed`);
  for (const c of outg.consumers) changes.push(`${label(c.node)}: the ${units.length * c.block} input ${c.block > 1 || c.axis !== 1 || c.dims.length === 2 ? 'features' : 'channels'} they fed removed`);
  for (const r of outg.reshapes) changes.push(`${label(r.node)}: target shape follows the new size`);
  changes.push(`${removed} parameters fewer`);
  return { model: out, changes };
}

/** Rewrites a constant Reshape target whose entry at the unit axis spells out the old size (0 and -1 adapt by themselves). */
function updateReshapeTarget(out: Model, r: ReshapeUse, units: number, kept: number): void {
  const name = r.node.inputs[1] ?? '';
  const t = constantLookup(out.graph)(name);
  if (!t) return; // computed in the graph: the shape check after pruning decides
  const v = tensorValues(t, out);
  if (!(v instanceof BigInt64Array) || r.pos >= v.length) throw new FixError(`${label(r.node)}: its target shape "${name}" is not an int64 vector`);
  const entry = Number(v[r.pos]);
  if (entry <= 0) return;
  if (entry !== units * r.block) throw new FixError(`${label(r.node)}: its target shape has ${entry} at the unit axis, not ${units} × ${r.block}; cannot update it`);
  if (readers(out, name) !== 1) throw new FixError(`${label(r.node)}: its target shape "${name}" is shared with other nodes; cannot update it`);
  const nv = BigInt64Array.from(v);
  nv[r.pos] = BigInt(kept * r.block);
  const tensor: OnnxTensor = { ...t, dataType: DataType.INT64, storage: { kind: 'raw', bytes: new Uint8Array(nv.buffer) } };
  const g = out.graph;
  const i = g.initializers.findIndex((x) => x.name === name);
  if (i >= 0) {
    g.initializers[i] = tensor;
    return;
  }
  const k = g.nodes.findIndex((n) => n.opType === 'Constant' && n.outputs[0] === name);
  const node: Node = g.nodes[k];
  g.nodes[k] = { ...node, attributes: node.attributes.map((a) => (a.name === 'value' ? { ...a, type: 'tensor' as const, value: tensor } : a)) };
}
