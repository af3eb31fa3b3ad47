// `analyzeModel`: the one entry point the CLI and VS Code call. Loads the model, finds its ReLU
// sites, streams samples through the executor while the observer accumulates per-unit statistics,
// then derives verdicts, causes and the report. Runs in-process; honours progress and cancellation.
import * as path from 'node:path';
import { DataType, Model, Node } from '../onnx/ir';
import { loadModelAsync } from '../onnx/load';
import { createSession, SessionMemory } from '../runtime/executor';
import { weightBytes } from '../runtime/memory';
import { AbortError } from '../runtime/errors';
import { Tensor } from '../runtime/tensor';
import { InputBox, propagateBounds, SiteBounds } from './bounds';
import { CauseContext, explainDeadUnits, InputRange } from './causes';
import { layerReport, LayerReport, modelInfo, optionsInfo, Report, REPORT_SCHEMA_VERSION, reportTotals } from './report';
import { feedInputs, openSampleSource, SampleSource } from './samples';
import { analysisMemory, collectStatsParallel, createStatsCollector, loadModelShared, resolveWorkers } from './parallel';
import { ActivationSite, findActivationSites, findNonDyingActivations } from './sites';
import { SiteStats } from './stats';
import { analysisFusion } from './fusion';
import { weightOnlyDeadUnits } from './weight-check';
import { DEFAULT_VERDICT_OPTIONS, judgeSite, LayerVerdicts, VerdictOptions } from './verdicts';

export const TOOL_VERSION = '0.1.0';

/** Everything an analysis can be told. */
export interface AnalyzeOptions extends Partial<VerdictOptions> {
  /** Data file; undefined: seeded random inputs. */
  data?: string;
  samples?: number;
  seed?: number;
  /** Sizes of symbolic input dims, e.g. { batch: 8 }. */
  dims?: Record<string, number>;
  batchSize?: number;
  /** An explicit input box for proofs: every input element in [lo, hi]. */
  box?: [number, number];
  /** Unit-axis overrides by site id. */
  unitAxis?: Record<string, number>;
  /** Prove units dead by bound propagation and the weight-only check (default true). */
  proofs?: boolean;
  /** How the model path is shown in the report (default: as given). */
  displayPath?: string;
  /** Per-channel mean / std for image-folder data (pixels scaled to [0,1] first). */
  imageMean?: number[];
  imageStd?: number[];
  /** Worker threads (parallel.ts); 0/undefined: one per core when running from the bundle, in-process from sources (tests). */
  workers?: number;
}

/** Progress and cancellation. */
export interface AnalyzeHooks {
  onProgress?(done: number, total: number): void;
  signal?: AbortSignal;
}

export type { InputBox, SiteBounds } from './bounds';

/** What the analysis reads from a sample source. */
export type Source = Pick<SampleSource, 'description' | 'batches'>;

/** Pluggable pieces that other modules provide (bounds, weight-only check, data sources). */
export interface AnalyzeExtensions {
  /** Bound propagation: per site id, the pre-activation bounds over the box (default: bounds.ts `propagateBounds`). */
  proveSites?(model: Model, box: InputBox, sites: ActivationSite[]): Map<string, SiteBounds>;
  /** Units dead for any admissible input from the weights alone, per site id (default: weight-check.ts). */
  weightOnly?(model: Model, sites: ActivationSite[]): Map<string, number[]>;
  /** A sample source other than src/data's (tests). */
  openSource?(model: Model, opts: AnalyzeOptions): Source;
}

/** Loads and analyses the model at `modelPath`. */
export async function analyzeModel(modelPath: string, options: AnalyzeOptions = {}, hooks: AnalyzeHooks = {}, ext: AnalyzeExtensions = {}): Promise<Report> {
  // Read into shared memory when worker threads will run it (parallel.ts).
  const model = resolveWorkers(options.workers) > 1 ? await loadModelShared(path.resolve(modelPath)) : await loadModelAsync(path.resolve(modelPath));
  return analyzeLoadedModel(model, { displayPath: modelPath, ...options }, hooks, ext);
}

const NUMERIC = new Set<DataType>([DataType.FLOAT, DataType.DOUBLE, DataType.UINT8, DataType.INT8, DataType.UINT16, DataType.INT16, DataType.INT32]);

/**
 * Running statistics of one input: min / max / sum / sum of squares over all values (the
 * input-range cause) and per-element min / max over samples (the default proof box).
 */
interface InputAcc { min: number; max: number; sum: number; sum2: number; n: number; shape: number[]; float: boolean; lo?: Float32Array; hi?: Float32Array }

function accumulateInput(acc: InputAcc, t: Tensor): void {
  const d = t.data;
  // Raw-bit storage (float16, bfloat16, float8) and 64-bit integers are left out of the ranges.
  if (!NUMERIC.has(t.dtype) || !(d instanceof Float32Array || d instanceof Float64Array || d instanceof Uint8Array || d instanceof Int32Array || d instanceof Int8Array || d instanceof Uint16Array || d instanceof Int16Array)) return;
  const per = t.shape.slice(1).reduce((a, b) => a * b, 1);
  if (!acc.lo || !acc.hi) {
    acc.float = d instanceof Float32Array || d instanceof Float64Array;
    acc.shape = [1, ...t.shape.slice(1)];
    acc.lo = new Float32Array(per).fill(Infinity);
    acc.hi = new Float32Array(per).fill(-Infinity);
  }
  const { lo, hi } = acc;
  let mn = acc.min;
  let mx = acc.max;
  let s = 0;
  let s2 = 0;
  for (let base = 0; base < d.length; base += per) {
    for (let j = 0; j < per; j++) {
      const v = d[base + j];
      if (v < mn) mn = v;
      if (v > mx) mx = v;
      s += v;
      s2 += v * v;
      if (v < lo[j]) lo[j] = v;
      if (v > hi[j]) hi[j] = v;
    }
  }
  acc.min = mn;
  acc.max = mx;
  acc.sum += s;
  acc.sum2 += s2;
  acc.n += d.length;
}

/** The proof box: an explicit [lo, hi] for every element, the random distribution's range, or the samples' per-element min/max. */
function inputBox(acc: Map<string, InputAcc>, explicit: [number, number] | undefined, random: boolean): InputBox {
  const box: InputBox = {};
  for (const [name, a] of acc) {
    if (explicit) box[name] = { lo: explicit[0], hi: explicit[1], shape: a.shape };
    else if (random && a.float) {
      // Random floats are N(0,1): the box is ±6σ, wider than any sample drawn.
      box[name] = { lo: Math.min(-6, a.min), hi: Math.max(6, a.max), shape: a.shape };
    } else if (a.lo && a.hi) box[name] = { lo: a.lo, hi: a.hi, shape: a.shape };
  }
  return box;
}

const SHAPE_ONLY = new Set(['MaxPool', 'AveragePool', 'GlobalAveragePool', 'GlobalMaxPool', 'Flatten', 'Reshape', 'Squeeze', 'Unsqueeze', 'Identity', 'Dropout']);

/** Follows a producer's data input back through pooling / reshaping to a site output or a model input. */
function sourceOf(model: Model, site: ActivationSite, sitesByOutput: Map<string, number>): { site?: number; input?: string } {
  if (!site.producer || site.graphPath !== '') return {};
  const byOutput = new Map<string, Node>();
  for (const n of model.graph.nodes) for (const o of n.outputs) if (o) byOutput.set(o, n);
  const inputs = new Set(feedInputs(model).map((v) => v.name));
  let v = model.graph.nodes[site.producer.nodeIndex].inputs[0];
  for (let k = 0; k < 64 && v; k++) {
    const s = sitesByOutput.get(v);
    if (s !== undefined) return { site: s };
    if (inputs.has(v)) return { input: v };
    const n = byOutput.get(v);
    if (!n || !SHAPE_ONLY.has(n.opType)) return {};
    v = n.inputs[0];
  }
  return {};
}

/** Runs every batch through the model, in worker threads (parallel.ts) or in-process, collecting per-site statistics. */
async function collectStats(
  model: Model, sites: ActivationSite[], source: Source, options: AnalyzeOptions, hooks: AnalyzeHooks, onBatch: (feeds: Record<string, Tensor>) => void,
): Promise<{ stats: Array<SiteStats | undefined>; done: number; runMs: number; memory: SessionMemory[] }> {
  const workers = resolveWorkers(options.workers);
  if (workers > 1 && model.source.path) {
    return collectStatsParallel(model, sites, source, { workers, unitAxis: options.unitAxis }, { ...hooks, onBatch });
  }
  const session = createSession(model, { fusion: analysisFusion(sites) });
  const collector = createStatsCollector(model, sites);
  const total = source.description.count;
  let done = 0;
  let runMs = 0;
  hooks.onProgress?.(0, total);
  for await (const batch of source.batches()) {
    if (hooks.signal?.aborted) throw new AbortError('analysis cancelled');
    onBatch(batch.feeds);
    collector.setBatch(batch.offset, batch.count);
    const r0 = performance.now();
    await session.run(batch.feeds, { observer: collector.observer, signal: hooks.signal });
    runMs += performance.now() - r0;
    done += batch.count;
    hooks.onProgress?.(done, Math.max(total, done));
  }
  return { stats: collector.stats, done, runMs, memory: [analysisMemory(session)] };
}

/** Analyses an already loaded model (VS Code and tests use this directly). */
export async function analyzeLoadedModel(model: Model, options: AnalyzeOptions = {}, hooks: AnalyzeHooks = {}, ext: AnalyzeExtensions = {}): Promise<Report> {
  const t0 = performance.now();
  const vo: VerdictOptions = {
    tau: options.tau ?? DEFAULT_VERDICT_OPTIONS.tau,
    warnFraction: options.warnFraction ?? DEFAULT_VERDICT_OPTIONS.warnFraction,
    errorFraction: options.errorFraction ?? DEFAULT_VERDICT_OPTIONS.errorFraction,
  };
  const sites = findActivationSites(model, { unitAxis: options.unitAxis });
  const nonDying = findNonDyingActivations(model);
  const source = ext.openSource ? ext.openSource(model, options) : openSampleSource(model, options);

  // Input ranges (for the input-range cause and the default proof box), fed every batch.
  const inputAcc = new Map<string, InputAcc>();
  const addFeeds = (feeds: Record<string, Tensor>): void => {
    for (const [name, t] of Object.entries(feeds)) {
      let acc = inputAcc.get(name);
      if (!acc) inputAcc.set(name, (acc = { min: Infinity, max: -Infinity, sum: 0, sum2: 0, n: 0, shape: [], float: false }));
      accumulateInput(acc, t);
    }
  };
  const { stats, done, runMs, memory } = await collectStats(model, sites, source, options, hooks, addFeeds);

  // Proofs and weight-only checks, when those modules are plugged in.
  const box = inputBox(inputAcc, options.box, source.description.random);
  const prove = options.proofs === false ? undefined : ext.proveSites ?? propagateBounds;
  const proofs = prove?.(model, box, sites);
  const weightDead = options.proofs === false ? undefined : (ext.weightOnly ?? weightOnlyDeadUnits)(model, sites);
  const verdicts: Array<LayerVerdicts | undefined> = sites.map((site, i) => {
    const s = stats[i];
    if (!s) return undefined;
    const p = proofs?.get(site.id);
    return judgeSite(s, vo, p?.decided ? p.upper : undefined, weightDead?.get(site.id));
  });

  const sitesByOutput = new Map<string, number>();
  sites.forEach((s, i) => s.graphPath === '' && sitesByOutput.set(s.output, i));
  const random = source.description.random;
  const layers: LayerReport[] = sites.map((site, i) => {
    const s = stats[i];
    const v = verdicts[i];
    let causes: LayerReport['causes'] = [];
    if (s && v) {
      const src = sourceOf(model, site, sitesByOutput);
      const up = src.site !== undefined ? verdicts[src.site] : undefined;
      let input: InputRange | undefined;
      const acc = src.input ? inputAcc.get(src.input) : undefined;
      if (src.input && acc && acc.n > 0) {
        const mean = acc.sum / acc.n;
        input = { name: src.input, min: acc.min, max: acc.max, mean, std: Math.sqrt(Math.max(0, acc.sum2 / acc.n - mean * mean)), random };
      }
      const ctx: CauseContext = {
        model, site, stats: s, verdicts: v,
        upstream: src.site !== undefined && up ? { site: sites[src.site], verdicts: up } : undefined,
        inputNonNegative: src.site !== undefined || (input !== undefined && input.min >= 0),
        input,
      };
      causes = explainDeadUnits(ctx);
    }
    const p = proofs?.get(site.id);
    // A body that never ran (an If branch not taken, a Loop of zero iterations) is not reached, not dead.
    const unreached = !s && site.graphPath !== '' && site.observation !== 'none' ? { ...site, note: `not reached: ${site.graphPath.startsWith('function:') ? 'the function' : 'this body'} never ran on these samples (or its unit count changed between runs), so nothing is known about its units` } : site;
    return layerReport(unreached, s, v, causes, !!p?.decided, p && !p.decided ? p.reason : undefined);
  });

  const notes: string[] = [];
  if (random) notes.push('RANDOM INPUTS: results describe random inputs, not your data. Pass --data to analyse your own samples.');
  if (!proofs) notes.push('Proofs were not attempted: provenDead lists are empty.');
  else {
    const decided = sites.filter((s) => proofs.get(s.id)?.decided).length;
    const over = options.box ? `the box [${options.box[0]}, ${options.box[1]}] for every input element` : random ? 'the random inputs\' range (±6 for N(0,1) floats)' : `each input element's min..max over the ${done} samples`;
    notes.push(`Proven dead means: no input within ${over} can make the unit fire (interval bounds with outward rounding, or the weights alone); bounds decided ${decided} of ${sites.length} ReLU layers.`);
  }
  if (sites.some((s) => s.observation === 'output')) notes.push('Fused activations (FusedConv/FusedGemm) are observed at their output: a positive output means the unit fired; pre-activation statistics there are of the output.');
  if (sites.some((s) => s.graphPath.startsWith('function:'))) notes.push('ReLU sites inside model-local functions aggregate over every call of the function.');
  if (sites.some((s) => s.graphPath !== '' && !s.graphPath.startsWith('function:'))) notes.push('ReLU sites inside subgraphs aggregate over every run of their body (Loop and Scan iterations, If branches taken); their sample counts count those runs.');
  notes.push(`Observed-dead units never fired on any of the ${done} samples; the 95% upper bound on their per-sample firing rate is 1 − 0.05^(1/${done}) ≈ ${done ? (3 / done).toPrecision(2) : '1'}.`);
  const totalMs = performance.now() - t0;
  const desc = source.description;
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'relu-doctor', version: TOOL_VERSION },
    model: modelInfo(model, options.displayPath ?? model.source.path ?? 'model.onnx'),
    samples: {
      count: done,
      source: desc.random ? `random inputs (seed ${options.seed ?? 0}): ${desc.note}` : desc.path ?? desc.note,
      kind: desc.kind,
      ...(desc.path ? { path: desc.path } : {}),
      random: desc.random,
      ...(desc.random ? { seed: options.seed ?? 0 } : {}),
    },
    options: optionsInfo(vo, {
      ...(options.box ? { box: options.box } : {}),
      ...(options.dims ? { dims: options.dims } : {}),
      ...(options.unitAxis ? { unitAxis: options.unitAxis } : {}),
    }),
    timing: {
      totalMs: Math.round(totalMs), runMs: Math.round(runMs), samplesPerSecond: runMs > 0 ? Math.round((done / runMs) * 1000) : 0,
      memory: { weightBytes: weightBytes(model), intermediateBytes: memory.reduce((a, m) => a + m.peakIntermediates + m.scratch, 0), sessions: memory.length },
    },
    totals: reportTotals(layers),
    layers,
    nonDying,
    notes,
  };
}
