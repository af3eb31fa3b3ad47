// The engines the bench times on one model file, each loaded fresh in its own child process:
// ReLU Doctor's executor, onnxruntime-node (native) and onnxruntime-web (WebAssembly) at a given
// thread count. Every engine gets the same seeded input; the first output comes back for comparison.
import { DataType, Model } from '../../src/onnx/ir';
import { loadModel } from '../../src/onnx/load';
import { createSession, NodeEvent } from '../../src/runtime/executor';
import { bytesPerElement } from '../../src/runtime/memory';
import { makeTensor, Tensor } from '../../src/runtime/tensor';
import { seeded } from '../../test/helpers/model-builder';

/** Engine names as they appear in the table and the JSON. */
export type EngineName = 'ours' | 'ort-node' | 'ort-web';

/** What one timing child reports. */
export interface TimingResult {
  engine: EngineName;
  threads: number;
  /** Wall time of each timed run after the warm-up, in ms. */
  timesMs: number[];
  warmup: number;
  /** Session creation (load + plan / graph optimisation) in ms. */
  loadMs: number;
  /** The first output's values of the last run. */
  output: number[];
}

/** How many runs: at least `min`, at most `max`, stopping after `budgetMs` once `min` are done. */
export interface RunPlan { warmup: number; min: number; max: number; budgetMs: number }

/** The seeded N(0,1) float inputs of `model` (every input must have fixed dims). */
export function benchFeeds(model: Model, seed = 123): Array<{ name: string; shape: number[]; data: Float32Array }> {
  const inits = new Set(model.graph.initializers.map((t) => t.name));
  const rng = seeded(seed);
  return model.graph.inputs.filter((i) => !inits.has(i.name)).map((i) => {
    const t = i.type;
    if (!t || t.kind !== 'tensor' || t.elemType !== DataType.FLOAT || !t.shape || t.shape.some((d) => typeof d !== 'number')) {
      throw new Error(`bench input "${i.name}" must be float32 with fixed dims`);
    }
    const shape = t.shape as number[];
    const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
    for (let k = 0; k < data.length; k++) data[k] = rng.normal();
    return { name: i.name, shape, data };
  });
}

/** Times `run` per the plan: warm-up runs, then timed runs; returns each timed run's ms. */
export async function timeRuns(run: () => Promise<unknown> | unknown, plan: RunPlan): Promise<number[]> {
  for (let i = 0; i < plan.warmup; i++) await run();
  const times: number[] = [];
  const start = performance.now();
  while (times.length < plan.max && (times.length < plan.min || performance.now() - start < plan.budgetMs)) {
    const t0 = performance.now();
    await run();
    times.push(performance.now() - t0);
  }
  return times;
}

/** Times our executor (runSync: no yielding) on `file`. */
export async function timeOurs(file: string, plan: RunPlan): Promise<TimingResult> {
  const t0 = performance.now();
  const model = loadModel(file);
  // No observer: every plan-time fusion applies, as in `relu-doctor run`.
  const session = createSession(model, { fusion: {} });
  const loadMs = performance.now() - t0;
  const feeds: Record<string, Tensor> = {};
  for (const f of benchFeeds(model)) feeds[f.name] = makeTensor(DataType.FLOAT, f.shape, f.data);
  let out: Record<string, Tensor> = {};
  const timesMs = await timeRuns(() => { out = session.runSync(feeds); }, plan);
  return { engine: 'ours', threads: 1, timesMs, warmup: plan.warmup, loadMs, output: Array.from(out[session.outputNames[0]].data as Float32Array) };
}

interface OrtTensorLike { data: unknown }
interface OrtSessionLike { outputNames: readonly string[]; run(feeds: Record<string, unknown>): Promise<Record<string, OrtTensorLike>>; release(): Promise<void> }
interface OrtLike {
  env: { wasm: { numThreads?: number } };
  Tensor: new (type: 'float32', data: Float32Array, dims: number[]) => unknown;
  InferenceSession: { create(model: string | Uint8Array, opts: Record<string, unknown>): Promise<OrtSessionLike> };
}

/** Times onnxruntime-node or onnxruntime-web (wasm) with `threads` intra-op threads. */
export async function timeOrt(engine: 'ort-node' | 'ort-web', file: string, threads: number, plan: RunPlan): Promise<TimingResult> {
  const ort = require(engine === 'ort-node' ? 'onnxruntime-node' : 'onnxruntime-web') as OrtLike;
  // onnxruntime-web reads numThreads once, when its WebAssembly module starts: one setting per process.
  if (engine === 'ort-web') ort.env.wasm.numThreads = threads;
  const opts = engine === 'ort-node'
    ? { intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all' }
    : { executionProviders: ['wasm'], graphOptimizationLevel: 'all' };
  const t0 = performance.now();
  const model = loadModel(file);
  const session = await ort.InferenceSession.create(engine === 'ort-node' ? file : new Uint8Array(require('node:fs').readFileSync(file)), opts);
  const loadMs = performance.now() - t0;
  const feeds: Record<string, unknown> = {};
  for (const f of benchFeeds(model)) feeds[f.name] = new ort.Tensor('float32', f.data, f.shape);
  let out: Record<string, OrtTensorLike> = {};
  const timesMs = await timeRuns(async () => { out = await session.run(feeds); }, plan);
  const output = Array.from(out[session.outputNames[0]].data as Float32Array);
  await session.release();
  return { engine, threads, timesMs, warmup: plan.warmup, loadMs, output };
}

/**
 * The largest set of live intermediates over one run of our executor: every value (graph inputs
 * included, initializers excluded) lives from the step that produces it to its last reader (graph
 * outputs to the end), as the executor releases them; the answer is the max over steps of the sum.
 */
export function liveIntermediates(file: string): { peakBytes: number; peakNode: string; steps: number } {
  const model = loadModel(file);
  const session = createSession(model);
  const inits = new Set(model.graph.initializers.map((t) => t.name));
  const feeds: Record<string, Tensor> = {};
  for (const f of benchFeeds(model)) feeds[f.name] = makeTensor(DataType.FLOAT, f.shape, f.data);
  const events: Array<{ node: string; ins: string[]; outs: Array<[string, number]> }> = [];
  session.runSync(feeds, {
    observer: (e: NodeEvent) => {
      events.push({
        node: e.node.name || e.node.outputs[0],
        ins: e.node.inputs.filter((n) => n && !inits.has(n)),
        outs: e.node.outputs.map((n, i) => [n, e.outputs[i] ? bytesOf(e.outputs[i]) : 0]),
      });
    },
  });
  const born = new Map<string, number>();
  const last = new Map<string, number>();
  const size = new Map<string, number>();
  for (const [name, t] of Object.entries(feeds)) { born.set(name, -1); size.set(name, bytesOf(t)); }
  events.forEach((e, i) => {
    for (const n of e.ins) last.set(n, i);
    for (const [n, b] of e.outs) { if (n) { born.set(n, i); size.set(n, b); last.set(n, Math.max(last.get(n) ?? i, i)); } }
  });
  for (const o of session.outputNames) last.set(o, events.length);
  let peakBytes = 0;
  let peakNode = '';
  events.forEach((e, i) => {
    let sum = 0;
    for (const [n, b] of born) if (b <= i && (last.get(n) ?? b) >= i) sum += size.get(n) ?? 0;
    if (sum > peakBytes) { peakBytes = sum; peakNode = e.node; }
  });
  return { peakBytes, peakNode, steps: events.length };
}

function bytesOf(t: Tensor): number {
  const d = t.data as { byteLength?: number; length: number };
  return d.byteLength ?? d.length * 8;
}

/** Bytes of the model's initializers (its weights). */
export function weightBytes(model: Model): number {
  let sum = 0;
  for (const t of model.graph.initializers) {
    const n = t.dims.reduce((a, b) => a * b, 1);
    sum += n * bytesPerElement(t.dataType);
  }
  return sum;
}
