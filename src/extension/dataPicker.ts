// Which data an analysis of a model runs on: a quick pick of the data found near the model
// (src/data/discover.ts), "Browse…" or random inputs, remembered per model in workspace state.
import * as vscode from 'vscode';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { discoverData } from '../data/discover';

/** What is remembered: an absolute data path, or 'random'. */
export type DataChoice = string;

const KEY = 'reluDoctor.data:';

/** The remembered choice for a model, if its file (or folder) still exists. */
export function rememberedData(state: vscode.Memento, model: vscode.Uri): DataChoice | undefined {
  const v = state.get<string>(KEY + model.toString());
  if (v === undefined) return undefined;
  return v === 'random' || fs.existsSync(v) ? v : undefined;
}

/** Remembers a model's data choice. */
export function rememberData(state: vscode.Memento, model: vscode.Uri, choice: DataChoice): Thenable<void> {
  return state.update(KEY + model.toString(), choice);
}

/** A data argument as given to the command: 'random', or a path (relative paths are taken from the model's folder). */
export function resolveDataArg(model: vscode.Uri, data: string): DataChoice {
  if (data === 'random') return 'random';
  return path.resolve(path.dirname(model.fsPath), data);
}

interface Item extends vscode.QuickPickItem {
  readonly choice?: DataChoice;
  readonly browse?: boolean;
}

/** Asks which data to analyse a model with; undefined when the user cancels. Remembers the answer. */
export async function pickData(state: vscode.Memento, model: vscode.Uri): Promise<DataChoice | undefined> {
  const name = path.posix.basename(model.path);
  const current = state.get<string>(KEY + model.toString());
  const found = model.scheme === 'file' ? discoverData(model.fsPath) : [];
  const items: Item[] = found.map((c) => ({
    label: `$(file) ${c.label}`,
    description: `${c.kind}${c.detail ? ` · ${c.detail}` : ''}${c.fits === false ? ' · shape may not fit' : ''}`,
    detail: c.path === current ? 'last used' : undefined,
    choice: c.path,
  }));
  if (items.length) items.unshift({ label: 'Data near the model', kind: vscode.QuickPickItemKind.Separator });
  items.push(
    { label: '', kind: vscode.QuickPickItemKind.Separator },
    { label: '$(folder-opened) Browse…', description: '.npy, .npz, .pb, a test_data_set_* folder or an image folder', browse: true },
    { label: '$(symbol-event) Random inputs (quick check)', description: 'seeded N(0,1); not your data — verdicts may differ', detail: current === 'random' ? 'last used' : undefined, choice: 'random' },
  );
  const picked = await vscode.window.showQuickPick(items, {
    title: `ReLU Doctor: data for ${name}`,
    placeHolder: 'Samples to run through the model (remembered for this model; change with "ReLU Doctor: Choose Analysis Data…")',
    ignoreFocusOut: true,
    matchOnDescription: true,
  });
  if (!picked) return undefined;
  let choice = picked.choice;
  if (picked.browse) {
    const uris = await vscode.window.showOpenDialog({
      title: `Data for ${name}`,
      defaultUri: vscode.Uri.joinPath(model, '..'),
      canSelectFiles: true,
      canSelectFolders: true,
      canSelectMany: false,
      openLabel: 'Analyse with this data',
    });
    if (!uris?.[0]) return undefined;
    choice = uris[0].fsPath;
  }
  if (choice === undefined) return undefined;
  await rememberData(state, model, choice);
  return choice;
}
