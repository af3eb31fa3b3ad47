// Model-local functions (FunctionProto): expands every call into the function's body, with value
// names made unique per call, attributes substituted (ref_attr_name, defaults) and the function's
// own opset imports. The result is a flat list of nodes the planner treats like any other.
import { Attribute, Graph, Node, OnnxFunction, OpsetImport } from '../onnx/ir';
import { GraphError } from './errors';
import { normalizeDomain, opName } from './registry';

/** One node to plan: the node (rewritten when it came from a function body) and its opsets. */
export interface FlatNode {
  readonly node: Node;
  /** Index in the graph's own node list; for nodes from a function body, the calling node's. */
  readonly nodeIndex: number;
  /** Opset per normalized domain in effect for this node. */
  readonly opsets: ReadonlyMap<string, number>;
}

/** Opset imports as a map keyed by normalized domain. */
export function opsetMap(imports: readonly OpsetImport[], fallback?: ReadonlyMap<string, number>): Map<string, number> {
  const m = new Map<string, number>(fallback ?? []);
  for (const o of imports) m.set(normalizeDomain(o.domain), o.version);
  return m;
}

const MAX_DEPTH = 64;

/** Rewritten node → the node of the FunctionProto body (or subgraph) it was made from. */
const origins = new WeakMap<Node, Node>();

/**
 * The model's own node an inlined node was made from (a node of a model-local function's body),
 * or undefined for nodes that were not rewritten. Observers use it to find a function's sites.
 */
export function inlinedFrom(node: Node): Node | undefined {
  return origins.get(node);
}

/** Expands calls of model-local functions among `nodes`; nodes that call none come back unchanged. */
export function inlineFunctions(
  nodes: readonly Node[],
  functions: readonly OnnxFunction[],
  opsets: ReadonlyMap<string, number>,
): FlatNode[] {
  const table = new Map<string, OnnxFunction>();
  for (const f of functions) table.set(opName(f.domain, f.name), f);
  const out: FlatNode[] = [];
  if (table.size === 0) {
    nodes.forEach((node, i) => out.push({ node, nodeIndex: i, opsets }));
    return out;
  }
  let counter = 0;
  const expand = (list: readonly Node[], ops: ReadonlyMap<string, number>, callIndex: number | undefined, stack: string[]): void => {
    list.forEach((node, i) => {
      const index = callIndex ?? i;
      const key = opName(node.domain, node.opType);
      const fn = table.get(key);
      if (!fn) {
        out.push({ node, nodeIndex: index, opsets: ops });
        return;
      }
      if (stack.includes(key) || stack.length >= MAX_DEPTH) {
        throw new GraphError(`function ${key} calls itself (${[...stack, key].join(' → ')}); recursive functions cannot run`);
      }
      if (node.inputs.length > fn.inputs.length || node.outputs.length > fn.outputs.length) {
        throw new GraphError(`node "${node.name || node.outputs[0]}" calls function ${key} with ${node.inputs.length} inputs and ${node.outputs.length} outputs; it declares ${fn.inputs.length} and ${fn.outputs.length}`);
      }
      const prefix = `${node.name || key}#${counter++}/`;
      const names = new Map<string, string>();
      // Outputs first, so that a name that is both an input and an output reads the input.
      fn.outputs.forEach((formal, k) => names.set(formal, node.outputs[k] ?? ''));
      fn.inputs.forEach((formal, k) => names.set(formal, node.inputs[k] ?? ''));
      const rename = (n: string): string => (n === '' ? '' : names.get(n) ?? prefix + n);
      const attrs = callAttributes(node, fn);
      const body = fn.nodes.map((b) => rewriteNode(b, rename, attrs, prefix));
      // A function output that is one of its inputs (or never produced) needs a copy node.
      const produced = new Set(fn.nodes.flatMap((b) => b.outputs));
      fn.outputs.forEach((formal, k) => {
        const actual = node.outputs[k] ?? '';
        if (actual === '' || produced.has(formal)) return;
        if (!fn.inputs.includes(formal)) {
          throw new GraphError(`function ${key} output "${formal}" is not produced by any node of its body`);
        }
        body.push({ name: `${prefix}output${k}`, opType: 'Identity', domain: '', inputs: [rename(formal)], outputs: [actual], attributes: [], docString: '' });
      });
      expand(body, opsetMap(fn.opsetImports, ops), index, [...stack, key]);
    });
  };
  expand(nodes, opsets, undefined, []);
  return out;
}

/** The attributes a call provides to its function body: the caller's, then the declared defaults. */
function callAttributes(node: Node, fn: OnnxFunction): Map<string, Attribute> {
  const m = new Map<string, Attribute>();
  for (const d of fn.attributeDefaults) m.set(d.name, d);
  for (const a of node.attributes) m.set(a.name, a);
  return m;
}

/** A body node with renamed values, its name prefixed and ref attributes substituted. */
function rewriteNode(node: Node, rename: (n: string) => string, attrs: ReadonlyMap<string, Attribute>, prefix: string): Node {
  const attributes: Attribute[] = [];
  for (const a of node.attributes) {
    const sub = substitute(a, attrs);
    if (!sub) continue;
    if (sub.type === 'graph') attributes.push({ ...sub, value: rewriteGraph(sub.value, rename, attrs) });
    else if (sub.type === 'graphs') attributes.push({ ...sub, value: sub.value.map((g) => rewriteGraph(g, rename, attrs)) });
    else attributes.push(sub);
  }
  const out: Node = {
    ...node,
    name: prefix + (node.name || node.outputs[0] || node.opType),
    inputs: node.inputs.map(rename),
    outputs: node.outputs.map(rename),
    attributes,
  };
  origins.set(out, origins.get(node) ?? node);
  return out;
}

/** An attribute with ref_attr_name replaced by the caller's value (renamed), or undefined when absent. */
function substitute(a: Attribute, attrs: ReadonlyMap<string, Attribute>): Attribute | undefined {
  if (a.refAttrName === undefined || a.refAttrName === '') return a;
  const v = attrs.get(a.refAttrName);
  if (!v) return undefined;
  const copy = { ...v, name: a.name } as Attribute;
  delete (copy as { refAttrName?: string }).refAttrName;
  return copy;
}

/** A subgraph of a function body: outer names renamed, names it defines itself left alone. */
function rewriteGraph(g: Graph, rename: (n: string) => string, attrs: ReadonlyMap<string, Attribute>): Graph {
  const local = new Set<string>([...g.inputs.map((v) => v.name), ...g.initializers.map((t) => t.name)]);
  for (const n of g.nodes) for (const o of n.outputs) local.add(o);
  const inner = (n: string): string => (n === '' || local.has(n) ? n : rename(n));
  const nodes = g.nodes.map((n) => {
    const r: Node = { ...rewriteNode(n, inner, attrs, ''), name: n.name };
    origins.set(r, origins.get(n) ?? n);
    return r;
  });
  return { ...g, nodes, outputs: g.outputs.map((v) => (local.has(v.name) ? v : { ...v, name: rename(v.name) })) };
}
