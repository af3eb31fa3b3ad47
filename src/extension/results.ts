// The latest analysis of each model in this window: its report, the text view's node lines, the
// data it ran on and the fixes the core offers per layer. Diagnostics, hovers, code actions and the
// report read it; it forgets a model (and says so) when the model file changes or is deleted.
import * as vscode from 'vscode';
import * as path from 'node:path';
import type { Report } from '../analysis/report';
import type { RunChoice } from './analysisSettings';

/** One model's latest analysis. */
export interface AnalysisResult {
  readonly model: vscode.Uri;
  readonly report: Report;
  /** Line of each main-graph node in the model's text view (-1: none). */
  readonly layerLines: readonly number[];
  /** The data the analysis ran on (reused when a fix re-analyses). */
  readonly choice: RunChoice;
  /** Per layer of `report.layers`: the fix ids the core can apply. */
  readonly applicable: ReadonlyArray<readonly string[]>;
  /** The report of the model this one was fixed from, for before → after. */
  readonly before?: { model: vscode.Uri; report: Report };
}

interface Entry {
  result: AnalysisResult;
  /** Size and mtime of the file when analysed; a watcher event with the same stamp is ignored. */
  stamp: string;
  watcher?: vscode.FileSystemWatcher;
}

/** Stamp of a file (size and mtime), or '' when it cannot be read. */
async function stampOf(uri: vscode.Uri): Promise<string> {
  try {
    const s = await vscode.workspace.fs.stat(uri);
    return `${s.size}:${s.mtime}`;
  } catch {
    return '';
  }
}

/** Latest analysis per model URI. */
export class AnalysisResults implements vscode.Disposable {
  private readonly entries = new Map<string, Entry>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  /** Fires with the model URI when its result is set or cleared. */
  readonly onDidChange = this.changed.event;

  /** The latest result for a model. */
  get(model: vscode.Uri | string): AnalysisResult | undefined {
    return this.entries.get(model.toString())?.result;
  }

  /** Every model with a result. */
  models(): vscode.Uri[] {
    return [...this.entries.values()].map((e) => e.result.model);
  }

  /** Stores a result and watches its file. */
  async set(result: AnalysisResult): Promise<void> {
    const key = result.model.toString();
    const old = this.entries.get(key);
    const entry: Entry = { result, stamp: await stampOf(result.model), watcher: old?.watcher ?? this.watch(result.model) };
    this.entries.set(key, entry);
    this.changed.fire(result.model);
  }

  /** Replaces a result's text-view lines (the file is unchanged: its stamp is kept). */
  setLines(model: vscode.Uri, layerLines: readonly number[]): void {
    const e = this.entries.get(model.toString());
    if (!e) return;
    e.result = { ...e.result, layerLines };
    this.changed.fire(model);
  }

  /** Forgets a model's result. */
  clear(model: vscode.Uri): void {
    const key = model.toString();
    const e = this.entries.get(key);
    if (!e) return;
    e.watcher?.dispose();
    this.entries.delete(key);
    this.changed.fire(model);
  }

  dispose(): void {
    for (const e of this.entries.values()) e.watcher?.dispose();
    this.entries.clear();
    this.changed.dispose();
  }

  private watch(model: vscode.Uri): vscode.FileSystemWatcher | undefined {
    if (model.scheme !== 'file') return undefined;
    const w = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.joinPath(model, '..'), path.posix.basename(model.path)));
    // Writers may replace a file (delete + create): only a different file on disk clears the result.
    const check = async (): Promise<void> => {
      const e = this.entries.get(model.toString());
      if (e && (await stampOf(model)) !== e.stamp) this.clear(model);
    };
    w.onDidChange(check);
    w.onDidCreate(check);
    w.onDidDelete(check);
    return w;
  }
}
