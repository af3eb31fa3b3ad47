// The executor: `createSession(model)` plans the model once; `session.run(feeds)` executes the
// plan node by node, releasing each intermediate after its last reader, reporting every node to an
// optional observer and stopping between nodes when its AbortSignal fires.
import { Model, Node, TensorValues, ValueInfo } from '../onnx/ir';
import { dtypeName } from '../onnx/dtype';
import { AbortError, GraphError, wrapNodeError } from './errors';
import { DEFAULT_MAX_TENSOR_BYTES, makeAllocator } from './memory';
import { BufferPool } from './buffer-pool';
import { scratchBytes } from './kernels/conv';
import { RunContext } from './op';
import { FusionOptions } from './fuse';
import { GraphPlan, planModel, Step } from './plan';
import { getRegistry, Registry } from './registry';
import { runNode } from './run-node';
import { isTensor, sizeOf, Tensor, valueKind } from './tensor';

/** Session settings. */
export interface SessionOptions {
  /** Largest tensor any node may allocate, in bytes (default 4 GiB). */
  readonly maxTensorBytes?: number;
  /** Fold nodes whose inputs are all initializers into constants at plan time (default true). */
  readonly constantFolding?: boolean;
  /** The op table (default: every op ReLU Doctor implements). */
  readonly registry?: Registry;
  /** Reuse intermediates' storage across nodes and runs (default true). */
  readonly reuseBuffers?: boolean;
  /**
   * Plan-time fusion (fuse.ts): Conv+BatchNormalization+Relu and the like become one step; values in
   * `keep` stay visible to observers. Default off: pass it only when you know what observers need.
   */
  readonly fusion?: FusionOptions;
}

/** What an observer sees after each node: the node and its actual input and output tensors. */
export interface NodeEvent {
  readonly node: Node;
  /**
   * Position of the node in `model.graph.nodes`. Nodes expanded from a model-local function, or
   * run inside a subgraph (If/Loop/Scan bodies), report the index of the top-level node that holds them.
   */
  readonly nodeIndex: number;
  readonly inputs: ReadonlyArray<Tensor | undefined>;
  readonly outputs: ReadonlyArray<Tensor>;
}

/**
 * Called after each node with the tensors themselves, not copies. Observers must not modify them
 * nor keep references past the call: the executor releases (and may reuse) the buffers afterwards.
 * Nodes folded into constants at plan time are reported first, on every run. With
 * SessionOptions.fusion, nodes merged into a fused step are not reported; nodes reading a kept value are.
 */
export type Observer = (event: NodeEvent) => void;

/** Anything with an `aborted` flag: an AbortSignal, or a deadline object in tests and workers. */
export interface CancelSignal {
  readonly aborted: boolean;
  readonly reason?: unknown;
}

/** Per-run settings. */
export interface RunOptions {
  readonly observer?: Observer;
  /** Checked between nodes; when set, the run throws an error named 'AbortError'. */
  readonly signal?: CancelSignal;
}

/** A planned model, ready to run any number of times. */
export interface Session {
  /** Graph inputs the caller must or may feed (inputs with an initializer are optional). */
  readonly inputs: readonly ValueInfo[];
  readonly outputNames: readonly string[];
  /** Runs the model; yields to the event loop now and then so a signal can stop it. */
  run(feeds: Record<string, Tensor>, opts?: RunOptions): Promise<Record<string, Tensor>>;
  /** Runs the model without yielding (tests, worker threads). */
  runSync(feeds: Record<string, Tensor>, opts?: RunOptions): Record<string, Tensor>;
  /** Working memory of intermediates so far (bytes; zeros when buffers are not reused). */
  memory(): SessionMemory;
}

/** What a session's runs have needed beyond the model's weights and the caller's feeds, in bytes. */
export interface SessionMemory {
  /** Highest storage of intermediates (live values plus the pool's free buffers) at any point. */
  readonly peakIntermediates: number;
  /** Kernel scratch now held by this thread (convolution column buffers, the GEMM kernel's memory). */
  readonly scratch: number;
}

/** Plans `model` (throws UnsupportedError listing every missing op and refused op variant, or GraphError) and returns a session. */
export function createSession(model: Model, options: SessionOptions = {}): Session {
  const alloc = makeAllocator(options.maxTensorBytes ?? DEFAULT_MAX_TENSOR_BYTES);
  const plan = planModel(model, {
    registry: options.registry ?? getRegistry(),
    constantFolding: options.constantFolding ?? true,
    context: (node, _index, opset) => ({ node, opset, alloc }),
    fusion: options.fusion,
  });
  // Intermediates' storage is reused across nodes and runs (buffer-pool.ts); one run at a time
  // uses the pool, a concurrent one (async runs interleaving) allocates afresh.
  const pool = options.reuseBuffers === false ? undefined : new BufferPool();
  const pooledAlloc = pool ? pool.wrap(alloc) : alloc;
  let busy = false;
  const state = (opts: RunOptions): RunState => {
    const usePool = pool && !busy;
    if (usePool) busy = true;
    return { alloc: usePool ? pooledAlloc : alloc, pool: usePool ? pool : undefined, observer: opts.observer, signal: opts.signal };
  };
  const finish = (st: RunState) => {
    if (st.pool) {
      st.pool.end();
      busy = false;
    }
  };
  const runSync = (feeds: Record<string, Tensor>, opts: RunOptions = {}): Record<string, Tensor> => {
    const env = bindFeeds(plan, feeds);
    const st = state(opts);
    try {
      const it = execute(plan, env, st, undefined);
      while (!it.next().done) { /* no yielding */ }
      return collect(plan, env);
    } finally {
      finish(st);
    }
  };
  const run = async (feeds: Record<string, Tensor>, opts: RunOptions = {}): Promise<Record<string, Tensor>> => {
    const env = bindFeeds(plan, feeds);
    const st = state(opts);
    try {
      const it = execute(plan, env, st, undefined);
      let last = performance.now();
      while (!it.next().done) {
        if (performance.now() - last > 15) {
          await new Promise<void>((resolve) => setImmediate(resolve));
          last = performance.now();
        }
      }
      return collect(plan, env);
    } finally {
      finish(st);
    }
  };
  const memory = (): SessionMemory => ({ peakIntermediates: pool?.memory().peak ?? 0, scratch: scratchBytes() });
  return { inputs: plan.inputs.map((i) => i.info), outputNames: plan.outputs.map((o) => o.name), run, runSync, memory };
}

interface RunState {
  readonly alloc: RunContext['alloc'];
  /** Set for top-level runs that reuse storage; subgraph bodies run without it. */
  readonly pool?: BufferPool;
  readonly observer?: Observer;
  readonly signal?: CancelSignal;
}

/** Executes a plan over `env` (value slots), yielding after each node. */
function* execute(plan: GraphPlan, env: Array<Tensor | undefined>, st: RunState, topIndex: number | undefined): Generator<void, void, void> {
  if (st.observer) {
    for (const f of plan.folded) st.observer({ node: f.node, nodeIndex: topIndex ?? f.nodeIndex, inputs: f.inputs, outputs: f.outputs });
  }
  for (const step of plan.steps) {
    if (st.signal?.aborted) throw new AbortError(abortMessage(st.signal, step));
    const inputs = step.inputs.map((s) => (s >= 0 ? env[s] : undefined));
    const nodeIndex = topIndex ?? step.nodeIndex;
    let outs: Tensor[];
    try {
      for (let i = 0; i < inputs.length; i++) {
        if (step.inputs[i] >= 0 && !inputs[i]) throw new Error(`input ${i} ("${step.node.inputs[i]}") has no value (internal error: released too early)`);
        if (!step.def.values && inputs[i] && !isTensor(inputs[i])) {
          throw new Error(`input ${i} ("${step.node.inputs[i]}") is a ${valueKind(inputs[i])}, but ${step.node.opType} takes tensors; fix the model`);
        }
      }
      outs = runNode(step.def, step.attrs, inputs, context(step, env, st, nodeIndex));
    } catch (err) {
      throw wrapNodeError(err, step.node, nodeIndex);
    }
    step.outputs.forEach((s, i) => {
      if (s < 0) return;
      st.pool?.hold(outs[i]);
      env[s] = outs[i];
    });
    // Observers see tensors only: nodes that take or give sequences and optionals are not reported.
    if (st.observer && !step.fused && (!step.def.values || (inputs.every((v) => v === undefined || isTensor(v)) && outs.every(isTensor)))) {
      st.observer({ node: step.node, nodeIndex, inputs, outputs: outs });
    }
    for (const s of step.release) {
      st.pool?.release(env[s]);
      env[s] = undefined;
    }
    yield;
  }
}

function abortMessage(signal: CancelSignal, step: Step): string {
  const why = signal.reason instanceof Error ? `: ${signal.reason.message}` : typeof signal.reason === 'string' ? `: ${signal.reason}` : '';
  return `run cancelled before node "${step.node.name || step.node.outputs[0]}" (${step.node.opType})${why}`;
}

/** The RunContext of one node execution: the allocator and, for nodes with subgraphs, runSubgraph. */
function context(step: Step, env: Array<Tensor | undefined>, st: RunState, nodeIndex: number): RunContext {
  const base = { node: step.node, opset: step.opset, alloc: st.alloc };
  if (step.subgraphs.size === 0) return base;
  return {
    ...base,
    runSubgraph(graphAttr: string, inputs: ReadonlyArray<Tensor | undefined>): Tensor[] {
      const sub = step.subgraphs.get(graphAttr);
      if (!sub) throw new Error(`the node has no subgraph attribute "${graphAttr}"`);
      const { plan } = sub;
      if (inputs.length > plan.inputs.length) throw new Error(`subgraph "${graphAttr}" takes ${plan.inputs.length} inputs, got ${inputs.length}`);
      const subEnv = new Array<Tensor | undefined>(plan.slotCount);
      for (const [slot, t] of plan.constants) subEnv[slot] = t;
      plan.inputs.forEach((inp, i) => { subEnv[inp.slot] = inputs[i] ?? inp.initializer; });
      plan.outer.forEach((o, k) => { subEnv[o.slot] = env[sub.outerSlots[k]]; });
      const it = execute(plan, subEnv, { ...st, pool: undefined }, nodeIndex);
      while (!it.next().done) { /* subgraphs run to completion */ }
      return plan.outputs.map((o) => {
        const t = subEnv[o.slot];
        if (!t) throw new Error(`subgraph "${graphAttr}" output "${o.name}" has no value`);
        return t;
      });
    },
  };
}

/** Checks the feeds against the graph inputs and places them (and defaults) into a fresh value array. */
function bindFeeds(plan: GraphPlan, feeds: Record<string, Tensor>): Array<Tensor | undefined> {
  const env = new Array<Tensor | undefined>(plan.slotCount);
  for (const [slot, t] of plan.constants) env[slot] = t;
  const known = new Set(plan.inputs.map((i) => i.name));
  for (const name of Object.keys(feeds)) {
    if (!known.has(name)) {
      throw new GraphError(`unknown input "${name}" (model inputs: ${plan.inputs.filter((i) => !i.initializer).map((i) => i.name).join(', ') || 'none'})`);
    }
  }
  for (const inp of plan.inputs) {
    const t = Object.prototype.hasOwnProperty.call(feeds, inp.name) ? feeds[inp.name] : undefined;
    const declared = inp.info.type?.kind;
    if (!t && declared === 'optional') {
      // An optional input left out is an empty optional.
      env[inp.slot] = { kind: 'optional', value: undefined } as unknown as Tensor;
      continue;
    }
    if (t && !isTensor(t)) {
      const got = valueKind(t);
      if (declared !== got) throw new GraphError(`input "${inp.name}": expected a ${declared ?? 'tensor'}, got a ${got}`);
      env[inp.slot] = t;
      continue;
    }
    if (t && declared && declared !== 'tensor') throw new GraphError(`input "${inp.name}": expected a ${declared}, got a tensor`);
    if (!t) {
      if (!inp.initializer) throw new GraphError(`missing input "${inp.name}"${describeType(inp.info)}`);
      env[inp.slot] = inp.initializer;
      continue;
    }
    checkFeed(inp.name, inp.info, t);
    env[inp.slot] = t;
  }
  return env;
}

function describeType(info: ValueInfo): string {
  const t = info.type;
  if (!t || t.kind !== 'tensor') return '';
  return ` (${dtypeName(t.elemType)}${t.shape ? ` [${t.shape.map((d) => (d === null ? '?' : d)).join(',')}]` : ''})`;
}

/** A feed matches the input's declared dtype, rank and fixed dimensions, and its storage its shape. */
function checkFeed(name: string, info: ValueInfo, t: Tensor): void {
  const shape = t.shape;
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new GraphError(`input "${name}": invalid shape [${shape.join(',')}]`);
  }
  const per = t.dtype === 14 || t.dtype === 15 ? 2 : 1;
  if (!t.data || t.data.length !== sizeOf(shape) * per) {
    throw new GraphError(`input "${name}": shape [${shape.join(',')}] needs ${sizeOf(shape) * per} values, got ${lengthOf(t.data)}`);
  }
  const type = info.type;
  if (!type || type.kind !== 'tensor') return;
  if (type.elemType && type.elemType !== t.dtype) {
    throw new GraphError(`input "${name}": expected ${dtypeName(type.elemType)}, got ${dtypeName(t.dtype)}`);
  }
  if (!type.shape) return;
  const want = type.shape;
  const wantStr = `[${want.map((d) => (d === null ? '?' : d)).join(',')}]`;
  if (want.length !== shape.length) {
    throw new GraphError(`input "${name}": expected rank ${want.length} ${wantStr}, got shape [${shape.join(',')}]`);
  }
  want.forEach((d, i) => {
    if (typeof d === 'number' && d !== shape[i]) {
      throw new GraphError(`input "${name}": expected shape ${wantStr}, got [${shape.join(',')}] (dimension ${i} is fixed at ${d})`);
    }
  });
}

function lengthOf(v: TensorValues | undefined): string {
  return v ? String(v.length) : 'no data';
}

/** The graph outputs, by name. */
function collect(plan: GraphPlan, env: Array<Tensor | undefined>): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  for (const o of plan.outputs) {
    const t = env[o.slot];
    if (!t) throw new GraphError(`graph output "${o.name}" was not computed`);
    out[o.name] = t;
  }
  return out;
}
