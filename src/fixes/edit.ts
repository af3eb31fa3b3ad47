// Copy-on-write editing of a model's main graph: fixes replace nodes and initializers in a copy,
// so the original IR is never mutated and every field they do not touch (unknown ones included)
// is carried over as it was.
import { DataType, Graph, Model, Node, OnnxTensor } from '../onnx/ir';
import { tensorValues } from '../onnx/tensor-data';
import { LayerReport } from '../analysis/report';
import { FixError } from './types';

/** A shallow copy of the model whose graph's node and initializer lists may be edited freely. */
export function editableCopy(model: Model): Model & { graph: Graph } {
  return { ...model, graph: { ...model.graph, nodes: model.graph.nodes.slice(), initializers: model.graph.initializers.slice() } };
}

/** The main-graph node a report layer names, checked against its name and op. */
export function layerNode(model: Model, layer: Pick<LayerReport, 'node' | 'nodeIndex' | 'graphPath'>): Node {
  if (layer.graphPath) throw new FixError(`layer "${layer.node}" is inside a subgraph or function; fixes rewrite the main graph only`);
  const node = model.graph.nodes[layer.nodeIndex];
  if (!node) throw new FixError(`layer "${layer.node}" (node #${layer.nodeIndex}) is not in this model: re-run the analysis on this file`);
  return node;
}

/** The initializer feeding a value, or undefined. */
export function initializerOf(model: Model, name: string): OnnxTensor | undefined {
  return name ? model.graph.initializers.find((t) => t.name === name) : undefined;
}

/** How many nodes of the main graph read a value. */
export function readers(model: Model, name: string): number {
  let n = 0;
  for (const node of model.graph.nodes) for (const i of node.inputs) if (i === name) n++;
  return n;
}

/** Float32 values of an initializer (a copy, safe to modify). */
export function floatValues(model: Model, t: OnnxTensor): Float32Array {
  if (t.dataType !== DataType.FLOAT) throw new FixError(`initializer "${t.name}" is not float32; this fix rewrites float32 weights only`);
  return Float32Array.from(tensorValues(t, model) as Float32Array);
}

/** Replaces an initializer (by name) with new float32 values stored as raw_data. */
export function replaceInitializer(model: Model, name: string, values: Float32Array): void {
  const list = model.graph.initializers;
  const i = list.findIndex((t) => t.name === name);
  if (i < 0) throw new FixError(`initializer "${name}" not found`);
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  list[i] = { ...list[i], storage: { kind: 'raw', bytes } };
}

/** A value name not yet used anywhere in the main graph, derived from `base`. */
export function freshName(model: Model, base: string): string {
  const used = new Set<string>();
  const g = model.graph;
  for (const v of [...g.inputs, ...g.outputs, ...g.valueInfo]) used.add(v.name);
  for (const t of g.initializers) used.add(t.name);
  for (const n of g.nodes) for (const o of [...n.outputs, ...n.inputs]) used.add(o);
  let name = base;
  for (let k = 2; used.has(name); k++) name = `${base}_${k}`;
  return name;
}

/** The opset of the default domain the model imports. */
export function defaultOpset(model: Model): number {
  const o = model.opsetImports.find((x) => x.domain === '' || x.domain === 'ai.onnx');
  return o ? o.version : 1;
}
