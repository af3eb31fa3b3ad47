// Runs the sample batches of an analysis over worker threads: the model file is read once into a
// SharedArrayBuffer that every worker decodes in place (weights are views of shared memory, never
// copied per worker); the host runs the first batch (fixing the histogram ranges) and the batches
// that come before a worker is ready, streams the rest to whichever worker is free, then merges
// the per-site statistics. Progress counts samples done; cancellation sets a shared flag the workers
// check between nodes and terminates them, so it stops at once. Also the statistics collector the
// workers (and anything else that observes a session) use.
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker, WorkerOptions } from 'node:worker_threads';
import { Model, Node } from '../onnx/ir';
import { bitsPerElement } from '../onnx/dtype';
import { decodeModel, loadModelAsync } from '../onnx/load';
import { createSession, NodeEvent, Observer, Session, SessionMemory } from '../runtime/executor';
import { AbortError } from '../runtime/errors';
import { Tensor } from '../runtime/tensor';
import type { SampleSource } from '../data/source';
import type { JobRequest, JobType, WorkerJobs, WorkerResponse } from '../worker/protocol';
import { inlinedFrom } from '../runtime/inline';
import { analysisFusion } from './fusion';
import { ActivationSite, siteNodes } from './sites';
import { createSiteStats, mergeSiteStats, observeSite, SiteStats } from './stats';
import { scanKernelBytes } from './stats-wasm';

/** Accumulates per-site statistics from a session's node events. */
export interface StatsCollector {
  readonly observer: Observer;
  /** Per site, created at the first tensor seen. */
  readonly stats: Array<SiteStats | undefined>;
  /** Sets the batch the next run belongs to, and histogram ranges for statistics created from now on. */
  setBatch(offset: number, count: number, histRanges?: ReadonlyArray<[number, number] | null>): void;
  /** Histogram range per site (null where not observed yet). */
  ranges(): Array<[number, number] | null>;
}

/** A session's memory with the statistics kernel's scratch (stats-wasm.ts) of this thread added. */
export function analysisMemory(session: Session): SessionMemory {
  const m = session.memory();
  return { ...m, scratch: m.scratch + scanKernelBytes() };
}

/** A collector for `sites` of `model` (the same rules as the in-process analysis). */
export function createStatsCollector(model: Model, sites: readonly ActivationSite[]): StatsCollector {
  const stats: Array<SiteStats | undefined> = sites.map(() => undefined);
  // Sites by their node object: main-graph and subgraph nodes arrive as themselves, nodes inlined
  // from a model-local function as rewritten copies that inlinedFrom maps back.
  const byNode = new Map<Node, number>();
  siteNodes(model, sites).forEach((n, i) => {
    if (n && sites[i].observation !== 'none' && !byNode.has(n)) byNode.set(n, i);
  });
  const inScopes = sites.some((s) => s.graphPath !== '');
  // Sites inside bodies whose unit count changed between runs: dropped rather than failing the analysis.
  const dropped = new Set<number>();
  let offset = 0;
  let count = 0;
  let histRanges: ReadonlyArray<[number, number] | null> | undefined;
  const observer = (e: NodeEvent): void => {
    let i = byNode.get(e.node);
    if (i === undefined && inScopes) {
      const from = inlinedFrom(e.node);
      if (from) i = byNode.get(from);
    }
    if (i === undefined || dropped.has(i)) return;
    const site = sites[i];
    const t = site.observation === 'output' ? e.outputs[0] : e.inputs[site.inputIndex];
    if (!t) return;
    let s = stats[i];
    if (!s) {
      const rank = t.shape.length;
      const axis = site.unitAxis < 0 ? site.unitAxis + rank : site.unitAxis;
      if (axis < 0 || axis >= rank) throw new Error(`site '${site.id}': unit axis ${site.unitAxis} does not exist in its shape [${t.shape.join(',')}]; set unitAxis for it`);
      const range = histRanges?.[i] ?? undefined;
      s = stats[i] = createSiteStats(t.shape[axis], { cap: site.cap, ...(range ? { histRange: range } : {}) });
    }
    try {
      observeSite(s, t, site.unitAxis, offset, count);
    } catch (err) {
      if (site.graphPath !== '') {
        dropped.add(i);
        stats[i] = undefined;
        return;
      }
      throw new Error(`site '${site.id}' (${site.op}): ${(err as Error).message}; set its unit axis with --unit-axis NODE=AXIS`);
    }
  };
  return {
    observer,
    stats,
    setBatch(o, c, r) {
      offset = o;
      count = c;
      if (r) histRanges = r;
    },
    ranges: () => stats.map((s) => (s ? [s.histLo, s.histHi] : null)),
  };
}

/** Worker threads to use: `requested` ≥ 1 as given; 0 or undefined: one per core when the bundled worker exists, else 1 (in-process). */
export function resolveWorkers(requested: number | undefined): number {
  if (requested !== undefined && requested >= 1) return Math.floor(requested);
  return bundledWorker() ? Math.max(1, os.availableParallelism()) : 1;
}

/** dist/worker.js next to the running bundle (CLI, extension), if there. */
function bundledWorker(): string | undefined {
  const p = path.join(__dirname, 'worker.js');
  return fs.existsSync(p) ? p : undefined;
}

/**
 * How to start a worker: the bundle, or (running from TypeScript sources, as in tests) the sources
 * through esbuild, unless RELU_DOCTOR_WORKER_SCRIPT names a built worker (the bench sets it, so its
 * workers start as fast as the CLI's rather than transpiling the sources first, about 1 s).
 */
function workerEntry(): { script: string; options?: WorkerOptions } {
  const forced = process.env.RELU_DOCTOR_WORKER_SCRIPT;
  if (forced) {
    if (!fs.existsSync(forced)) throw new Error(`RELU_DOCTOR_WORKER_SCRIPT names ${forced}, which does not exist; run npm run build or unset it`);
    return { script: path.resolve(forced) };
  }
  const bundled = bundledWorker();
  if (bundled) return { script: bundled };
  const root = path.resolve(__dirname, '..', '..');
  const register = path.join(root, 'test', 'register-ts.js');
  const src = path.join(root, 'src', 'worker', 'worker.ts');
  if (__filename.endsWith('.ts') && fs.existsSync(register) && fs.existsSync(src)) {
    return { script: `require(${JSON.stringify(register)}); require(${JSON.stringify(src)});`, options: { eval: true } };
  }
  throw new Error(`the analysis worker script (dist/worker.js) was not found next to ${__dirname}; rebuild, or run with one worker`);
}

/** Model bytes already in shared memory, by model (set by loadModelShared). */
const sharedBytes = new WeakMap<Model, Uint8Array>();

/** Loads a model from a file read straight into a SharedArrayBuffer, so workers can share its weights. */
export async function loadModelShared(file: string): Promise<Model> {
  const abs = path.resolve(file);
  let bytes: Uint8Array;
  try {
    bytes = await readShared(abs);
  } catch {
    return loadModelAsync(abs); // Same read, for its one-line error message.
  }
  const model = decodeModel(bytes, { path: abs, dir: path.dirname(abs) });
  sharedBytes.set(model, bytes);
  return model;
}

async function readShared(file: string): Promise<Uint8Array> {
  const fh = await fsp.open(file, 'r');
  try {
    const size = (await fh.stat()).size;
    const bytes = new Uint8Array(new SharedArrayBuffer(size));
    let got = 0;
    while (got < size) {
      const { bytesRead } = await fh.read(bytes, got, size - got, got);
      if (bytesRead <= 0) throw new Error('short read');
      got += bytesRead;
    }
    return bytes;
  } finally {
    await fh.close();
  }
}

/** Initializer bytes a worker cannot view in place, packed at aligned offsets into one shared buffer (see alignedWeights). */
export interface AlignedWeights { bytes: Uint8Array; table: Array<[index: number, offset: number, length: number]> }

const alignedCache = new WeakMap<Model, AlignedWeights>();

/**
 * Float/int initializers whose raw_data sits at an offset their element size does not divide
 * would be copied by every worker (typed arrays need aligned views). They are copied once here,
 * into a SharedArrayBuffer every worker views instead.
 */
export function alignedWeights(model: Model): AlignedWeights {
  const hit = alignedCache.get(model);
  if (hit) return hit;
  const picks: Array<[number, Uint8Array]> = [];
  model.graph.initializers.forEach((t, i) => {
    const size = bitsPerElement(t.dataType) / 8;
    if (t.storage.kind === 'raw' && size > 1 && Number.isInteger(size) && t.storage.bytes.byteOffset % size !== 0) picks.push([i, t.storage.bytes]);
  });
  let total = 0;
  const table: AlignedWeights['table'] = picks.map(([i, b]) => {
    const off = total;
    total += Math.ceil(b.byteLength / 8) * 8;
    return [i, off, b.byteLength];
  });
  const bytes = new Uint8Array(new SharedArrayBuffer(total));
  picks.forEach(([, b], k) => bytes.set(b, table[k][1]));
  const out = { bytes, table };
  alignedCache.set(model, out);
  return out;
}

/** Points a worker's decoded initializers at the aligned shared copies (the inverse of alignedWeights). */
export function useAlignedWeights(model: Model, aligned: AlignedWeights): void {
  for (const [i, off, len] of aligned.table) {
    const t = model.graph.initializers[i];
    if (!t || t.storage.kind !== 'raw' || t.storage.bytes.byteLength !== len) throw new Error(`initializer ${i} does not match the host's model (internal error)`);
    t.storage = { kind: 'raw', bytes: new Uint8Array(aligned.bytes.buffer, aligned.bytes.byteOffset + off, len) };
  }
}

/** Hooks of a parallel run. */
export interface ParallelHooks {
  onProgress?(done: number, total: number): void;
  signal?: AbortSignal;
  /** Sees each batch's feeds in the host before it is handed to a worker (its buffers may move). */
  onBatch?(feeds: Record<string, Tensor>): void;
}

/** What a parallel run produces: merged statistics per site, samples done, wall time of the runs. */
export interface ParallelResult {
  stats: Array<SiteStats | undefined>;
  done: number;
  /** Wall time from the first batch sent to the last one done. */
  runMs: number;
  workers: number;
  /** Per worker that finished loading: initializer bytes it views in shared memory, and bytes it had to copy. */
  weights: Array<{ shared: number; copied: number }>;
  /** Samples the host ran itself (the first batch, and those before a worker was ready). */
  hostSamples: number;
  /** Working memory of each session that ran batches: the host's (if it ran any), then each worker's used. */
  memory: SessionMemory[];
}

/** One worker thread speaking the job protocol of src/worker/protocol.ts. */
interface Thread { worker: Worker; pending: Map<number, { resolve(v: unknown): void; reject(e: Error): void }>; inflight: number; ready: boolean; used: boolean }

let nextSession = 1;

/**
 * Runs every batch of `source` on `workers` threads and merges the statistics of `sites` (found
 * on `model` with `unitAxis`). The host runs the first batch. By default the host is one of the
 * `workers` threads: it starts workers − 1 worker threads, keeps each fed (one batch running, one
 * queued) and runs the other batches itself, so no core idles while workers start and the host's
 * thread does not sit idle beside them. With `hostHelps: false` it starts `workers` threads and
 * runs only the first batch. Rejects with a one-line Error when a worker fails, or an AbortError
 * when `hooks.signal` fires.
 */
export async function collectStatsParallel(model: Model, sites: readonly ActivationSite[], source: Pick<SampleSource, 'description' | 'batches'>, opts: { workers: number; unitAxis?: Record<string, number>; hostHelps?: boolean }, hooks: ParallelHooks = {}): Promise<ParallelResult> {
  const file = model.source.path;
  if (!file) throw new Error('parallel analysis needs a model loaded from a file; run with one worker');
  const own = sharedBytes.get(model);
  const bytes = own ?? (await readShared(file));
  // A model loaded privately may have had its weights aligned in place (load.ts); the workers
  // decode the file's own bytes, so the unaligned tensors are found in a decode of those.
  const aligned = alignedWeights(own ? model : decodeModel(bytes, { path: file, dir: path.dirname(file) }));
  // The host views the same aligned copies rather than copying those tensors again itself.
  if (own) useAlignedWeights(model, aligned);
  const entry = workerEntry();
  const total = source.description.count;
  const count = Math.max(1, Math.min(opts.workers, total));
  const cancel = new Int32Array(new SharedArrayBuffer(4));
  const session = nextSession++;
  const threads: Thread[] = [];
  let failure: Error | undefined;
  let failNow: (e: Error) => void = () => {};
  const failed = new Promise<never>((_, reject) => {
    failNow = (e) => {
      if (!failure) {
        failure = e;
        Atomics.store(cancel, 0, 1);
        reject(e);
      }
    };
  });
  failed.catch(() => {});
  const onAbort = (): void => failNow(new AbortError('analysis cancelled'));
  if (hooks.signal?.aborted) throw new AbortError('analysis cancelled');
  hooks.signal?.addEventListener('abort', onAbort, { once: true });
  let nextId = 1;
  const call = <K extends JobType>(t: Thread, req: JobRequest<K>, transfer: Transferable[] = []): Promise<WorkerJobs[K]['result']> => {
    const id = nextId++;
    return new Promise((resolve, reject) => {
      t.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      t.worker.postMessage({ id, ...req }, transfer as never);
    });
  };
  const guard = <T>(p: Promise<T>): Promise<T> => Promise.race([p, failed]);
  let stopSource = (): void => {};
  try {
    const helps = opts.hostHelps !== false;
    for (let i = 0; i < (helps ? count - 1 : count); i++) threads.push(spawn(entry, failNow));
    const opened: Array<Promise<WorkerJobs['analyzeOpen']['result']>> = threads.map((t) => call(t, { type: 'analyzeOpen', session, path: file, bytes, aligned, unitAxis: opts.unitAxis, sites: sites.length, cancel }));
    const weights: Array<{ shared: number; copied: number }> = [];
    const freed: Array<() => void> = [];
    const wake = (): void => freed.splice(0).forEach((f) => f());
    opened.forEach((p, i) => p.then((r) => {
      threads[i].ready = true;
      weights.push(r.weights);
      wake();
    }, failNow));
    // The host runs the first batch (it fixes every site's histogram range, as in-process) and,
    // when it helps, every batch that finds no worker with room.
    const host = createStatsCollector(model, sites);
    // When the host does not help, its session is dropped (with its buffers) once the workers take over.
    let hostSession: Session | undefined = createSession(model, { fusion: analysisFusion(sites) });
    let hostMemory: SessionMemory | undefined;
    const hostSignal = { get aborted(): boolean { return failure !== undefined; }, reason: 'analysis cancelled' };
    let hostSamples = 0;
    let done = 0;
    let ranges: Array<[number, number] | null> | undefined;
    const running = new Set<Promise<void>>();
    const t0 = performance.now();
    hooks.onProgress?.(0, total);
    const it = source.batches()[Symbol.asyncIterator]();
    stopSource = () => void it.return?.();
    for (;;) {
      // Racing the source too: a cancel while it reads or decodes a batch stops at once.
      const next = await guard(it.next());
      if (next.done) break;
      const batch = next.value;
      if (failure) throw failure;
      hooks.onBatch?.(batch.feeds);
      // Two batches in flight per ready worker (one running, one queued); near the end one, so the
      // host, which runs batches too, is not left waiting on a worker's queue.
      const depth = helps && total - batch.offset <= 2 * count * batch.count ? 1 : 2;
      let t = leastBusy(threads);
      if (hostSession && (!ranges || (helps && (!t || t.inflight >= depth)))) {
        host.setBatch(batch.offset, batch.count);
        await guard(hostSession.run(batch.feeds, { observer: host.observer, signal: hostSignal }));
        hostMemory = analysisMemory(hostSession);
        ranges ??= host.ranges();
        hostSamples += batch.count;
        done += batch.count;
        hooks.onProgress?.(done, Math.max(total, done));
        continue;
      }
      if (!helps) hostSession = undefined;
      const { feeds, transfer } = transferable(batch.feeds);
      while (!t || t.inflight >= depth) {
        await guard(new Promise<void>((resolve) => freed.push(resolve)));
        t = leastBusy(threads);
      }
      const th = t;
      th.inflight++;
      th.used = true;
      const job = call(th, { type: 'analyzeBatch', session, feeds, offset: batch.offset, count: batch.count, histRanges: ranges }, transfer).then(() => {
        th.inflight--;
        done += batch.count;
        hooks.onProgress?.(done, Math.max(total, done));
        running.delete(job);
        wake();
      }, failNow);
      running.add(job);
    }
    await guard(Promise.all(running));
    if (failure) throw failure;
    const runMs = performance.now() - t0;
    const results = await guard(Promise.all(threads.filter((t) => t.used).map((t) => call(t, { type: 'analyzeClose', session }))));
    const stats = sites.map((_, i) => {
      let m = host.stats[i];
      for (const r of results) {
        const s = r.stats[i];
        if (s) m = m ? mergeSiteStats(m, s) : s;
      }
      return m;
    });
    const memory = [...(hostMemory ? [hostMemory] : []), ...results.map((r) => r.memory)];
    return { stats, done, runMs, workers: count, weights, hostSamples, memory };
  } finally {
    if (failure) stopSource();
    hooks.signal?.removeEventListener('abort', onAbort);
    Atomics.store(cancel, 0, 1);
    for (const t of threads) {
      t.worker.removeAllListeners();
      t.worker.on('error', () => {});
      void t.worker.terminate();
    }
  }
}

/** The ready worker with the fewest batches in flight, if any is ready. */
function leastBusy(threads: Thread[]): Thread | undefined {
  let best: Thread | undefined;
  for (const t of threads) if (t.ready && (!best || t.inflight < best.inflight)) best = t;
  return best;
}

function spawn(entry: { script: string; options?: WorkerOptions }, fail: (e: Error) => void): Thread {
  const worker = new Worker(entry.script, entry.options);
  const t: Thread = { worker, pending: new Map(), inflight: 0, ready: false, used: false };
  worker.on('message', (m: WorkerResponse) => {
    if ('progress' in m) return;
    const p = t.pending.get(m.id);
    if (!p) return;
    t.pending.delete(m.id);
    if (m.ok) p.resolve(m);
    else p.reject(new Error(m.error));
  });
  worker.on('error', (e) => fail(new Error(`an analysis worker failed: ${String(e.message).split('\n', 1)[0]}`)));
  worker.on('exit', (code) => fail(new Error(`an analysis worker stopped unexpectedly (exit code ${code}); the model or batch may be too large for memory`)));
  return t;
}

/** The feeds as posted: buffers owned by a feed move to the worker; views into larger buffers are copied first; shared memory is shared. */
function transferable(feeds: Record<string, Tensor>): { feeds: Record<string, Tensor>; transfer: ArrayBuffer[] } {
  const out: Record<string, Tensor> = {};
  const transfer: ArrayBuffer[] = [];
  for (const [name, t] of Object.entries(feeds)) {
    let data = t.data;
    if (!Array.isArray(data) && !(data.buffer instanceof SharedArrayBuffer)) {
      const d = data as Float32Array;
      if (d.byteOffset !== 0 || d.byteLength !== d.buffer.byteLength || transfer.includes(d.buffer as ArrayBuffer)) data = d.slice();
      transfer.push((data as Float32Array).buffer as ArrayBuffer);
    }
    out[name] = { dtype: t.dtype, shape: t.shape, data };
  }
  return { feeds: out, transfer };
}
