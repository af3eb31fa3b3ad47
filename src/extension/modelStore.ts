// Loads each model once per URI (in a worker thread), caches its summary and text, and drops them
// when the file changes on disk. Viewers retain their model so it is never evicted while open.
import * as vscode from 'vscode';
import * as path from 'node:path';
import type { WorkerPool } from '../worker/pool';
import type { ModelRef, WorkerJobs } from '../worker/protocol';
import { maxModelSizeMB } from './config';
import { bytes as formatBytes } from '../webview/format';

type Summary = WorkerJobs['summarize']['result'];
type Text = WorkerJobs['text']['result'];

interface Entry {
  summary?: Promise<Summary>;
  text?: Promise<Text>;
  refs: number;
  readonly progress: Set<(detail: string) => void>;
  readonly watcher?: vscode.FileSystemWatcher;
  timer?: ReturnType<typeof setTimeout>;
}

/** Returns `p`, calling `forget` if it rejects, so a failure is retried on the next request. */
function forgetOnFailure<T>(p: Promise<T>, forget: () => void): Promise<T> {
  p.catch(forget);
  return p;
}

/** Unretained models kept for quick reopening. */
const SPARE = 2;

/** The per-URI model cache of the extension host. */
export class ModelStore implements vscode.Disposable {
  private readonly entries = new Map<string, Entry>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  /** Fires (debounced) when a cached model's file changed, was created or deleted. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly pool: WorkerPool) {}

  /** Keeps `uri`'s cache entry alive until the returned Disposable is disposed. */
  retain(uri: vscode.Uri): vscode.Disposable {
    const e = this.entry(uri);
    e.refs++;
    return new vscode.Disposable(() => {
      e.refs--;
      this.trim();
    });
  }

  /** The model's summary; `progress` hears the loading stages. Rejects with a one-line Error. */
  summary(uri: vscode.Uri, progress?: (detail: string) => void): Promise<Summary> {
    const e = this.entry(uri);
    if (progress) e.progress.add(progress);
    const done = () => (progress ? e.progress.delete(progress) : undefined);
    e.summary ??= forgetOnFailure(this.run(uri, e, 'summarize'), () => (e.summary = undefined));
    return e.summary.finally(done);
  }

  /** The model's textual form and each node's line. */
  text(uri: vscode.Uri): Promise<Text> {
    const e = this.entry(uri);
    e.text ??= forgetOnFailure(this.run(uri, e, 'text'), () => (e.text = undefined));
    return e.text;
  }

  dispose(): void {
    for (const e of this.entries.values()) this.drop(e);
    this.entries.clear();
    this.changed.dispose();
  }

  private async run<K extends 'summarize' | 'text'>(uri: vscode.Uri, e: Entry, type: K): Promise<WorkerJobs[K]['result']> {
    const name = path.posix.basename(uri.path);
    const report = (d: string) => e.progress.forEach((p) => p(d));
    const stat = await vscode.workspace.fs.stat(uri).then(undefined, (err: unknown) => {
      throw new Error(`${name}: cannot read the file (${err instanceof Error ? err.message : String(err)})`);
    });
    const limit = maxModelSizeMB();
    if (stat.size > limit * 1024 * 1024) {
      throw new Error(`${name} is ${formatBytes(stat.size)}, above reluDoctor.maxModelSizeMB (${limit} MB); raise the setting to open it.`);
    }
    report(`Reading ${formatBytes(stat.size)}…`);
    let ref: ModelRef = { path: uri.fsPath };
    const transfer: ArrayBuffer[] = [];
    if (uri.scheme !== 'file') {
      const bytes = await vscode.workspace.fs.readFile(uri);
      ref = { path: uri.path, bytes };
      if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength) transfer.push(bytes.buffer as ArrayBuffer);
    }
    return this.pool.run({ type, ...ref } as never, { progress: report, transfer }) as Promise<WorkerJobs[K]['result']>;
  }

  private entry(uri: vscode.Uri): Entry {
    const key = uri.toString();
    let e = this.entries.get(key);
    if (e) {
      this.entries.delete(key); // Re-insert: Map order is the LRU order.
    } else {
      e = { refs: 0, progress: new Set(), watcher: this.watch(uri) };
      e.watcher?.onDidChange(() => this.invalidate(uri));
      e.watcher?.onDidCreate(() => this.invalidate(uri));
      e.watcher?.onDidDelete(() => this.invalidate(uri));
    }
    this.entries.set(key, e);
    this.trim();
    return e;
  }

  private watch(uri: vscode.Uri): vscode.FileSystemWatcher | undefined {
    if (uri.scheme !== 'file') return undefined;
    const dir = vscode.Uri.joinPath(uri, '..');
    return vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(dir, path.posix.basename(uri.path)));
  }

  private invalidate(uri: vscode.Uri): void {
    const e = this.entries.get(uri.toString());
    if (!e) return;
    if (e.timer) clearTimeout(e.timer);
    // Writers touch a file several times; reload once it settles.
    e.timer = setTimeout(() => {
      e.summary = undefined;
      e.text = undefined;
      this.changed.fire(uri);
    }, 300);
  }

  private trim(): void {
    let spare = 0;
    for (const [key, e] of [...this.entries].reverse()) {
      if (e.refs > 0) continue;
      if (++spare > SPARE) {
        this.drop(e);
        this.entries.delete(key);
      }
    }
  }

  private drop(e: Entry): void {
    if (e.timer) clearTimeout(e.timer);
    e.watcher?.dispose();
  }
}
