// Fix "He-initialize the producing layer": re-draws the producer's weights from N(0, 2/fan_in)
// (He/Kaiming for ReLU, seeded) and zeroes its bias. For untrained models: it discards whatever
// that layer learned.
import { DataType, Model, Node, OnnxTensor } from '../onnx/ir';
import { nodeLabel } from '../onnx/summary';
import { attrInt } from '../onnx/attrs';
import { LayerReport } from '../analysis/report';
import { mulberry32 } from '../data/random';
import { editableCopy, floatValues, initializerOf, readers, replaceInitializer } from './edit';
import { FixError, FixResult } from './types';

/** Standard normal draws from a seeded uniform generator (Box–Muller). */
export function normals(n: number, seed: number): Float32Array {
  const next = mulberry32(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - next()));
    const t = 2 * Math.PI * next();
    out[i] = r * Math.cos(t);
    if (i + 1 < n) out[i + 1] = r * Math.sin(t);
  }
  return out;
}

/** Fan-in of a producer's weight tensor: C/group·k… for Conv, K for Gemm/MatMul. */
export function fanIn(opType: string, dims: number[], transB: number): number {
  if (opType === 'Conv' || opType === 'FusedConv') return dims.slice(1).reduce((a, b) => a * b, 1);
  if (opType === 'Gemm' || opType === 'FusedGemm') return transB ? dims[1] : dims[0];
  if (opType === 'MatMul' && dims.length === 2) return dims[0];
  throw new FixError(`He initialization handles Conv, Gemm and 2-D MatMul weights, not ${opType} with shape [${dims.join(',')}]`);
}

/** The producer node and its weight initializer, checked as applying He init would check them. */
export function heTarget(model: Model, layer: LayerReport): { node: Node; w: OnnxTensor; fan: number } {
  const p = layer.producer;
  if (!p) throw new FixError(`layer "${layer.node}" has no producing Conv/Gemm/MatMul to re-initialize`);
  if (layer.graphPath) throw new FixError(`layer "${layer.node}" is inside a subgraph or function; fixes rewrite the main graph only`);
  const node = model.graph.nodes[p.nodeIndex];
  if (!node || nodeLabel(node, p.nodeIndex) !== p.node) throw new FixError(`producer "${p.node}" is not in this model: re-run the analysis on this file`);
  const w = initializerOf(model, node.inputs[1]);
  if (!w) throw new FixError(`producer "${p.node}": its weights "${node.inputs[1]}" are computed, not stored; nothing to re-initialize`);
  if (readers(model, w.name) > 1) throw new FixError(`producer "${p.node}": weights "${w.name}" are shared by several nodes; re-initializing them would change the others`);
  if (w.dataType !== DataType.FLOAT) throw new FixError(`producer "${p.node}": weights "${w.name}" are not float32; He initialization rewrites float32 weights only`);
  const fan = fanIn(node.opType, w.dims, node.opType.endsWith('Gemm') ? attrInt(node, 'transB', 0) : 0);
  return { node, w, fan };
}

/** Re-initializes the weights of the layer producing a ReLU layer's input. */
export function heInitProducer(model: Model, layer: LayerReport, seed: number): FixResult {
  const { node, w, fan } = heTarget(model, layer);
  const label = layer.producer!.node;
  const out = editableCopy(model);
  const std = Math.sqrt(2 / fan);
  const values = normals(w.dims.reduce((a, b) => a * b, 1), seed);
  for (let i = 0; i < values.length; i++) values[i] *= std;
  replaceInitializer(out, w.name, values);
  const changes = [`${label}: weights "${w.name}" re-drawn from N(0, 2/${fan}) (std ${std.toPrecision(3)}, seed ${seed}); the layer's training is discarded`];
  const b = node.opType === 'MatMul' ? undefined : initializerOf(out, node.inputs[2] ?? '');
  if (b && readers(out, b.name) === 1) {
    replaceInitializer(out, b.name, new Float32Array(floatValues(out, b).length));
    changes.push(`${label}: bias "${b.name}" set to zero`);
  } else if (b) {
    changes.push(`${label}: bias "${b.name}" is shared with other nodes; left as it is`);
  }
  return { model: out, changes };
}
