// The incoming side of a ReLU layer's units, for fixes that edit units one by one (revive,
// prune): the producing Conv/Gemm/MatMul and which slice of its weight and bias each unit owns,
// plus any BatchNormalization and per-unit Add constant between the producer and the ReLU.
import { DataType, Model, Node, OnnxTensor } from '../onnx/ir';
import { attrInt } from '../onnx/attrs';
import { constantLookup, nodeLabel } from '../onnx/summary';
import { ShapeMap } from '../onnx/shapes';
import { LayerReport } from '../analysis/report';
import { sliceSize } from './axis';
import { label, readers, readersOf } from './edit';
import { FixError } from './types';

/** A float32 initializer and the axis of it that runs over the layer's units. */
export interface UnitTensor {
  name: string;
  dims: number[];
  axis: number;
  /** What it is, for messages: "weights of /0/Conv", "BN scale", ... */
  what: string;
}

/** Where a layer's units come from. */
export interface Incoming {
  site: Node;
  producer: Node;
  /** Index of the producer in the main graph. */
  producerIndex: number;
  units: number;
  /** Rank of the activation and the position of the unit axis in it. */
  rank: number;
  unitPos: number;
  /** Conv groups of the producer (1 for Gemm/MatMul). */
  group: number;
  weight: UnitTensor & { fanIn: number };
  /** Per-unit bias (Conv B, Gemm C of N values). */
  bias?: UnitTensor;
  /** A bias shared by all units (a scalar C), left as it is. */
  sharedBias?: string;
  batchNorm?: { node: Node; scale: UnitTensor; bias: UnitTensor; mean: UnitTensor; variance: UnitTensor };
  /** Per-unit constants added between the producer and the ReLU. */
  offsets: UnitTensor[];
  /** Values from the producer's output to the ReLU's output, in order. */
  values: string[];
  /** The ReLU's output. */
  output: string;
}

const std = (n: Node): boolean => n.domain === '' || n.domain === 'ai.onnx';
const ms = (n: Node): boolean => n.domain === 'com.microsoft';

/** The initializer behind `name`, checked to be float32 and not read by any other node. */
export function ownTensor(model: Model, name: string, what: string, owner: Node): OnnxTensor {
  const t = name ? model.graph.initializers.find((x) => x.name === name) : undefined;
  if (!t) throw new FixError(`${label(owner)}: its ${what} "${name}" is computed, not stored in the model; only stored weights can be edited`);
  if (t.dataType !== DataType.FLOAT) throw new FixError(`${label(owner)}: its ${what} "${name}" is not float32; this fix edits float32 tensors only`);
  if (readers(model, name) > 1) throw new FixError(`${label(owner)}: its ${what} "${name}" is shared with other nodes; editing it would change them too`);
  return t;
}

/** A per-unit parameter: `units` values along one axis (right-aligned against an activation of rank `rank` at `pos` when `rank` is given). */
function perUnit(t: OnnxTensor, units: number, what: string, owner: Node, place?: { rank: number; pos: number }): UnitTensor | undefined {
  const n = t.dims.reduce((a, b) => a * b, 1);
  if (n === 1) return undefined;
  const axes = t.dims.map((d, i) => (d === 1 ? -1 : i)).filter((i) => i >= 0);
  const ok = n === units && axes.length === 1 && (!place || t.dims.length - 1 - axes[0] === place.rank - 1 - place.pos);
  if (!ok) throw new FixError(`${label(owner)}: its ${what} "${t.name}" has shape [${t.dims.join(',')}], not one value per unit of ${units}; cannot edit single units`);
  return { name: t.name, dims: t.dims, axis: axes[0], what };
}

/** Resolves the producer → (BN, Add, Identity) → ReLU chain of a report layer, or throws a FixError saying why not. */
export function resolveIncoming(model: Model, layer: LayerReport, types: ShapeMap): Incoming {
  const g = model.graph;
  if (layer.graphPath) throw new FixError(`layer "${layer.node}" is inside a subgraph or function; fixes rewrite the main graph only`);
  const site = g.nodes[layer.nodeIndex];
  if (!site || nodeLabel(site, layer.nodeIndex) !== layer.node.replace(/#\d+$/, '')) throw new FixError(`layer "${layer.node}" (node #${layer.nodeIndex}) is not in this model: re-run the analysis on this file`);
  const p = layer.producer;
  if (!p) throw new FixError(`layer "${layer.node}" has no producing Conv/Gemm/MatMul: there are no unit weights to edit`);
  const producer = g.nodes[p.nodeIndex];
  if (!producer || nodeLabel(producer, p.nodeIndex) !== p.node) throw new FixError(`producer "${p.node}" is not in this model: re-run the analysis on this file`);
  const fused = layer.kind === 'fused-relu';
  const isConv = (std(producer) && producer.opType === 'Conv') || (ms(producer) && producer.opType === 'FusedConv');
  const isGemm = (std(producer) && producer.opType === 'Gemm') || (ms(producer) && producer.opType === 'FusedGemm');
  const isMatMul = std(producer) && producer.opType === 'MatMul';
  if (!isConv && !isGemm && !isMatMul) throw new FixError(`${label(producer)}: ${producer.opType} producers are not supported; revive and prune edit float Conv, Gemm and MatMul layers`);
  if (isConv && producer.inputs[3]) throw new FixError(`${label(producer)}: FusedConv adds a second input (Z) to its result; its units cannot be edited alone`);

  const w = ownTensor(model, producer.inputs[1] ?? '', 'weights', producer);
  let rank: number;
  let unitPos: number;
  let axis: number;
  let group = 1;
  if (isConv) {
    rank = w.dims.length;
    unitPos = 1;
    axis = 0;
    group = attrInt(producer, 'group', 1);
  } else if (isGemm) {
    if (w.dims.length !== 2) throw new FixError(`${label(producer)}: Gemm weights "${w.name}" are not 2-D`);
    rank = 2;
    unitPos = 1;
    axis = attrInt(producer, 'transB', 0) ? 0 : 1;
  } else {
    if (w.dims.length !== 2) throw new FixError(`${label(producer)}: MatMul weights "${w.name}" must be a 2-D [in, out] initializer as the second input`);
    const t = types.get(producer.outputs[0]);
    if (!t || t.kind !== 'tensor' || !t.shape) throw new FixError(`${label(producer)}: the rank of its output is unknown; cannot tell where its units are`);
    rank = t.shape.length;
    unitPos = rank - 1;
    axis = 1;
  }
  const units = w.dims[axis];
  const want = layer.unitAxis < 0 ? rank + layer.unitAxis : layer.unitAxis;
  if (want !== unitPos) throw new FixError(`layer "${layer.node}": its unit axis ${layer.unitAxis} is not the output axis of ${label(producer)}; units cannot be mapped to weights`);
  if (layer.units && layer.units !== units) throw new FixError(`layer "${layer.node}" has ${layer.units} units in the report but ${label(producer)} has ${units}: re-run the analysis on this file`);
  const weight = { name: w.name, dims: w.dims, axis, what: `weights of ${label(producer)}`, fanIn: sliceSize(w.dims, axis) };

  let bias: UnitTensor | undefined;
  let sharedBias: string | undefined;
  if (!isMatMul && producer.inputs[2]) {
    const b = ownTensor(model, producer.inputs[2], 'bias', producer);
    bias = perUnit(b, units, `bias of ${label(producer)}`, producer, isGemm ? { rank, pos: unitPos } : undefined);
    if (!bias) sharedBias = b.name;
  }

  const inc: Incoming = { site, producer, producerIndex: p.nodeIndex, units, rank, unitPos, group, weight, offsets: [], values: [], output: site.outputs[0], ...(bias ? { bias } : {}), ...(sharedBias ? { sharedBias } : {}) };
  if (fused) {
    if (producer !== site) throw new FixError(`layer "${layer.node}": a fused activation must be its own producer`);
    inc.values = [site.outputs[0]];
    return inc;
  }
  walkBack(model, inc, preActivation(model, site));
  return inc;
}

/** The ReLU's pre-activation input (Max(0, x) keeps it at either position). */
function preActivation(model: Model, site: Node): string {
  if (site.opType !== 'Max') return site.inputs[0];
  const constOf = constantLookup(model.graph);
  const x = site.inputs.filter((v) => v && !constOf(v));
  if (x.length !== 1) throw new FixError(`${label(site)}: cannot tell which input of the Max is the pre-activation`);
  return x[0];
}

/** Follows the pre-activation back to the producer, recording BN and Add constants; each step must have no other reader. */
function walkBack(model: Model, inc: Incoming, start: string): void {
  const g = model.graph;
  const byOutput = new Map<string, number>();
  g.nodes.forEach((n, i) => n.outputs.forEach((o) => o && byOutput.set(o, i)));
  const constOf = constantLookup(g);
  const values = [inc.output];
  let v = start;
  for (let steps = 0; ; steps++) {
    values.push(v);
    const others = readersOf(model, v).length;
    if (readers(model, v) !== 1 || others !== 1) throw new FixError(`value "${v}" between ${label(inc.producer)} and ${label(inc.site)} is also used elsewhere; editing single units would change that use too`);
    const i = byOutput.get(v);
    if (i === undefined || steps > 32) throw new FixError(`${label(inc.site)}: its input does not come from ${label(inc.producer)} through ops revive/prune can follow`);
    if (i === inc.producerIndex) break;
    const n = g.nodes[i];
    if (!std(n)) throw new FixError(`${label(n)} (${n.domain}.${n.opType}) sits between ${label(inc.producer)} and ${label(inc.site)}; revive/prune cannot edit through it`);
    if (n.outputs.slice(1).some((o) => o && readers(model, o) > 0)) throw new FixError(`${label(n)}: its extra outputs are used; revive/prune cannot edit through it`);
    if (n.opType === 'BatchNormalization') {
      if (inc.batchNorm) throw new FixError(`two BatchNormalizations between ${label(inc.producer)} and ${label(inc.site)}; not supported`);
      const part = (k: number, what: string): UnitTensor => {
        const u = perUnit(ownTensor(model, n.inputs[k] ?? '', what, n), inc.units, what, n);
        if (!u) throw new FixError(`${label(n)}: its ${what} is not per channel`);
        return u;
      };
      inc.batchNorm = { node: n, scale: part(1, 'BN scale'), bias: part(2, 'BN bias'), mean: part(3, 'BN mean'), variance: part(4, 'BN variance') };
      v = n.inputs[0];
    } else if (n.opType === 'Identity' || n.opType === 'Dropout') {
      v = n.inputs[0];
    } else if (n.opType === 'Add' && n.inputs.length === 2 && (constOf(n.inputs[0]) || constOf(n.inputs[1]))) {
      const k = constOf(n.inputs[1]) ? 1 : 0;
      if (constOf(n.inputs[1 - k])) throw new FixError(`${label(n)} adds two constants; not a bias`);
      const c = ownTensor(model, n.inputs[k], 'added constant', n);
      const u = perUnit(c, inc.units, `bias added by ${label(n)}`, n, { rank: inc.rank, pos: inc.unitPos });
      if (u) inc.offsets.push(u);
      v = n.inputs[1 - k];
    } else {
      throw new FixError(`${label(n)} (${n.opType}) sits between ${label(inc.producer)} and ${label(inc.site)}; revive/prune follow only BatchNormalization, Add of a bias, Identity and Dropout`);
    }
  }
  inc.values = values.reverse();
}
