// The `reluDoctor.modelViewer` custom readonly editor for *.onnx: one webview per editor, fed by
// the ModelStore through the typed messages of src/protocol/viewer.ts.
import * as vscode from 'vscode';
import * as path from 'node:path';
import { FromViewerMessage, parseFromViewer, splitLayers, ToViewerMessage } from '../protocol/viewer';
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
    };

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
