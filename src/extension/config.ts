// Typed reads of the `reluDoctor.*` settings the extension host uses today.
import * as vscode from 'vscode';
import * as os from 'node:os';

/** The largest model (MB) the viewer opens; `reluDoctor.maxModelSizeMB`. */
export function maxModelSizeMB(): number {
  const v = vscode.workspace.getConfiguration('reluDoctor').get<number>('maxModelSizeMB', 2048);
  return Number.isFinite(v) && v > 0 ? v : 2048;
}

/** Worker threads for analysis jobs; `reluDoctor.workers` (0 = one per core). */
export function workerCount(): number {
  const v = vscode.workspace.getConfiguration('reluDoctor').get<number>('workers', 0);
  return Number.isInteger(v) && v > 0 ? v : Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
}
