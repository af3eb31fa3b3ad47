// The job handlers dist/worker.js runs: plain functions from a request to a result, so they are
// tested in-process too. The last decoded model is kept so `text` right after `summarize` is cheap.
import { statSync } from 'node:fs';
import type { Model } from '../onnx/ir';
import { decodeModel, loadModelAsync } from '../onnx/load';
import { inferShapes } from '../onnx/shapes';
import { summarizeModel, TypeLookup } from '../onnx/summary';
import { modelToText } from '../onnx/text';
import type { JobRequest, JobType, ModelRef, WorkerJobs } from './protocol';
import { analyzeBatch, analyzeClose, analyzeOpen } from './analyze-job';
import { analyzeRun } from './analyze-run';
import { fixApplicable, fixApply } from './fix-job';

/** Reports a stage of a running job ("Decoding…"). */
export type Progress = (detail: string) => void;

type Handler<K extends JobType> = (req: JobRequest<K>, progress: Progress) => Promise<WorkerJobs[K]['result']>;

let cached: { key: string; model: Model; types: TypeLookup | undefined } | undefined;

/** Drops the cached model (tests; memory pressure). */
export function clearModelCache(): void {
  cached = undefined;
}

function cacheKey(ref: ModelRef): string | undefined {
  if (ref.bytes) return undefined;
  try {
    const st = statSync(ref.path);
    return `${ref.path}\0${st.size}\0${st.mtimeMs}`;
  } catch {
    return undefined;
  }
}

async function model(ref: ModelRef, progress: Progress): Promise<{ model: Model; types: TypeLookup | undefined }> {
  const key = cacheKey(ref);
  if (key !== undefined && cached?.key === key) return cached;
  cached = undefined;
  progress('Decoding the model…');
  // Bytes read through a non-file URI have no folder on disk, so external data cannot resolve.
  const m = ref.bytes ? decodeModel(ref.bytes, { path: ref.path }) : await loadModelAsync(ref.path);
  progress('Inferring shapes…');
  let types: TypeLookup | undefined;
  try {
    types = inferShapes(m);
  } catch {
    types = undefined; // Shapes are a nicety for the viewer; the declared types still show.
  }
  const entry = { key: key ?? '', model: m, types };
  if (key !== undefined) cached = entry;
  return entry;
}

const handlers: { [K in JobType]: Handler<K> } = {
  async summarize(req, progress) {
    const { model: m, types } = await model(req, progress);
    progress('Summarizing…');
    return { summary: summarizeModel(m, types), byteLength: m.source.byteLength };
  },
  async text(req, progress) {
    const { model: m, types } = await model(req, progress);
    progress('Rendering text…');
    const view = modelToText(m, types);
    return { text: view.text, layerLines: m.graph.nodes.map((n) => view.nodeLines.get(n) ?? -1) };
  },
  // Analysis sessions (src/worker/analyze-job.ts), driven by src/analysis/parallel.ts.
  analyzeOpen: async (req) => analyzeOpen(req),
  analyzeBatch: async (req) => analyzeBatch(req),
  analyzeClose: async (req) => analyzeClose(req),
  // A whole analysis (the extension host's "Analyze Activations").
  analyze: (req, progress) => analyzeRun(req, progress),
  // Model rewrites for the quick-fixes and the report's fix buttons.
  fixApplicable: (req) => fixApplicable(req),
  fixApply: (req) => fixApply(req),
};

/** Runs one job; throws on failure (the caller turns it into `{ ok: false, error }`). */
export function runJob<K extends JobType>(req: JobRequest<K>, progress: Progress = () => {}): Promise<WorkerJobs[K]['result']> {
  const handler = handlers[req.type] as Handler<K> | undefined;
  if (!handler) return Promise.reject(new Error(`unknown worker job type "${String(req.type)}"`));
  return handler(req, progress);
}

/** A one-line message for any thrown value. */
export function errorLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split(/\r?\n/, 1)[0] || 'unknown error';
}
