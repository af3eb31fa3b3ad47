// A small pool of worker_threads running dist/worker.js: jobs queue until a worker is free, workers
// start lazily and stop after an idle spell, a crashed worker fails only its own job, and an
// aborted job terminates the worker running it. Used by the extension host (and later the CLI).
import { Worker } from 'node:worker_threads';
import type { JobRequest, JobType, WorkerJobs, WorkerResponse } from './protocol';

/** Options for a WorkerPool. */
export interface PoolOptions {
  /** Path of the worker script (dist/worker.js). */
  readonly script: string;
  /** Most workers alive at once (≥ 1). */
  readonly size: number;
  /** Stop a worker after this many ms without work; 0 keeps it. */
  readonly idleMs?: number;
  /** Extra Worker options (tests pass `eval` scripts through here). */
  readonly workerOptions?: ConstructorParameters<typeof Worker>[1];
}

interface Pending {
  readonly id: number;
  readonly req: JobRequest;
  readonly transfer: ArrayBuffer[];
  readonly resolve: (v: unknown) => void;
  readonly reject: (e: Error) => void;
  readonly progress?: (detail: string) => void;
  readonly signal?: AbortSignal;
}

interface Slot {
  readonly worker: Worker;
  job?: Pending;
  idle?: ReturnType<typeof setTimeout>;
}

/** Runs worker jobs on up to `size` threads. */
export class WorkerPool {
  private readonly slots = new Set<Slot>();
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private disposed = false;

  constructor(private readonly opts: PoolOptions) {}

  /** Runs a job; rejects with a one-line Error on failure, abort, worker crash or dispose. */
  run<K extends JobType>(
    req: JobRequest<K>,
    options: { progress?: (detail: string) => void; signal?: AbortSignal; transfer?: ArrayBuffer[] } = {},
  ): Promise<WorkerJobs[K]['result']> {
    if (this.disposed) return Promise.reject(new Error('the worker pool was shut down'));
    if (options.signal?.aborted) return Promise.reject(new Error('cancelled'));
    return new Promise((resolve, reject) => {
      const job: Pending = { id: this.nextId++, req, transfer: options.transfer ?? [], resolve: resolve as (v: unknown) => void, reject, progress: options.progress, signal: options.signal };
      options.signal?.addEventListener('abort', () => this.abort(job), { once: true });
      this.queue.push(job);
      this.pump();
    });
  }

  /** Number of live worker threads. */
  get threads(): number {
    return this.slots.size;
  }

  /** Terminates every worker and fails every job. */
  dispose(): void {
    this.disposed = true;
    for (const job of this.queue.splice(0)) job.reject(new Error('the worker pool was shut down'));
    for (const slot of [...this.slots]) this.kill(slot, new Error('the worker pool was shut down'));
  }

  private pump(): void {
    while (this.queue.length) {
      let slot = [...this.slots].find((s) => !s.job);
      if (!slot) {
        if (this.slots.size >= Math.max(1, this.opts.size)) return;
        slot = this.spawn();
      }
      const job = this.queue.shift()!;
      if (slot.idle) clearTimeout(slot.idle);
      slot.idle = undefined;
      slot.job = job;
      slot.worker.postMessage({ id: job.id, ...job.req }, job.transfer);
    }
  }

  private spawn(): Slot {
    const worker = new Worker(this.opts.script, this.opts.workerOptions);
    const slot: Slot = { worker };
    worker.on('message', (m: WorkerResponse) => this.onMessage(slot, m));
    worker.on('error', (e) => this.kill(slot, new Error(`the worker failed: ${e.message.split('\n', 1)[0]}`)));
    worker.on('exit', (code) => this.kill(slot, new Error(`the worker stopped unexpectedly (exit code ${code}); the model may be too large for memory`)));
    this.slots.add(slot);
    return slot;
  }

  private onMessage(slot: Slot, m: WorkerResponse): void {
    const job = slot.job;
    if (!job || m.id !== job.id) return;
    if ('progress' in m) {
      job.progress?.(m.progress);
      return;
    }
    slot.job = undefined;
    if (m.ok) {
      const { id: _id, ok: _ok, ...result } = m;
      job.resolve(result);
    } else {
      job.reject(new Error(m.error));
    }
    this.release(slot);
  }

  private release(slot: Slot): void {
    const idleMs = this.opts.idleMs ?? 0;
    if (idleMs > 0) {
      slot.idle = setTimeout(() => this.kill(slot), idleMs);
      slot.idle.unref?.();
    }
    this.pump();
  }

  private abort(job: Pending): void {
    const queued = this.queue.indexOf(job);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      job.reject(new Error('cancelled'));
      return;
    }
    const slot = [...this.slots].find((s) => s.job === job);
    if (slot) this.kill(slot, new Error('cancelled'));
  }

  /** Removes a worker; its job (if any) fails with `reason`. */
  private kill(slot: Slot, reason?: Error): void {
    if (!this.slots.delete(slot)) return;
    if (slot.idle) clearTimeout(slot.idle);
    const job = slot.job;
    slot.job = undefined;
    slot.worker.removeAllListeners();
    slot.worker.on('error', () => {});
    void slot.worker.terminate();
    if (job) job.reject(reason ?? new Error('the worker stopped'));
    if (!this.disposed) this.pump();
  }
}
