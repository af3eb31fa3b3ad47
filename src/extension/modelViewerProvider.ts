// The `reluDoctor.modelViewer` custom readonly editor for *.onnx: one webview per editor, fed by
// the ModelStore through the typed messages of src/protocol/viewer.ts; the latest analysis's
// verdicts (postVerdicts) are shown on its layer list.
import * as vscode from 'vscode';
import * as path from 'node:path';
import type { Report } from '../analysis/report';
import { FromViewerMessage, parseFromViewer, splitLayers, ToViewerMessage, VerdictsMessage, verdictsMessage } from '../protocol/viewer';
import type { ModelStore } from './modelStore';
import { makeNonce, viewerHtml } from './viewerHtml';

/** Commands the viewer's buttons trigger, with the model's URI. */
export interface ViewerActions {
  openAsText(uri: vscode.Uri): unknown;
  analyze(uri: vscode.Uri): unknown;
  revealLayer(uri: vscode.Uri, index: number): unknown;
}

/** The model viewer provider; also tracks which viewer is active for the commands. */
export class ModelViewerProvider implements vscode.CustomReadonlyEditorProvider {
  static readonly viewType = 'reluDoctor.modelViewer';

  private active: vscode.Uri | undefined;
  /** The latest verdicts per model URI, re-sent whenever a viewer (re)loads the model. */
  private readonly verdicts = new Map<string, VerdictsMessage>();
  /** The live viewers' post functions per model URI. */
  private readonly viewers = new Map<string, Set<(m: ToViewerMessage) => Thenable<boolean>>>();

  /** Registers the provider; the returned Disposable unregisters it. */
  static register(context: vscode.ExtensionContext, store: ModelStore, actions: ViewerActions): { provider: ModelViewerProvider; disposable: vscode.Disposable } {
    const provider = new ModelViewerProvider(context.extensionUri, store, actions);
    const disposable = vscode.window.registerCustomEditorProvider(ModelViewerProvider.viewType, provider, {
      supportsMultipleEditorsPerDocument: true,
      // The viewer restores its search and paging from setState, so no retained context is needed.
      webviewOptions: { retainContextWhenHidden: false },
    });
    return { provider, disposable };
  }

  private constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly store: ModelStore,
    private readonly actions: ViewerActions,
  ) {}

  /** Shows a report's verdicts on the layer list of every viewer of the model (undefined: clears them). */
  postVerdicts(model: vscode.Uri, report: Report | undefined): void {
    const key = model.toString();
    const m = verdictsMessage(report);
    if (report) this.verdicts.set(key, m);
    else this.verdicts.delete(key);
    for (const post of this.viewers.get(key) ?? []) void post(m);
  }

  /** The model shown in the focused viewer, if a viewer is focused. */
  get activeModel(): vscode.Uri | undefined {
    return this.active;
  }

  openCustomDocument(uri: vscode.Uri): vscode.CustomDocument {
    const retained = this.store.retain(uri);
    return { uri, dispose: () => retained.dispose() };
  }

  resolveCustomEditor(document: vscode.CustomDocument, panel: vscode.WebviewPanel): void {
    const { webview } = panel;
    const uri = document.uri;
    const fileName = path.posix.basename(uri.path);
    webview.options = {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(this.extensionUri, 'media')],
    };
    webview.html = viewerHtml({
      cspSource: webview.cspSource,
      nonce: makeNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview', 'viewer.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', 'viewer.css')).toString(),
    });

    let disposed = false;
    let generation = 0;
    const post = (m: ToViewerMessage): Thenable<boolean> => (disposed ? Promise.resolve(false) : webview.postMessage(m));
    // Sends the loading state, then the summary (its layers in chunks, each awaited so a big model
    // never floods the channel) or the error; a newer send supersedes an older one.
    const send = async () => {
      const mine = ++generation;
      const current = () => mine === generation && !disposed;
      void post({ type: 'loading', fileName, detail: 'Opening…' });
      let r: Awaited<ReturnType<ModelStore['summary']>>;
      try {
        r = await this.store.summary(uri, (detail) => current() && void post({ type: 'loading', fileName, detail }));
      } catch (e) {
        if (current()) void post({ type: 'error', fileName, message: e instanceof Error ? e.message : String(e) });
        return;
      }
      const { head, chunks } = splitLayers(r.summary);
      if (!current()) return;
      await post({ type: 'init', generation: mine, fileName, byteLength: r.byteLength, summary: head, layerCount: r.summary.layers.length });
      for (const layers of chunks) {
        if (!current()) return;
        await post({ type: 'layers', generation: mine, layers });
      }
      const verdicts = this.verdicts.get(uri.toString());
      if (verdicts && current()) void post(verdicts);
    };
    const key = uri.toString();
    if (!this.viewers.has(key)) this.viewers.set(key, new Set());
    this.viewers.get(key)!.add(post);

    const subs: vscode.Disposable[] = [
      webview.onDidReceiveMessage((raw: unknown) => {
        const m = parseFromViewer(raw);
        if (m) this.onMessage(uri, m, send);
      }),
      this.store.onDidChange((changed) => {
        if (changed.toString() === uri.toString()) void send();
      }),
      panel.onDidChangeViewState(() => this.track(panel, uri)),
    ];
    this.track(panel, uri);
    panel.onDidDispose(() => {
      disposed = true;
      this.viewers.get(key)?.delete(post);
      if (this.viewers.get(key)?.size === 0) this.viewers.delete(key);
      if (this.active?.toString() === uri.toString() && panel.active) this.active = undefined;
      subs.forEach((s) => s.dispose());
    });
  }

  private track(panel: vscode.WebviewPanel, uri: vscode.Uri): void {
    if (panel.active) this.active = uri;
    else if (this.active?.toString() === uri.toString()) this.active = undefined;
  }

  private onMessage(uri: vscode.Uri, m: FromViewerMessage, send: () => Promise<void>): void {
    switch (m.type) {
      case 'ready':
        void send();
        return;
      case 'openAsText':
        void this.actions.openAsText(uri);
        return;
      case 'analyze':
        void this.actions.analyze(uri);
        return;
      case 'revealLayer':
        void this.actions.revealLayer(uri, m.index);
        return;
    }
  }
}
