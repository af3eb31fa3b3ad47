// A plain, JSON-serializable summary of a model: what `relu-doctor inspect` prints and what the
// viewer shows (metadata, inputs/outputs, op histogram, parameters, layers, ReLU sites).
import { Dim, Graph, Model, Node, OnnxTensor, TypeInfo } from './ir';
import { bitsPerElement, dtypeName } from './dtype';
import { findAttr } from './attrs';
import { tensorValues } from './tensor-data';

export interface ValueSummary {
  name: string;
  dtype: string;
  /** null when the rank is unknown. */
  shape: Dim[] | null;
}

export interface LayerSummary {
  index: number;
  /** The node's name, or its first output when unnamed. */
  name: string;
  opType: string;
  domain: string;
  inputs: string[];
  outputs: string[];
  /** Output types as text, e.g. "float[N,64,112,112]". */
  outputShapes: string[];
  /** Elements of the initializers this node reads. */
  parameters: number;
  reluSite: boolean;
}

export interface ModelSummary {
  producerName: string;
  producerVersion: string;
  irVersion: number;
  domain: string;
  modelVersion: number;
  docString: string;
  graphName: string;
  opsets: Array<{ domain: string; version: number }>;
  metadata: Array<{ key: string; value: string }>;
  inputs: ValueSummary[];
  outputs: ValueSummary[];
  nodeCount: number;
  opHistogram: Array<{ op: string; count: number }>;
  parameterCount: number;
  parameterBytes: number;
  reluSites: Array<{ node: string; op: string; index: number }>;
  layers: LayerSummary[];
  functions: number;
}

/** Maps value names to their inferred types (see shapes.ts). */
export type TypeLookup = ReadonlyMap<string, TypeInfo>;

/** Formats a type as the text view does: `float[N,3,224,224]`, `seq(float[])`, `float` for scalars. */
export function typeToString(t: TypeInfo | undefined): string {
  if (!t) return '?';
  switch (t.kind) {
    case 'tensor':
    case 'sparse_tensor': {
      const base = (t.kind === 'sparse_tensor' ? 'sparse_tensor(' : '') + dtypeName(t.elemType);
      const dims = t.shape === undefined ? '' : `[${t.shape.map(dimToString).join(',')}]`;
      return base + dims + (t.kind === 'sparse_tensor' ? ')' : '');
    }
    case 'sequence':
      return `seq(${typeToString(t.elem)})`;
    case 'optional':
      return `optional(${typeToString(t.elem)})`;
    case 'map':
      return `map(${dtypeName(t.keyType)}, ${typeToString(t.value)})`;
    default:
      return '?';
  }
}

function dimToString(d: Dim): string {
  return d === null ? '?' : String(d);
}

/** A node's display name: its name, else its first output, else `#index`. */
export function nodeLabel(node: Node, index: number): string {
  return node.name || node.outputs.find((o) => o !== '') || `#${index}`;
}

function valueSummary(name: string, type: TypeInfo | undefined): ValueSummary {
  if (type && (type.kind === 'tensor' || type.kind === 'sparse_tensor')) {
    return { name, dtype: dtypeName(type.elemType), shape: type.shape ?? null };
  }
  return { name, dtype: typeToString(type), shape: null };
}

function elementCount(dims: readonly number[]): number {
  let n = 1;
  for (const d of dims) n *= d;
  return n;
}

function tensorBytes(t: OnnxTensor): number {
  return Math.ceil((elementCount(t.dims) * bitsPerElement(t.dataType)) / 8);
}

/** Scalar value of a small constant tensor, or undefined when it is not a readable scalar. */
function scalarOf(t: OnnxTensor | undefined, model: Model): number | undefined {
  if (!t || elementCount(t.dims) !== 1) return undefined;
  try {
    const v = tensorValues(t, model);
    const x = v[0];
    return typeof x === 'bigint' ? Number(x) : typeof x === 'number' ? x : undefined;
  } catch {
    return undefined;
  }
}

/** Finds the constant tensor behind a value name: an initializer or a Constant node's value. */
export function constantLookup(graph: Graph): (name: string) => OnnxTensor | undefined {
  const consts = new Map<string, OnnxTensor>();
  for (const t of graph.initializers) consts.set(t.name, t);
  for (const n of graph.nodes) {
    if (n.opType === 'Constant' && (n.domain === '' || n.domain === 'ai.onnx') && n.outputs[0]) {
      const a = findAttr(n, 'value');
      if (a && a.type === 'tensor') consts.set(n.outputs[0], a.value);
    }
  }
  return (name) => consts.get(name);
}

/**
 * Whether a node is a ReLU site as `inspect` counts them: Relu, Clip with a lower bound of 0
 * (ReLU6 and friends), and onnxruntime's FusedConv/FusedGemm with activation "Relu".
 */
export function isReluSite(node: Node, model: Model, constOf: (name: string) => OnnxTensor | undefined): boolean {
  const std = node.domain === '' || node.domain === 'ai.onnx';
  if (std && node.opType === 'Relu') return true;
  if (std && node.opType === 'Clip') {
    const a = findAttr(node, 'min');
    if (a && a.type === 'float') return a.value === 0;
    const minName = node.inputs[1];
    return minName ? scalarOf(constOf(minName), model) === 0 : false;
  }
  if (node.domain === 'com.microsoft' && (node.opType === 'FusedConv' || node.opType === 'FusedGemm')) {
    const a = findAttr(node, 'activation');
    return !!a && a.type === 'string' && new TextDecoder().decode(a.value) === 'Relu';
  }
  return false;
}

/** Summarizes a model; `types` (from inferShapes) fills in output shapes when given. */
export function summarizeModel(model: Model, types?: TypeLookup): ModelSummary {
  const g = model.graph;
  const declared = new Map<string, TypeInfo | undefined>();
  for (const v of [...g.valueInfo, ...g.inputs, ...g.outputs]) declared.set(v.name, v.type);
  const typeOf = (name: string): TypeInfo | undefined => types?.get(name) ?? declared.get(name);

  const initializers = new Map<string, OnnxTensor>();
  let parameterCount = 0;
  let parameterBytes = 0;
  for (const t of g.initializers) {
    initializers.set(t.name, t);
    parameterCount += elementCount(t.dims);
    parameterBytes += tensorBytes(t);
  }
  const constOf = constantLookup(g);
  const histogram = new Map<string, number>();
  const reluSites: ModelSummary['reluSites'] = [];
  const layers: LayerSummary[] = g.nodes.map((node, index) => {
    const op = node.domain && node.domain !== 'ai.onnx' ? `${node.domain}.${node.opType}` : node.opType;
    histogram.set(op, (histogram.get(op) ?? 0) + 1);
    const relu = isReluSite(node, model, constOf);
    const name = nodeLabel(node, index);
    if (relu) reluSites.push({ node: name, op, index });
    let parameters = 0;
    for (const i of node.inputs) {
      const t = i ? initializers.get(i) : undefined;
      if (t) parameters += elementCount(t.dims);
    }
    return {
      index,
      name,
      opType: node.opType,
      domain: node.domain,
      inputs: node.inputs.slice(),
      outputs: node.outputs.slice(),
      outputShapes: node.outputs.map((o) => (o ? typeToString(typeOf(o)) : '')),
      parameters,
      reluSite: relu,
    };
  });
  const initNames = new Set(initializers.keys());
  return {
    producerName: model.producerName,
    producerVersion: model.producerVersion,
    irVersion: model.irVersion,
    domain: model.domain,
    modelVersion: model.modelVersion,
    docString: model.docString,
    graphName: g.name,
    opsets: model.opsetImports.map((o) => ({ domain: o.domain || 'ai.onnx', version: o.version })),
    metadata: model.metadata.map((m) => ({ key: m.key, value: m.value })),
    // Graph inputs that are initializers (IR < 4 style) are parameters, not model inputs.
    inputs: g.inputs.filter((v) => !initNames.has(v.name)).map((v) => valueSummary(v.name, v.type ?? typeOf(v.name))),
    outputs: g.outputs.map((v) => valueSummary(v.name, typeOf(v.name) ?? v.type)),
    nodeCount: g.nodes.length,
    opHistogram: [...histogram].map(([op, count]) => ({ op, count })).sort((a, b) => b.count - a.count || a.op.localeCompare(b.op)),
    parameterCount,
    parameterBytes,
    reluSites,
    layers,
    functions: model.functions.length,
  };
}
