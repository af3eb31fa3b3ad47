// Best-effort shape inference over the model IR: every value of the main graph (and, where
// cheap, of If/Loop/Scan bodies) gets a dtype and a shape of numbers, dim names or unknowns.
// Small integer tensors are followed symbolically so exporter-made Reshape targets resolve.
// Never throws and never materializes a tensor: an op it does not know leaves its outputs unknown.
import { Attribute, Graph, Model, Node, OnnxFunction, OnnxTensor, OpsetImport, TypeInfo } from './ir';
import { cleanDim, InferCtx, isNum, mergeDim, ShapeRule, SymTensor, tensorType } from './shapes/common';
import { elementwiseRules } from './shapes/elementwise';
import { nnRules } from './shapes/nn';
import { tensorRules } from './shapes/tensor';
import { constantValue, readSmall, ValueRule, valueRules } from './shapes/values';
import { controlRules } from './shapes/control';

/** Inferred types by value name. Values whose type is wholly unknown are absent. */
export type ShapeMap = Map<string, TypeInfo>;

export interface ShapeOptions {
  /** Use value_info and graph output declarations where inference knows less (default true). */
  declared?: boolean;
}

const RULES: Record<string, ShapeRule> = {};
elementwiseRules(RULES);
nnRules(RULES);
tensorRules(RULES);
controlRules(RULES);
const VALUES: Record<string, ValueRule> = valueRules();

const MAX_DEPTH = 16;

/** Infers types for the model's values; see the file comment. */
export function inferShapes(model: Model, options: ShapeOptions = {}): ShapeMap {
  const result: ShapeMap = new Map();
  try {
    const inf = new Inferer(model, options.declared !== false, result);
    inf.graph(model.graph, undefined, undefined, opsetMap(model.opsetImports), 0, 'main');
  } catch {
    // Best effort: whatever was recorded before an unexpected failure is still returned.
  }
  return result;
}

function opsetMap(list: OpsetImport[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const o of list) m.set(o.domain === 'ai.onnx' ? '' : o.domain, o.version);
  return m;
}

/** Cleans a declared type: negative or unsafe dims become unknown. */
function cleanType(t: TypeInfo | undefined): TypeInfo | undefined {
  if (!t || (t.kind !== 'tensor' && t.kind !== 'sparse_tensor') || !t.shape) return t;
  return { ...t, shape: t.shape.map(cleanDim) };
}

/** Merges an inferred type with a declared one: inferred facts win, declared ones fill the gaps. */
export function mergeTypes(inferred: TypeInfo | undefined, declared: TypeInfo | undefined): TypeInfo | undefined {
  if (!declared) return inferred;
  if (!inferred) return declared;
  if (inferred.kind !== 'tensor' || declared.kind !== 'tensor') return inferred;
  const elemType = inferred.elemType || declared.elemType;
  let shape = inferred.shape ?? declared.shape;
  if (inferred.shape && declared.shape && inferred.shape.length === declared.shape.length) {
    shape = inferred.shape.map((d, i) => mergeDim(d, declared.shape![i]));
  }
  return shape === undefined ? { kind: 'tensor', elemType } : { kind: 'tensor', elemType, shape };
}

/** A lexical scope: a graph's values, falling back to the enclosing graph's. */
class Scope {
  types = new Map<string, TypeInfo>();
  values = new Map<string, SymTensor | null>();
  consts = new Map<string, Attribute | { tensor: OnnxTensor }>();
  constructor(readonly parent: Scope | undefined) {}
  type(name: string): TypeInfo | undefined {
    const t = this.types.get(name);
    return t ?? this.parent?.type(name);
  }
}

class Inferer {
  constructor(
    readonly model: Model,
    readonly useDeclared: boolean,
    readonly result: ShapeMap,
  ) {}

  /** Infers a graph; returns its output types. `formals` binds input types (subgraph bodies). */
  graph(g: Graph, parent: Scope | undefined, formals: Array<TypeInfo | undefined> | undefined, opsets: Map<string, number>, depth: number, mode: 'main' | 'sub' | 'fn', formalValues?: Array<SymTensor | undefined>): Array<TypeInfo | undefined> {
    const scope = new Scope(parent);
    formalValues?.forEach((v, i) => v && g.inputs[i] && scope.values.set(g.inputs[i].name, v));
    const declared = new Map<string, TypeInfo>();
    if (this.useDeclared) {
      for (const v of [...g.valueInfo, ...g.outputs]) {
        const t = cleanType(v.type);
        if (t) declared.set(v.name, t);
      }
    }
    const inputNames = new Set(g.inputs.map((v) => v.name));
    for (const t of g.initializers) {
      scope.types.set(t.name, { kind: 'tensor', elemType: t.dataType, shape: t.dims.map((d) => cleanDim(d)) });
      if (!inputNames.has(t.name)) scope.consts.set(t.name, { tensor: t });
    }
    g.inputs.forEach((v, i) => {
      const t = mergeTypes(formals?.[i], cleanType(v.type)) ?? scope.types.get(v.name);
      if (t) scope.types.set(v.name, t);
      else scope.types.delete(v.name);
    });
    for (const node of topoOrder(g.nodes)) this.node(node, scope, declared, opsets, depth);
    if (mode !== 'fn') {
      for (const [k, t] of scope.types) if (mode === 'main' || !this.result.has(k)) this.result.set(k, t);
    }
    return g.outputs.map((o) => scope.type(o.name) ?? (this.useDeclared ? cleanType(o.type) : undefined));
  }

  /** Value lookup with lazy reads of constants. */
  value(scope: Scope, name: string): SymTensor | undefined {
    for (let s: Scope | undefined = scope; s; s = s.parent) {
      if (s.values.has(name)) return s.values.get(name) ?? undefined;
      const c = s.consts.get(name);
      if (c) {
        const v = 'tensor' in c ? readSmall(c.tensor, this.model) : constantValue(c, this.model);
        s.values.set(name, v ?? null);
        return v;
      }
      if (s.types.has(name)) return undefined;
    }
    return undefined;
  }

  node(node: Node, scope: Scope, declared: Map<string, TypeInfo>, opsets: Map<string, number>, depth: number): void {
    const std = node.domain === '' || node.domain === 'ai.onnx';
    const outTypes: Array<TypeInfo | undefined> = new Array(node.outputs.length).fill(undefined);
    const outValues: Array<SymTensor | undefined> = [];
    const ctx = this.ctx(node, scope, opsets, depth, outTypes, outValues);
    const fn = this.model.functions.find((f) => f.name === node.opType && f.domain === node.domain);
    const rule = std ? RULES[node.opType] : fn ? undefined : RULES[`${node.domain}:${node.opType}`] ?? (node.domain === 'com.microsoft' ? RULES[node.opType] : undefined);
    try {
      if (rule) rule(ctx);
      else if (fn) ctx.callFunction()?.forEach((t, i) => (outTypes[i] = t));
    } catch {
      outTypes.fill(undefined);
    }
    if (std && node.opType === 'Constant' && node.outputs[0]) scope.consts.set(node.outputs[0], node.attributes[0]);
    const vr = std ? VALUES[node.opType] : undefined;
    if (vr && outValues[0] === undefined) {
      try {
        outValues[0] = vr(ctx);
      } catch {
        outValues[0] = undefined;
      }
    }
    node.outputs.forEach((name, i) => {
      if (!name) return;
      const t = mergeTypes(outTypes[i], declared.get(name));
      if (t && !(t.kind === 'tensor' && !t.elemType && t.shape === undefined)) scope.types.set(name, t);
      else scope.types.delete(name);
      const v = outValues[i];
      if (v) scope.values.set(name, fitDims(v, t));
      else if (!scope.consts.has(name)) scope.values.set(name, null);
    });
  }

  ctx(node: Node, scope: Scope, opsets: Map<string, number>, depth: number, outTypes: Array<TypeInfo | undefined>, outValues: Array<SymTensor | undefined>): InferCtx {
    const name = (i: number) => (i >= 0 && i < node.inputs.length ? node.inputs[i] : '');
    const type = (i: number) => (name(i) ? scope.type(name(i)) : undefined);
    const attr = (n: string) => node.attributes.find((a) => a.name === n);
    const num = (n: string, def: number, kind: 'int' | 'float') => {
      const a = attr(n);
      if (!a) return def;
      if (a.type === kind || (kind === 'float' && a.type === 'int')) return a.value as number;
      throw new Error(`attribute ${n}`);
    };
    return {
      node,
      model: this.model,
      opset: opsets.get(node.domain === 'ai.onnx' ? '' : node.domain) ?? 0,
      has: (i) => name(i) !== '',
      type,
      dtype: (i) => { const t = type(i); return t && t.kind === 'tensor' && t.elemType ? t.elemType : undefined; },
      shape: (i) => { const t = type(i); return t && t.kind === 'tensor' ? t.shape : undefined; },
      value: (i) => (name(i) ? this.value(scope, name(i)) : undefined),
      attr,
      int: (n, def) => num(n, def, 'int'),
      float: (n, def) => num(n, def, 'float'),
      ints: (n) => { const a = attr(n); if (!a) return undefined; if (a.type !== 'ints') throw new Error(`attribute ${n}`); return a.value; },
      str: (n, def) => { const a = attr(n); if (!a) return def; if (a.type !== 'string') throw new Error(`attribute ${n}`); return new TextDecoder().decode(a.value); },
      set: (i, dtype, shape) => { if (i < outTypes.length) outTypes[i] = tensorType(dtype, shape); },
      setType: (i, t) => { if (i < outTypes.length) outTypes[i] = t; },
      setValue: (i, v) => { outValues[i] = v; },
      subgraph: (n, formals) => {
        const a = attr(n);
        if (!a || a.type !== 'graph' || depth >= MAX_DEPTH) return undefined;
        return this.graph(a.value, scope, formals, opsets, depth + 1, 'sub');
      },
      callFunction: () => {
        const fn = this.model.functions.find((f) => f.name === node.opType && f.domain === node.domain);
        if (!fn || depth >= MAX_DEPTH) return undefined;
        return this.call(fn, node, scope, depth);
      },
    };
  }

  /** Infers a model-local function body for one call site. */
  call(fn: OnnxFunction, call: Node, scope: Scope, depth: number): Array<TypeInfo | undefined> {
    const body: Graph = {
      name: fn.name,
      nodes: fn.nodes.map((n) => bindAttrs(n, call, fn)),
      initializers: [],
      sparseInitializers: [],
      inputs: fn.inputs.map((name) => ({ name, docString: '' })),
      outputs: fn.outputs.map((name) => ({ name, docString: '' })),
      valueInfo: [],
      docString: '',
      quantizationAnnotation: [],
    };
    const values = fn.inputs.map((_, i) => (call.inputs[i] ? this.value(scope, call.inputs[i]) : undefined));
    const formals = fn.inputs.map((_, i) => (call.inputs[i] ? scope.type(call.inputs[i]) : undefined));
    const opsets = opsetMap(fn.opsetImports.length ? fn.opsetImports : this.model.opsetImports);
    return this.graph(body, undefined, formals, opsets, depth + 1, 'fn', values);
  }
}

/** A function-body node with attribute references replaced by the call's attributes or defaults. */
function bindAttrs(n: Node, call: Node, fn: OnnxFunction): Node {
  if (!n.attributes.some((a) => a.refAttrName)) return n;
  const attributes: Attribute[] = [];
  for (const a of n.attributes) {
    if (!a.refAttrName) attributes.push(a);
    else {
      const v = call.attributes.find((x) => x.name === a.refAttrName) ?? fn.attributeDefaults.find((x) => x.name === a.refAttrName);
      if (v) attributes.push({ ...v, name: a.name });
    }
  }
  return { ...n, attributes };
}

/** Gives a value the output's concrete shape when the element counts agree. */
function fitDims(v: SymTensor, t: TypeInfo | undefined): SymTensor {
  if (t && t.kind === 'tensor' && t.shape && t.shape.every(isNum)) {
    const dims = t.shape as number[];
    if (dims.reduce((a, b) => a * b, 1) === v.data.length) return { dims, data: v.data };
  }
  return v;
}

/** Nodes in a dependency order (Kahn); nodes caught in a cycle follow in file order. */
export function topoOrder(nodes: Node[]): Node[] {
  const producer = new Map<string, number>();
  nodes.forEach((n, i) => n.outputs.forEach((o) => o && producer.set(o, i)));
  const indeg = new Int32Array(nodes.length);
  const users: number[][] = nodes.map(() => []);
  let sorted = true;
  nodes.forEach((n, i) => {
    for (const x of n.inputs) {
      const p = x ? producer.get(x) : undefined;
      if (p === undefined || p === i) continue;
      indeg[i]++;
      users[p].push(i);
      if (p > i) sorted = false;
    }
  });
  if (sorted) return nodes;
  const order: Node[] = [];
  const done = new Uint8Array(nodes.length);
  const queue: number[] = [];
  for (let i = 0; i < nodes.length; i++) if (indeg[i] === 0) queue.push(i);
  for (let q = 0; q < queue.length; q++) {
    const i = queue[q];
    done[i] = 1;
    order.push(nodes[i]);
    for (const u of users[i]) if (--indeg[u] === 0) queue.push(u);
  }
  for (let i = 0; i < nodes.length; i++) if (!done[i]) order.push(nodes[i]);
  return order;
}

