// The VS Code entry point: wires the worker pool, the model store, the viewer, the text view and
// the commands together. Glue only; everything it shows is computed in the core or the worker.
import * as vscode from 'vscode';
import * as path from 'node:path';
import { WorkerPool } from '../worker/pool';
import { analyzeActivations } from './analyzeCommand';
import { ModelStore } from './modelStore';
import { ModelViewerProvider } from './modelViewerProvider';
import { ModelTextProvider, openModelAsText } from './textView';
import { modelUriOf } from './textUri';

let pool: WorkerPool | undefined;

/** Activates the extension (VS Code derives activation events from `contributes`). */
export function activate(context: vscode.ExtensionContext): void {
  // One thread for model loading: models are big, and loading one at a time bounds memory.
  pool = new WorkerPool({ script: path.join(context.extensionPath, 'dist', 'worker.js'), size: 1, idleMs: 60_000 });
  const workers = pool;
  const store = new ModelStore(workers);
  const { provider, disposable } = ModelViewerProvider.register(context, store, {
    openAsText: (uri) => openModelAsText(uri),
    analyze: (uri) => analyzeActivations(uri),
    revealLayer: async (uri, index) => {
      const { layerLines } = await store.text(uri);
      return openModelAsText(uri, layerLines[index]);
    },
  });

  // The model a command applies to: its argument, else the focused viewer, else the active tab's file.
  const target = (arg: unknown): vscode.Uri | undefined => {
    if (arg instanceof vscode.Uri) return arg;
    if (provider.activeModel) return provider.activeModel;
    const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
    if (input instanceof vscode.TabInputCustom || input instanceof vscode.TabInputText) {
      const model = modelUriOf(input.uri.scheme, input.uri.query);
      if (model) return vscode.Uri.parse(model, true);
      if (input.uri.path.toLowerCase().endsWith('.onnx')) return input.uri;
    }
    return undefined;
  };

  context.subscriptions.push(
    { dispose: () => workers.dispose() },
    store,
    disposable,
    ModelTextProvider.register(store),
    vscode.commands.registerCommand('reluDoctor.openModelAsText', async (arg?: unknown) => {
      const uri = target(arg);
      if (!uri) {
        void vscode.window.showWarningMessage('ReLU Doctor: open an .onnx model first, then run "Open Model as Text".');
        return undefined;
      }
      return openModelAsText(uri);
    }),
    vscode.commands.registerCommand('reluDoctor.analyzeActivations', (arg?: unknown) => analyzeActivations(target(arg))),
  );
}

/** Stops the worker threads. */
export function deactivate(): void {
  pool?.dispose();
  pool = undefined;
}
