// The messages between a host (extension or CLI) and dist/worker.js. A job is `{ id, type, ...args }`;
// the answer is `{ id, ok: true, ...result }` or `{ id, ok: false, error }`. Later analysis jobs add
// an entry to `WorkerJobs` and a handler in jobs.ts; the transport stays the same.
import type { ModelSummary } from '../onnx/summary';
import type { SiteStats } from '../analysis/stats';
import type { Tensor } from '../runtime/tensor';
import type { SessionMemory } from '../runtime/executor';
import type { AnalyzeOptions } from '../analysis/analyze';
import type { Report } from '../analysis/report';
import type { FixApplicableArgs, FixApplyArgs } from './fix-job';

/** Where a job's model comes from: a file path, or bytes already read (non-file URIs). */
export interface ModelRef {
  /** Absolute path; external data is resolved next to it. */
  readonly path: string;
  /** The file's bytes when the host read them itself; then `path` only names the model in errors. */
  readonly bytes?: Uint8Array;
}

/** Every job type: its arguments and its result. */
export interface WorkerJobs {
  /** Loads a model and summarizes it (shapes inferred when possible). */
  summarize: { args: ModelRef; result: { summary: ModelSummary; byteLength: number } };
  /** Loads a model and renders its textual form; `layerLines[i]` is node i's 0-based line, or -1. */
  text: { args: ModelRef; result: { text: string; layerLines: number[] } };
  /** Analysis (src/analysis/parallel.ts): decode the model from shared bytes and plan it for `session`. */
  analyzeOpen: { args: AnalyzeOpenArgs; result: { sites: number; weights: { shared: number; copied: number } } };
  /** Analysis: run one batch of samples, accumulating per-site statistics in the worker. */
  analyzeBatch: { args: AnalyzeBatchArgs; result: { runMs: number; ranges?: Array<[number, number] | null> } };
  /** Analysis: hand back the statistics and forget the session. */
  analyzeClose: { args: { session: number }; result: { stats: Array<SiteStats | null>; memory: SessionMemory } };
  /** A whole analysis in the worker (src/worker/analyze-run.ts); progress messages are "done/total" samples. */
  analyze: { args: AnalyzeJobArgs; result: AnalyzeJobResult };
  /** Fixes (src/worker/fix-job.ts): the ids of the fixes that apply to each layer of a report. */
  fixApplicable: { args: FixApplicableArgs; result: { applicable: string[][] } };
  /** Fixes: applies one rewrite to one layer and writes the fixed model (never over the original). */
  fixApply: { args: FixApplyArgs; result: { summary: string; written: string } };
}

/** Arguments of the `analyze` job. */
export interface AnalyzeJobArgs {
  /** Absolute model path. */
  readonly path: string;
  readonly options: AnalyzeOptions;
}

/** Result of the `analyze` job. */
export interface AnalyzeJobResult {
  readonly report: Report;
}

/** Opens an analysis session in a worker. */
export interface AnalyzeOpenArgs {
  readonly session: number;
  /** The model file's path (names it in errors, anchors external data). */
  readonly path: string;
  /** The model file's bytes, a view of a SharedArrayBuffer shared by every worker (weights are not copied). */
  readonly bytes: Uint8Array;
  /** Initializers whose raw bytes are unaligned in the file, copied once by the host into shared memory. */
  readonly aligned?: { bytes: Uint8Array; table: Array<[number, number, number]> };
  readonly unitAxis?: Record<string, number>;
  /** Activation sites the host found; the worker must find the same number. */
  readonly sites: number;
  /** Int32Array over a SharedArrayBuffer: non-zero cancels runs between nodes. */
  readonly cancel: Int32Array;
}

/** One batch for an analysis session. */
export interface AnalyzeBatchArgs {
  readonly session: number;
  readonly feeds: Record<string, Tensor>;
  /** Index of the batch's first sample among all samples. */
  readonly offset: number;
  readonly count: number;
  /** Histogram ranges per site (fixed by the first batch), for statistics created in this worker. */
  readonly histRanges?: Array<[number, number] | null>;
  /** Answer with the histogram ranges per site (asked after the first batch). */
  readonly wantRanges?: boolean;
}

/** A job's type name. */
export type JobType = keyof WorkerJobs;

/** A job as posted to the worker. */
export type WorkerRequest = { [K in JobType]: { readonly id: number; readonly type: K } & WorkerJobs[K]['args'] }[JobType];

/** A job's arguments without the transport id. */
export type JobRequest<K extends JobType = JobType> = { readonly type: K } & WorkerJobs[K]['args'];

/** A worker's answer to job `id`. */
export type WorkerResponse =
  | ({ readonly id: number; readonly ok: true } & WorkerJobs[JobType]['result'])
  | { readonly id: number; readonly ok: false; readonly error: string }
  /** Intermediate progress; the job is still running. */
  | { readonly id: number; readonly progress: string };
