// Plans a graph once per model: inlines model-local functions, orders nodes topologically,
// resolves every op and parses attributes once per node (listing all unsupported ops and every
// variant an op refuses in one error),
// folds initializer-only nodes into constants, optionally fuses steps (fuse.ts) and computes when
// each value can be released.
import { Graph, Model, Node, OnnxTensor, SparseTensor, TensorValues, ValueInfo } from '../onnx/ir';
import { allocValues } from '../onnx/dtype';
import { tensorValues } from '../onnx/tensor-data';
import { GraphError, isUnsupported, UnsupportedError, wrapNodeError } from './errors';
import { FusionOptions, fuseSteps } from './fuse';
import { FlatNode, inlineFunctions, opsetMap } from './inline';
import { OpDef, RunContext } from './op';
import { describeMissing, opName, Registry } from './registry';
import { runNode } from './run-node';
import { makeTensor, sizeOf, Tensor } from './tensor';
import { topoOrder } from './toposort';

/** A graph input: its slot, declared type and the initializer that serves as its default. */
export interface PlannedInput {
  readonly name: string;
  readonly slot: number;
  readonly info: ValueInfo;
  readonly initializer?: Tensor;
}

/** A subgraph attribute of a node, planned, with the slots (in the enclosing plan) of the outer values it reads. */
export interface PlannedSubgraph {
  readonly plan: GraphPlan;
  readonly outerSlots: readonly number[];
}

/** One node to execute. */
export interface Step {
  readonly node: Node;
  readonly nodeIndex: number;
  readonly def: OpDef<unknown>;
  readonly attrs: unknown;
  readonly opset: number;
  /** Value slots of the inputs; -1 for an omitted optional input. */
  readonly inputs: readonly number[];
  /** Value slots of the outputs; -1 for an omitted optional output. */
  readonly outputs: readonly number[];
  /** Subgraph attributes by name (If/Loop/Scan bodies). */
  readonly subgraphs: ReadonlyMap<string, PlannedSubgraph>;
  /** Slots whose last reader is this node: dropped right after it. */
  readonly release: readonly number[];
  /** Set on a step fusion merged (fuse.ts): the nodes it computes, head first; not reported to observers. */
  readonly fused?: readonly Node[];
}

/** A node folded into constants at plan time; replayed to observers on every run. */
export interface FoldedNode {
  readonly node: Node;
  readonly nodeIndex: number;
  readonly inputs: ReadonlyArray<Tensor | undefined>;
  readonly outputs: readonly Tensor[];
}

/** The executable form of a graph. */
export interface GraphPlan {
  readonly name: string;
  readonly slotCount: number;
  readonly slotNames: readonly string[];
  /** Initializers that no input overrides, and folded values. */
  readonly constants: ReadonlyArray<readonly [number, Tensor]>;
  readonly inputs: readonly PlannedInput[];
  readonly outputs: ReadonlyArray<{ readonly name: string; readonly slot: number }>;
  readonly steps: readonly Step[];
  readonly folded: readonly FoldedNode[];
  /** Values of enclosing graphs this graph reads, and the slot each lands in here. */
  readonly outer: ReadonlyArray<{ readonly name: string; readonly slot: number }>;
}

/** What the planner needs besides the model. */
export interface PlanOptions {
  readonly registry: Registry;
  readonly constantFolding: boolean;
  /** Builds the RunContext for a node (the executor's allocator with its memory limit). */
  readonly context: (node: Node, nodeIndex: number, opset: number) => RunContext;
  /** Plan-time fusion of the main graph (fuse.ts); off when undefined. */
  readonly fusion?: FusionOptions;
}

/** Ops whose result must not be computed once at plan time. */
const NOT_FOLDABLE = new Set([
  'RandomNormal', 'RandomUniform', 'RandomNormalLike', 'RandomUniformLike', 'Multinomial', 'Bernoulli', 'Dropout',
]);

/**
 * Plans the model's main graph; throws UnsupportedError listing every missing op and every node
 * whose op refused its attributes (`unsupported(...)` errors from parse), or GraphError / NodeError.
 */
export function planModel(model: Model, options: PlanOptions): GraphPlan {
  const missing = new Set<string>();
  const other = new Set<string>();
  const refused: string[] = [];
  const p = new Planner(model, options, missing, other, refused);
  const plan = p.graph(model.graph, new Set(), true);
  if (missing.size || other.size || refused.length) throw new UnsupportedError([...missing], [...other], refused);
  return plan;
}

/** A tensor from a TensorProto of the model (decoded; external data read relative to the model). */
export function tensorFromProto(t: OnnxTensor, model: Model): Tensor {
  return makeTensor(t.dataType, t.dims, tensorValues(t, model));
}

class Planner {
  private readonly opsets: ReadonlyMap<string, number>;
  constructor(
    private readonly model: Model,
    private readonly options: PlanOptions,
    private readonly missing: Set<string>,
    private readonly other: Set<string>,
    private readonly refused: string[],
  ) {
    this.opsets = opsetMap(model.opsetImports);
  }

  /** Plans one graph; `scope` holds the names visible from enclosing graphs. */
  graph(g: Graph, scope: ReadonlySet<string>, main: boolean): GraphPlan {
    const flat = inlineFunctions(g.nodes, this.model.functions, this.opsets);
    const slots = new Map<string, number>();
    const slotNames: string[] = [];
    const label = g.name ? `graph "${g.name}"` : 'the graph';
    const define = (name: string, what: string): number => {
      if (slots.has(name)) throw new GraphError(`${label}: value "${name}" is defined twice (again as ${what})`);
      slots.set(name, slotNames.length);
      slotNames.push(name);
      return slotNames.length - 1;
    };
    // Inputs, initializers (an initializer named like an input is that input's default), outputs of nodes.
    const inputSlots = g.inputs.map((v) => define(v.name, 'a graph input'));
    const inits = new Map<string, Tensor>();
    for (const t of g.initializers) inits.set(t.name, this.initializer(t));
    for (const s of g.sparseInitializers) inits.set(s.values.name, this.sparse(s));
    const constants = new Map<number, Tensor>();
    for (const [name, t] of inits) {
      if (!slots.has(name)) constants.set(define(name, 'an initializer'), t);
    }
    for (const f of flat) {
      for (const o of f.node.outputs) if (o !== '') define(o, `an output of ${f.node.opType} node "${f.node.name}"`);
    }
    const inputs: PlannedInput[] = g.inputs.map((info, i) => ({ name: info.name, slot: inputSlots[i], info, initializer: inits.get(info.name) }));
    if (main) this.checkInputTypes(g.inputs);
    // Names read but not defined here come from the enclosing graphs.
    const outer: Array<{ name: string; slot: number }> = [];
    const resolve = (name: string, reader: string): number => {
      if (name === '') return -1;
      const s = slots.get(name);
      if (s !== undefined) return s;
      if (!scope.has(name)) throw new GraphError(`${label}: ${reader} reads "${name}", which no node, graph input or initializer defines`);
      const slot = define(name, 'an outer value');
      outer.push({ name, slot });
      return slot;
    };
    const visible = new Set<string>([...scope, ...slots.keys()]);
    const prepared = flat.map((f, i) => this.prepare(f, i, resolve, visible));
    const outputs = g.outputs.map((v) => ({ name: v.name, slot: resolve(v.name, 'graph output') }));
    const order = topoOrder(prepared.map((p) => p.reads), prepared.map((p) => p.outputs), slotNames.length, (k) => describeFlat(flat[k]));
    const planned = this.parseAndFold(prepared, order, constants);
    const { folded } = planned;
    const fusion = this.options.fusion;
    const steps = main && fusion && !this.missing.size && !this.other.size && !this.refused.length
      ? fuseSteps({ steps: planned.steps, constants, slotNames, outputSlots: outputs.map((o) => o.slot) }, fusion)
      : planned.steps;
    const keep = new Set<number>([...outputs.map((o) => o.slot), ...constants.keys()]);
    return {
      name: g.name,
      slotCount: slotNames.length,
      slotNames,
      constants: [...constants],
      inputs,
      outputs,
      steps: withReleases(steps, keep),
      folded,
      outer,
    };
  }

  private initializer(t: OnnxTensor): Tensor {
    try {
      return tensorFromProto(t, this.model);
    } catch (err) {
      throw new GraphError(`initializer "${t.name}": ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** A dense tensor from a sparse initializer (indices are linear [NNZ] or coordinates [NNZ, rank]). */
  private sparse(s: SparseTensor): Tensor {
    const values = this.initializer(s.values);
    const indices = this.initializer(s.indices);
    const dims = s.dims;
    const n = sizeOf(dims);
    const out = allocValues(values.dtype, n);
    const nnz = values.shape[0] ?? 0;
    const idx = indices.data as BigInt64Array;
    const coords = indices.shape.length === 2;
    for (let k = 0; k < nnz; k++) {
      let lin = 0;
      if (coords) for (let d = 0; d < dims.length; d++) lin = lin * dims[d] + Number(idx[k * dims.length + d]);
      else lin = Number(idx[k]);
      if (!(lin >= 0 && lin < n)) throw new GraphError(`sparse initializer "${s.values.name}": index ${lin} is outside shape [${dims.join(',')}]`);
      (out as unknown as Record<number, unknown>)[lin] = (values.data as unknown as Record<number, unknown>)[k];
    }
    return makeTensor(values.dtype, dims, out as TensorValues);
  }

  /** Graph inputs are tensors, sequences or optionals: maps and sparse tensors are not values this executor carries. */
  private checkInputTypes(inputs: readonly ValueInfo[]): void {
    for (const v of inputs) {
      const k = v.type?.kind;
      if (k && k !== 'tensor' && k !== 'sequence' && k !== 'optional') this.other.add(`input "${v.name}" of type ${k}`);
    }
  }

  /** Resolves a node's op, its value slots and its subgraphs (errors about missing ops are collected). */
  private prepare(f: FlatNode, k: number, resolve: (name: string, reader: string) => number, visible: ReadonlySet<string>) {
    const { node } = f;
    const reader = describeFlat(f);
    const inputs = node.inputs.map((n) => resolve(n, reader));
    const outputs = node.outputs.map((n) => (n === '' ? -1 : resolve(n, reader)));
    const subgraphs = new Map<string, PlannedSubgraph>();
    const reads = inputs.filter((s) => s >= 0);
    for (const a of node.attributes) {
      const graphs = a.type === 'graph' ? [a.value] : a.type === 'graphs' ? a.value : [];
      graphs.forEach((sub, j) => {
        const plan = this.graph(sub, visible, false);
        const outerSlots = plan.outer.map((o) => resolve(o.name, reader));
        reads.push(...outerSlots);
        subgraphs.set(a.type === 'graphs' ? `${a.name}[${j}]` : a.name, { plan, outerSlots });
      });
    }
    const domainOpset = f.opsets.get(node.domain === 'ai.onnx' ? '' : node.domain);
    let def: OpDef<unknown> | undefined;
    if (domainOpset === undefined) {
      this.missing.add(`${opName(node.domain, node.opType)} (domain "${node.domain}" not imported)`);
    } else {
      const r = this.options.registry.lookup(node.domain, node.opType, domainOpset);
      if (r.ok) def = r.def;
      else this.missing.add(describeMissing(node.domain, node.opType, domainOpset, r.versions));
    }
    return { flat: f, index: k, def, opset: domainOpset ?? 0, inputs, outputs, reads, subgraphs };
  }

  /**
   * Calls each op's parse once, in order, and runs nodes whose inputs are all constants. A parse
   * that refuses its node (an `unsupported` error) is collected so that every refusal is listed at
   * once; once the model is known to be unsupported, nothing is folded and other parse errors wait.
   */
  private parseAndFold(prepared: ReturnType<Planner['prepare']>[], order: number[], constants: Map<number, Tensor>) {
    const steps: Omit<Step, 'release'>[] = [];
    const folded: FoldedNode[] = [];
    const failing = (): boolean => this.missing.size > 0 || this.other.size > 0 || this.refused.length > 0;
    for (const k of order) {
      const p = prepared[k];
      if (!p.def) continue;
      const def = p.def;
      const { node, nodeIndex } = p.flat;
      const constantInputs = p.inputs.map((s) => (s >= 0 ? constants.get(s) : undefined));
      let attrs: unknown;
      try {
        attrs = def.parse ? def.parse({ node, opset: p.opset, constantInputs }) : undefined;
      } catch (err) {
        const wrapped = wrapNodeError(err, node, nodeIndex);
        if (isUnsupported(wrapped)) this.refused.push(wrapped.message);
        else if (!failing()) throw wrapped;
        continue;
      }
      if (failing()) continue; // planning fails anyway: only look for more refusals
      const foldable = this.options.constantFolding && p.subgraphs.size === 0 && !NOT_FOLDABLE.has(node.opType) && !def.values
        && p.inputs.every((s, i) => s < 0 || constantInputs[i] !== undefined);
      if (foldable) {
        const outs = this.tryFold(def, attrs, p.opset, node, nodeIndex, constantInputs);
        if (outs) {
          p.outputs.forEach((s, i) => { if (s >= 0) constants.set(s, outs[i]); });
          folded.push({ node, nodeIndex, inputs: constantInputs, outputs: outs });
          continue;
        }
      }
      steps.push({ node, nodeIndex, def, attrs, opset: p.opset, inputs: p.inputs, outputs: p.outputs, subgraphs: p.subgraphs });
    }
    return { steps, folded };
  }

  /** Runs a constant node now; a failure leaves it to run (and report) at run time. */
  private tryFold(def: OpDef<unknown>, attrs: unknown, opset: number, node: Node, index: number, inputs: ReadonlyArray<Tensor | undefined>): Tensor[] | undefined {
    try {
      return runNode(def, attrs, inputs, this.options.context(node, index, opset));
    } catch {
      return undefined;
    }
  }
}

function describeFlat(f: FlatNode): string {
  return f.node.name ? `node "${f.node.name}" (${f.node.opType})` : `node #${f.nodeIndex} (${f.node.opType})`;
}

/** Adds to each step the slots it is the last reader of; outputs nobody reads go right after their producer. */
function withReleases(steps: Omit<Step, 'release'>[], keep: ReadonlySet<number>): Step[] {
  const last = new Map<number, number>();
  steps.forEach((s, i) => {
    for (const slot of s.outputs) if (slot >= 0) last.set(slot, i);
    for (const slot of s.inputs) if (slot >= 0) last.set(slot, i);
    for (const sub of s.subgraphs.values()) for (const slot of sub.outerSlots) last.set(slot, i);
  });
  const release: number[][] = steps.map(() => []);
  for (const [slot, i] of last) if (!keep.has(slot)) release[i].push(slot);
  return steps.map((s, i) => ({ ...s, release: release[i] }));
}
