// The VS Code entry point: wires the worker pool, the model store, the viewer, the text view and
// the commands together. Glue only; everything it shows is computed in the core or the worker.
import * as vscode from 'vscode';
import * as path from 'node:path';
import { pytorchSnippet } from '../fixes/pytorch';
import { WorkerPool } from '../worker/pool';
import { analyzeActivations, AnalyzeDeps, chooseData } from './analyzeCommand';
import { FixBackend, registerCodeActions } from './codeActions';
import { registerDiagnostics } from './diagnostics';
import { registerHovers } from './hovers';
import { disposeOutput } from './outputChannel';
import type { ShowReport } from './reportHook';
import { ReportPanels } from './reportPanel';
import { AnalysisResults } from './results';
import { ModelStore } from './modelStore';
import { ModelViewerProvider } from './modelViewerProvider';
import { ModelTextProvider, openModelAsText } from './textView';
import { modelUriOf } from './textUri';

let pool: WorkerPool | undefined;
let analysisPool: WorkerPool | undefined;

/** Activates the extension (VS Code derives activation events from `contributes`). */
export function activate(context: vscode.ExtensionContext): void {
  // One thread for model loading: models are big, and loading one at a time bounds memory.
  pool = new WorkerPool({ script: path.join(context.extensionPath, 'dist', 'worker.js'), size: 1, idleMs: 60_000 });
  const workers = pool;
  const store = new ModelStore(workers);
  // Analyses get their own thread (which fans batches out to more), so viewers keep loading meanwhile.
  analysisPool = new WorkerPool({ script: path.join(context.extensionPath, 'dist', 'worker.js'), size: 1, idleMs: 60_000 });
  const results = new AnalysisResults();
  // The report panels (one per model, restored after a reload); their fix buttons run the fix commands.
  const reports = ReportPanels.register(context, {
    results,
    revealNode: async (uri, index) => {
      const { layerLines } = await store.text(uri);
      return openModelAsText(uri, layerLines[index]);
    },
  });
  const showReport: ShowReport = reports.show;
  // The model rewrites (src/fixes) run in the analysis worker; the PyTorch snippet is plain text.
  const fixPool = analysisPool;
  const fixBackend: FixBackend = {
    rewrite: (req) => fixPool.run({ type: 'fixApply', path: req.modelPath, report: req.report, layer: req.layer, fixId: req.fixId, out: req.out, overwrite: req.overwrite, alpha: req.alpha, seed: req.seed }),
    snippet: (report, layer, alpha) => pytorchSnippet(report, layer, alpha),
  };
  const analysis: AnalyzeDeps = {
    pool: analysisPool,
    state: context.workspaceState,
    store,
    results,
    // Only file models can be rewritten beside themselves.
    applicable: async (model, report) => (model.scheme === 'file' ? (await fixPool.run({ type: 'fixApplicable', path: model.fsPath, report })).applicable : report.layers.map(() => [])),
    showReport,
  };
  const { provider, disposable } = ModelViewerProvider.register(context, store, {
    openAsText: (uri) => openModelAsText(uri),
    analyze: (uri) => analyzeActivations(analysis, uri),
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

  // A text view's URI stands for its model.
  const model = (arg: unknown): vscode.Uri | undefined => {
    const uri = target(arg);
    const behind = uri && modelUriOf(uri.scheme, uri.query);
    return behind ? vscode.Uri.parse(behind, true) : uri;
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
    vscode.commands.registerCommand('reluDoctor.analyzeActivations', (arg?: unknown, options?: unknown) => analyzeActivations(analysis, model(arg), options)),
    vscode.commands.registerCommand('reluDoctor.chooseData', (arg?: unknown) => chooseData(analysis, model(arg))),
    vscode.commands.registerCommand('reluDoctor.showReport', (arg?: unknown, layer?: unknown) => {
      const uri = typeof arg === 'string' ? vscode.Uri.parse(arg, true) : model(arg);
      const r = uri && results.get(uri);
      if (!uri || !r) {
        void vscode.window.showInformationMessage('ReLU Doctor: no analysis of this model yet; run "Analyze Activations" first.');
        return undefined;
      }
      const index = typeof layer === 'number' && Number.isInteger(layer) && layer >= 0 && layer < r.report.layers.length ? layer : undefined;
      return showReport(r.report, { model: uri, layer: index, reveal: true, ...(r.before ? { before: r.before.report } : {}) });
    }),
    results,
    reports,
    // The viewers show the latest verdicts on their layer lists (and drop them when a result is cleared).
    results.onDidChange((uri) => provider.postVerdicts(uri, results.get(uri)?.report)),
    // A rewritten model's text may change layout: re-read its node lines for the stored result.
    store.onDidChange(async (uri) => {
      const r = results.get(uri);
      if (!r) return;
      const text = await store.text(uri).catch(() => undefined);
      if (text && results.get(uri) === r) results.setLines(uri, text.layerLines);
    }),
    registerDiagnostics(results),
    registerHovers(results),
    registerCodeActions(analysis, fixBackend),
    { dispose: () => analysisPool?.dispose() },
    { dispose: disposeOutput },
  );
}

/** Stops the worker threads. */
export function deactivate(): void {
  pool?.dispose();
  pool = undefined;
  analysisPool?.dispose();
  analysisPool = undefined;
}
