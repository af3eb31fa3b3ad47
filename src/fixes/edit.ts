// Copy-on-write editing of a model's main graph: fixes replace nodes and initializers in a copy,
// so the original IR is never mutated and every field they do not touch (unknown ones included)
// is carried over as it was.
import { DataType, Graph, Model, Node, OnnxTensor, ValueInfo } from '../onnx/ir';
import { tensorValues } from '../onnx/tensor-data';
import { nodeLabel } from '../onnx/summary';
import { LayerReport } from '../analysis/report';
import { FixError } from './types';

/** A shallow copy of the model whose graph's node, initializer, input and value_info lists may be edited freely. */
export function editableCopy(model: Model): Model & { graph: Graph } {
  const g = model.graph;
  return { ...model, graph: { ...g, nodes: g.nodes.slice(), initializers: g.initializers.slice(), inputs: g.inputs.slice(), valueInfo: g.valueInfo.slice() } };
}

/** The main-graph node a report layer names, checked against its name and op. */
export function layerNode(model: Model, layer: Pick<LayerReport, 'node' | 'nodeIndex' | 'graphPath'>): Node {
  if (layer.graphPath) throw new FixError(`layer "${layer.node}" is inside a subgraph or function; fixes rewrite the main graph only`);
  const node = model.graph.nodes[layer.nodeIndex];
  if (!node || nodeLabel(node, layer.nodeIndex) !== layer.node.replace(/#\d+$/, '')) throw new FixError(`layer "${layer.node}" (node #${layer.nodeIndex}) is not in this model: re-run the analysis on this file`);
  return node;
}

/** The initializer feeding a value, or undefined. */
export function initializerOf(model: Model, name: string): OnnxTensor | undefined {
  return name ? model.graph.initializers.find((t) => t.name === name) : undefined;
}

/** How many node inputs read a value: the main graph's, plus subgraph nodes that may see it from outside (counted too). */
export function readers(model: Model, name: string): number {
  let n = 0;
  const visit = (g: Graph, depth: number): void => {
    for (const node of g.nodes) {
      for (const i of node.inputs) if (i === name) n++;
      if (depth > 16) continue;
      for (const a of node.attributes) {
        if (a.type === 'graph') visit(a.value, depth + 1);
        else if (a.type === 'graphs') for (const sub of a.value) visit(sub, depth + 1);
      }
    }
  };
  visit(model.graph, 0);
  if (model.graph.outputs.some((o) => o.name === name)) n++;
  return n;
}

/** Main-graph nodes reading a value, with the input slot they read it at. */
export function readersOf(model: Model, name: string): Array<{ node: Node; index: number; slot: number }> {
  const out: Array<{ node: Node; index: number; slot: number }> = [];
  model.graph.nodes.forEach((node, index) => node.inputs.forEach((v, slot) => v === name && out.push({ node, index, slot })));
  return out;
}

/** The display label of a node: its name, else its first output. */
export function label(node: Node): string {
  return node.name || node.outputs[0] || node.opType;
}

/** Float32 values of an initializer (a copy, safe to modify). */
export function floatValues(model: Model, t: OnnxTensor): Float32Array {
  if (t.dataType !== DataType.FLOAT) throw new FixError(`initializer "${t.name}" is not float32; this fix rewrites float32 weights only`);
  return Float32Array.from(tensorValues(t, model) as Float32Array);
}

/** Replaces an initializer (by name) with new float32 values stored as raw_data, and new dims when given. */
export function replaceInitializer(model: Model, name: string, values: Float32Array, dims?: number[]): void {
  const list = model.graph.initializers;
  const i = list.findIndex((t) => t.name === name);
  if (i < 0) throw new FixError(`initializer "${name}" not found`);
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  list[i] = { ...list[i], storage: { kind: 'raw', bytes }, ...(dims ? { dims } : {}) };
  if (dims) setDeclaredDim(model, name, undefined, dims);
}

/**
 * Updates the declared shape of a value (graph inputs and value_info; copies the entries it
 * changes): sets dim `axis` to `size`, or, with `axis` undefined, the whole shape to `dims`.
 * Symbolic or unknown dims are left as they are.
 */
export function setDeclaredDim(model: Model, name: string, axis: number | undefined, size: number | number[]): void {
  const g = model.graph;
  const fix = (v: ValueInfo): ValueInfo => {
    const t = v.type;
    if (v.name !== name || !t || t.kind !== 'tensor' || !t.shape) return v;
    let shape = t.shape.slice();
    if (axis === undefined) shape = (size as number[]).slice();
    else if (axis < shape.length && typeof shape[axis] === 'number') shape[axis] = size as number;
    return { ...v, type: { ...t, shape } };
  };
  g.inputs = g.inputs.map(fix);
  g.valueInfo = g.valueInfo.map(fix);
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

/** Removes the initializers among `names` that no node reads any more (and that are not graph inputs). */
export function dropOrphans(model: Model, names: readonly string[]): string[] {
  const g = model.graph;
  const gone = names.filter((n) => n && readers(model, n) === 0 && !g.inputs.some((v) => v.name === n) && g.initializers.some((t) => t.name === n));
  if (gone.length) g.initializers = g.initializers.filter((t) => !gone.includes(t.name));
  return gone;
}
