// Finds the activation sites the analysis watches: every ReLU-like node (Relu, Clip with min 0,
// Max(x, 0), onnxruntime's FusedConv/FusedGemm with a Relu activation), in the main graph, in
// subgraphs and in model-local functions; links each to its producer layer and picks its unit axis.
import { DataType, Graph, Model, Node, OnnxTensor } from '../onnx/ir';
import { findAttr } from '../onnx/attrs';
import { constantLookup, nodeLabel } from '../onnx/summary';
import { tensorValues } from '../onnx/tensor-data';
import { inferShapes } from '../onnx/shapes';

/** How a site's numbers are observed: its pre-activation, only its output (fused), or not at all. */
export type Observation = 'pre-activation' | 'output' | 'none';

/** One ReLU-like node and what the analysis needs to know about it. */
export interface ActivationSite {
  /** The node's label: its name, else its first output. Unique within a report. */
  id: string;
  /** Index in its graph's node list (main graph, subgraph or function body). */
  nodeIndex: number;
  /** '' for the main graph, else e.g. 'loop/body' or 'function:local.Block'. */
  graphPath: string;
  op: string;
  kind: 'relu' | 'relu6' | 'clip' | 'max0' | 'fused-relu';
  /** The pre-activation value name ('' for fused sites: not observable). */
  input: string;
  /** Which node input holds the pre-activation (Max(0, x) has it at 1). */
  inputIndex: number;
  output: string;
  /** The unit (channel) axis; negative counts from the end. */
  unitAxis: number;
  /** Clip's upper bound (6 for ReLU6). */
  cap?: number;
  /** The layer whose outputs this site activates (Conv, Gemm, MatMul, FusedConv, ...). */
  producer?: { node: string; op: string; nodeIndex: number };
  /** A BatchNormalization between the producer and the site. */
  batchNorm?: { node: string; nodeIndex: number };
  /** Ops walked through from the producer to the site, nearest last (e.g. ['BatchNormalization', 'Add']). */
  path: string[];
  /** True when the pre-activation is exactly producer → (BN) → elementwise-by-constant: weight causes apply. */
  affine: boolean;
  observation: Observation;
  /** Why the site is not observed, or how, when it matters. */
  note?: string;
}

/** A non-ReLU activation that cannot die the same way (listed in the report). */
export interface NonDyingSite {
  node: string;
  op: string;
  nodeIndex: number;
  graphPath: string;
}

const PRODUCERS = new Set(['Conv', 'ConvTranspose', 'Gemm', 'MatMul', 'FusedConv', 'FusedGemm', 'ConvInteger', 'MatMulInteger', 'QLinearConv', 'QLinearMatMul']);
const CHANNEL_FIRST = new Set(['Conv', 'ConvTranspose', 'FusedConv', 'ConvInteger', 'QLinearConv', 'BatchNormalization', 'InstanceNormalization']);
const PASS_THROUGH = new Set(['Identity', 'Dropout']);
const BY_CONSTANT = new Set(['Add', 'Sub', 'Mul', 'Div']);
const NON_DYING = new Set(['LeakyRelu', 'PRelu', 'Elu', 'Selu', 'Celu', 'Gelu', 'FastGelu', 'BiasGelu', 'QuickGelu', 'Softplus', 'Softsign', 'Sigmoid', 'Tanh', 'HardSigmoid', 'HardSwish', 'Mish', 'Swish']);

const std = (n: Node): boolean => n.domain === '' || n.domain === 'ai.onnx';
const utf8 = new TextDecoder();

/** All values of a small constant tensor as numbers, or undefined. */
function constValues(t: OnnxTensor | undefined, model: Model): number[] | undefined {
  if (!t) return undefined;
  try {
    const v = tensorValues(t, model);
    if (v.length > 1 << 16) return undefined;
    const out: number[] = [];
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      out.push(typeof x === 'bigint' ? Number(x) : typeof x === 'number' ? x : NaN);
    }
    return out;
  } catch {
    return undefined;
  }
}

function scalar(t: OnnxTensor | undefined, model: Model): number | undefined {
  const v = constValues(t, model);
  return v && v.length === 1 ? v[0] : undefined;
}

/** Classifies a node as a ReLU site: its kind, pre-activation input index and cap; undefined otherwise. */
function classify(node: Node, model: Model, constOf: (n: string) => OnnxTensor | undefined): Pick<ActivationSite, 'kind' | 'inputIndex' | 'cap'> | undefined {
  if (std(node) && node.opType === 'Relu') return { kind: 'relu', inputIndex: 0 };
  if (std(node) && node.opType === 'Clip') {
    const minA = findAttr(node, 'min');
    const maxA = findAttr(node, 'max');
    const min = minA && minA.type === 'float' ? minA.value : node.inputs[1] ? scalar(constOf(node.inputs[1]), model) : undefined;
    if (min !== 0) return undefined;
    const max = maxA && maxA.type === 'float' ? maxA.value : node.inputs[2] ? scalar(constOf(node.inputs[2]), model) : undefined;
    if (max === undefined) return { kind: 'clip', inputIndex: 0 };
    return { kind: max === 6 ? 'relu6' : 'clip', inputIndex: 0, cap: max };
  }
  if (std(node) && node.opType === 'Max' && node.inputs.length === 2) {
    for (let k = 0; k < 2; k++) {
      const v = constValues(constOf(node.inputs[k]), model);
      const other = node.inputs[1 - k];
      if (v && v.length > 0 && v.every((x) => x === 0) && !constOf(other)) return { kind: 'max0', inputIndex: 1 - k };
    }
    return undefined;
  }
  if (node.domain === 'com.microsoft' && (node.opType === 'FusedConv' || node.opType === 'FusedGemm')) {
    const a = findAttr(node, 'activation');
    if (a && a.type === 'string' && utf8.decode(a.value) === 'Relu') return { kind: 'fused-relu', inputIndex: -1 };
  }
  if (isQuantizedRelu(node, model, constOf)) return { kind: 'fused-relu', inputIndex: -1 };
  return undefined;
}

/**
 * QLinearConv / QLinearMatMul whose output zero point is 0 in uint8: no negative value is
 * representable, so the requantization clamps at zero, an implicit ReLU (how quantizers fuse one).
 */
function isQuantizedRelu(node: Node, model: Model, constOf: (n: string) => OnnxTensor | undefined): boolean {
  if (!std(node) || (node.opType !== 'QLinearConv' && node.opType !== 'QLinearMatMul')) return false;
  const zp = constOf(node.inputs[7] ?? '');
  if (!zp || zp.dataType !== DataType.UINT8) return false;
  const v = constValues(zp, model);
  return !!v && v.length > 0 && v.every((x) => x === 0);
}

function isNonDying(node: Node): boolean {
  if (NON_DYING.has(node.opType) && (std(node) || node.domain === 'com.microsoft')) return true;
  if (node.domain === 'com.microsoft' && (node.opType === 'FusedConv' || node.opType === 'FusedGemm')) {
    const a = findAttr(node, 'activation');
    return !!a && a.type === 'string' && NON_DYING.has(utf8.decode(a.value));
  }
  return false;
}

/** A graph scope to scan: nodes, where they live, and how constants are found. */
interface Scope {
  nodes: Node[];
  graphPath: string;
  constOf: (n: string) => OnnxTensor | undefined;
  observable: boolean;
}

function scopes(model: Model): Scope[] {
  const out: Scope[] = [];
  const visit = (g: Graph, graphPath: string, observable: boolean, depth: number): void => {
    out.push({ nodes: g.nodes, graphPath, constOf: constantLookup(g), observable });
    if (depth > 16) return;
    g.nodes.forEach((n, i) => {
      for (const a of n.attributes) {
        const graphs = a.type === 'graph' ? [a.value] : a.type === 'graphs' ? a.value : [];
        graphs.forEach((sub, k) => visit(sub, `${graphPath ? graphPath + '/' : ''}${nodeLabel(n, i)}/${a.name}${graphs.length > 1 ? `[${k}]` : ''}`, observable, depth + 1));
      }
    });
  };
  visit(model.graph, '', true, 0);
  for (const f of model.functions) {
    // A function body has no initializers: its constants are Constant nodes.
    const g: Graph = { name: f.name, nodes: f.nodes, initializers: [], sparseInitializers: [], inputs: [], outputs: [], valueInfo: [], docString: '', quantizationAnnotation: [] };
    out.push({ nodes: f.nodes, graphPath: `function:${f.domain ? f.domain + '.' : ''}${f.name}`, constOf: constantLookup(g), observable: true });
  }
  return out;
}

/**
 * The model's node object of each site (the same scan as findActivationSites, so `graphPath` and
 * `nodeIndex` resolve): observers match node events to sites with it, in any thread that decoded
 * the model itself.
 */
export function siteNodes(model: Model, sites: readonly ActivationSite[]): Array<Node | undefined> {
  const byPath = new Map<string, Node[]>();
  for (const sc of scopes(model)) if (!byPath.has(sc.graphPath)) byPath.set(sc.graphPath, sc.nodes);
  return sites.map((s) => byPath.get(s.graphPath)?.[s.nodeIndex]);
}

/** What a note says about where a site lives and how its numbers aggregate. */
function scopeNote(graphPath: string): string | undefined {
  if (graphPath === '') return undefined;
  if (graphPath.startsWith('function:')) return `inside model-local function ${graphPath.slice('function:'.length)}: statistics aggregate over every call of the function`;
  return 'inside a subgraph: statistics aggregate over every run of the body (each Loop or Scan iteration, each time an If takes this branch); a body that never ran shows no units';
}

/** Walks back from a value to the layer that produced it, through BN, Identity and ops by constants. */
function traceProducer(value: string, scope: Scope, byOutput: Map<string, number>): Pick<ActivationSite, 'producer' | 'batchNorm' | 'path' | 'affine'> & { axisOp?: string } {
  const path: string[] = [];
  let affine = true;
  let batchNorm: ActivationSite['batchNorm'];
  let axisOp: string | undefined;
  let v = value;
  for (let steps = 0; steps < 64; steps++) {
    const i = byOutput.get(v);
    if (i === undefined) break;
    const n = scope.nodes[i];
    if (PRODUCERS.has(n.opType)) {
      return { producer: { node: nodeLabel(n, i), op: n.opType, nodeIndex: i }, batchNorm, path: path.reverse(), affine, axisOp: axisOp ?? n.opType };
    }
    if (n.opType === 'BatchNormalization') {
      batchNorm ??= { node: nodeLabel(n, i), nodeIndex: i };
      axisOp ??= 'BatchNormalization';
      path.push(n.opType);
      v = n.inputs[0];
      continue;
    }
    if (PASS_THROUGH.has(n.opType)) {
      path.push(n.opType);
      v = n.inputs[0];
      continue;
    }
    if (n.opType === 'QuantizeLinear' || n.opType === 'DequantizeLinear') {
      // A QDQ pair around the pre-activation: the same values, rounded to the quantization grid.
      path.push(n.opType);
      affine = false;
      v = n.inputs[0];
      continue;
    }
    if (BY_CONSTANT.has(n.opType) && n.inputs.length === 2) {
      const c0 = scope.constOf(n.inputs[0]);
      const c1 = scope.constOf(n.inputs[1]);
      path.push(n.opType);
      if (c1 && !c0) v = n.inputs[0];
      else if (c0 && !c1 && n.opType !== 'Sub' && n.opType !== 'Div') v = n.inputs[1];
      else if (!c0 && !c1 && n.opType === 'Add') {
        // A residual sum: the pre-activation is no longer one layer's affine output.
        affine = false;
        v = n.inputs[0];
      } else break;
      continue;
    }
    break;
  }
  return { path: path.reverse(), affine: false, batchNorm, axisOp };
}

/** Every ReLU site in the model (main graph first, then subgraphs, then functions). */
export function findActivationSites(model: Model, opts: { unitAxis?: Record<string, number> } = {}): ActivationSite[] {
  const sites: ActivationSite[] = [];
  const seen = new Map<string, number>();
  let types: ReturnType<typeof inferShapes> | undefined;
  try {
    types = inferShapes(model);
  } catch {
    types = undefined;
  }
  for (const scope of scopes(model)) {
    const byOutput = new Map<string, number>();
    scope.nodes.forEach((n, i) => n.outputs.forEach((o) => o && byOutput.set(o, i)));
    scope.nodes.forEach((node, i) => {
      const c = classify(node, model, scope.constOf);
      if (!c) return;
      const fused = c.kind === 'fused-relu';
      const input = fused ? '' : node.inputs[c.inputIndex] ?? '';
      const trace = fused
        ? { producer: { node: nodeLabel(node, i), op: node.opType, nodeIndex: i }, path: [], affine: true, axisOp: node.opType }
        : traceProducer(input, scope, byOutput);
      let id = nodeLabel(node, i);
      if (scope.graphPath) id = `${scope.graphPath}/${id}`;
      const dup = seen.get(id) ?? 0;
      seen.set(id, dup + 1);
      if (dup) id = `${id}#${dup}`;
      let axis: number;
      if (trace.axisOp) axis = CHANNEL_FIRST.has(trace.axisOp) ? 1 : -1;
      else {
        const t = types?.get(fused ? node.outputs[0] : input);
        const rank = t && t.kind === 'tensor' && t.shape ? t.shape.length : undefined;
        axis = rank !== undefined && rank > 2 ? 1 : -1;
      }
      const override = opts.unitAxis?.[id];
      if (override !== undefined) axis = override;
      const observation: Observation = !scope.observable ? 'none' : fused ? 'output' : 'pre-activation';
      sites.push({
        id,
        nodeIndex: i,
        graphPath: scope.graphPath,
        op: node.domain && node.domain !== 'ai.onnx' ? `${node.domain}.${node.opType}` : node.opType,
        kind: c.kind,
        input,
        inputIndex: c.inputIndex,
        output: node.outputs[0] ?? '',
        unitAxis: axis,
        ...(c.cap !== undefined ? { cap: c.cap } : {}),
        ...(trace.producer ? { producer: trace.producer } : {}),
        ...(trace.batchNorm ? { batchNorm: trace.batchNorm } : {}),
        path: trace.path,
        affine: trace.affine,
        observation,
        ...(fused
          ? { note: node.opType.startsWith('QLinear') ? 'quantized ReLU: the uint8 output with zero point 0 clamps at zero; observed at the quantized output (q > 0 ⇔ fired), statistics in quantized units' : 'fused activation: only the output is observable (positive ⇔ fired); pre-activation statistics are of the output' }
          : scopeNote(scope.graphPath) ? { note: scopeNote(scope.graphPath) } : {}),
      });
    });
  }
  return sites;
}

/** LeakyRelu, PRelu, Elu, Gelu, ...: activations listed as non-dying. */
export function findNonDyingActivations(model: Model): NonDyingSite[] {
  const out: NonDyingSite[] = [];
  for (const scope of scopes(model)) {
    scope.nodes.forEach((n, i) => {
      if (isNonDying(n)) out.push({ node: nodeLabel(n, i), op: n.domain && n.domain !== 'ai.onnx' ? `${n.domain}.${n.opType}` : n.opType, nodeIndex: i, graphPath: scope.graphPath });
    });
  }
  return out;
}
