// The messages between a host (extension or CLI) and dist/worker.js. A job is `{ id, type, ...args }`;
// the answer is `{ id, ok: true, ...result }` or `{ id, ok: false, error }`. Later analysis jobs add
// an entry to `WorkerJobs` and a handler in jobs.ts; the transport stays the same.
import type { ModelSummary } from '../onnx/summary';

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
