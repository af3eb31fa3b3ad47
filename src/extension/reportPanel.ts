// The report panel: one webview panel per model showing its analysis report (src/webview/report.ts),
// restored after a reload by a panel serializer from the state the webview saved. Its buttons run
// the fix commands on the current analysis and export the report through the core renderers.
import * as vscode from 'vscode';
import * as path from 'node:path';
import type { Report } from '../analysis/report';
import { FromReportMessage, parseFromReport, parseReportState, ReportView, ToReportMessage } from '../protocol/report';
import { leakyAlpha } from './analysisSettings';
import { logError } from './outputChannel';
import { notificationText } from './plainText';
import type { AnalysisResults } from './results';
import type { ShowReport, ShowReportOptions } from './reportHook';
import { makeNonce, reportHtml } from './reportHtml';
import { exportContent, exportFileName, exportFilter, reportTitle, reportView } from './reportView';

/** The webview panel type (also its `onWebviewPanel:` activation event). */
export const REPORT_VIEW_TYPE = 'reluDoctor.report';

/** How long a visible panel may stay silent before its shell is reloaded, and how often at most. */
const READY_WAIT_MS = 4000;
const READY_RETRIES = 3;

/** What the panels need from the rest of the extension. */
export interface ReportPanelDeps {
  /** The latest analysis per model: fix buttons act on it, and a cleared result turns them off. */
  readonly results: Pick<AnalysisResults, 'get' | 'onDidChange'>;
  /** Opens the model's text view at a main-graph node. */
  readonly revealNode?: (model: vscode.Uri, nodeIndex: number) => unknown;
}

interface Entry {
  readonly panel: vscode.WebviewPanel;
  readonly model: vscode.Uri;
  view: ReportView;
  /** The webview answered `ready` since it was (re)created. */
  ready: boolean;
  /** A layer to select once the webview is ready. */
  focus?: number;
}

const fileNameOf = (model: vscode.Uri): string => path.posix.basename(model.path);
const setting = <T>(k: string, d: T): T => vscode.workspace.getConfiguration('reluDoctor').get<T>(k, d);

/** The open report panels, one per model. */
export class ReportPanels implements vscode.Disposable {
  private readonly entries = new Map<string, Entry>();
  private readonly subs: vscode.Disposable[] = [];

  /** Registers the panel serializer and returns the panels; `show` is the extension's ShowReport. */
  static register(context: vscode.ExtensionContext, deps: ReportPanelDeps): ReportPanels {
    const panels = new ReportPanels(context.extensionUri, deps);
    panels.subs.push(
      vscode.window.registerWebviewPanelSerializer(REPORT_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel, state) => panels.restore(panel, state),
      }),
      deps.results.onDidChange((uri) => panels.onResult(uri)),
    );
    return panels;
  }

  private constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly deps: ReportPanelDeps,
  ) {}

  /** Shows `report` in the model's panel (created when `reveal` is set), selecting `options.layer`. */
  readonly show: ShowReport = (report: Report, options: ShowReportOptions): void => {
    const key = options.model.toString();
    const view = this.viewOf(options.model, report, options.before);
    const entry = this.entries.get(key);
    if (entry) {
      entry.view = view;
      entry.panel.title = reportTitle(view.fileName);
      this.send(entry, options.layer);
      if (options.reveal) entry.panel.reveal(entry.panel.viewColumn);
      return;
    }
    if (!options.reveal) return;
    const panel = vscode.window.createWebviewPanel(REPORT_VIEW_TYPE, reportTitle(view.fileName), { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false }, this.webviewOptions());
    this.adopt(panel, options.model, view, options.layer);
  };

  dispose(): void {
    for (const e of this.entries.values()) e.panel.dispose();
    this.entries.clear();
    this.subs.forEach((s) => s.dispose());
  }

  private webviewOptions(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return {
      enableScripts: true,
      // The webview keeps its report and choices in setState, so it is cheap to re-create when shown again.
      retainContextWhenHidden: false,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(this.extensionUri, 'media')],
    };
  }

  private viewOf(model: vscode.Uri, report: Report, before: Report | undefined): ReportView {
    return reportView(model.toString(), fileNameOf(model), report, before, this.deps.results.get(model), leakyAlpha(setting));
  }

  /** A panel VS Code restored after a reload: re-attached to its model with the report it saved. */
  private restore(panel: vscode.WebviewPanel, state: unknown): void {
    const saved = parseReportState(state);
    let model: vscode.Uri | undefined;
    try {
      model = saved ? vscode.Uri.parse(saved.view.model, true) : undefined;
    } catch {
      model = undefined;
    }
    if (!saved || !model || this.entries.has(model.toString())) {
      panel.dispose();
      return;
    }
    const current = this.deps.results.get(model);
    const view = current ? this.viewOf(model, current.report, current.before?.report) : this.viewOf(model, saved.view.report, saved.view.before);
    // VS Code restores the panel with the options it had. Setting them again reloads the webview
    // (in VS Code for the Web this races its resource service worker and leaves the page blank), so
    // only when they differ, e.g. after an update moved the extension's folder.
    const want = this.webviewOptions();
    const have = panel.webview.options;
    const roots = (o: vscode.WebviewOptions) => (o.localResourceRoots ?? []).map((u) => u.toString()).join('\n');
    if (have.enableScripts !== true || roots(have) !== roots(want)) panel.webview.options = want;
    this.adopt(panel, model, view);
  }

  private adopt(panel: vscode.WebviewPanel, model: vscode.Uri, view: ReportView, focus?: number): void {
    const entry: Entry = { panel, model, view, ready: false, ...(focus !== undefined ? { focus } : {}) };
    const key = model.toString();
    this.entries.set(key, entry);
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'icon.png');
    const { webview } = panel;
    const load = () => {
      webview.html = reportHtml({
        cspSource: webview.cspSource,
        nonce: makeNonce(),
        scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview', 'report.js')).toString(),
        styleUris: ['viewer.css', 'report.css'].map((f) => webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', f)).toString()),
      });
    };
    load();
    // VS Code for the Web sometimes fails a restored webview's first resource loads (its resource
    // service worker is not in control yet right after a reload), leaving a blank page that never
    // says `ready`. Reload the shell a few times while a visible panel stays silent.
    let ticks = 0;
    const retry = setInterval(() => {
      if (entry.ready || ++ticks > READY_RETRIES) clearInterval(retry);
      else if (panel.visible) load();
    }, READY_WAIT_MS);
    retry.unref?.();
    const sub = webview.onDidReceiveMessage((raw: unknown) => {
      const m = parseFromReport(raw);
      if (m) void this.onMessage(entry, m);
    });
    panel.onDidDispose(() => {
      clearInterval(retry);
      sub.dispose();
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
  }

  /** Sends the entry's view (now if the webview is ready, else when it says so). */
  private send(entry: Entry, focus?: number): void {
    if (!entry.ready) {
      if (focus !== undefined) entry.focus = focus;
      return;
    }
    const m: ToReportMessage = focus !== undefined ? { type: 'init', view: entry.view, focusLayer: focus } : { type: 'init', view: entry.view };
    void entry.panel.webview.postMessage(m);
  }

  private async onMessage(entry: Entry, m: FromReportMessage): Promise<void> {
    switch (m.type) {
      case 'ready': {
        // A re-created webview (shown again after hiding) is ready anew.
        entry.ready = true;
        const focus = entry.focus;
        entry.focus = undefined;
        this.send(entry, focus);
        return;
      }
      case 'applyFix':
        return this.applyFix(entry, m.fixId, m.layer);
      case 'export':
        return this.export(entry, m.format);
      case 'revealNode': {
        const l = entry.view.report.layers[m.layer];
        if (!l) return;
        if (l.graphPath !== '') {
          void vscode.window.showInformationMessage(notificationText(`ReLU Doctor: ${l.node} is inside ${l.graphPath}; the text view lists the main graph's nodes.`));
          return;
        }
        await this.deps.revealNode?.(entry.model, l.nodeIndex);
        return;
      }
    }
  }

  private async applyFix(entry: Entry, fixId: string, layer: number): Promise<void> {
    // Only the buttons this view offered; they exist only while it is the model's current analysis.
    const offered = entry.view.fixes[layer]?.some((f) => f.id === fixId) === true;
    if (!offered || this.deps.results.get(entry.model)?.report !== entry.view.report) {
      void vscode.window.showWarningMessage(notificationText(`ReLU Doctor: this report is no longer the latest analysis of ${entry.view.fileName}; run "Analyze Activations" again, then apply the fix.`));
      return;
    }
    const model = entry.model.toString();
    try {
      if (fixId === 'pytorch-snippet') await vscode.commands.executeCommand('reluDoctor.copyPytorchFix', model, layer);
      else await vscode.commands.executeCommand('reluDoctor.applyFix', model, fixId, layer);
    } catch (e) {
      // The fix commands show their own error messages; the log keeps the line.
      logError(`Report panel: ${fixId} on layer ${layer} of ${entry.view.fileName} failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private async export(entry: Entry, format: 'json' | 'sarif' | 'html'): Promise<void> {
    const name = exportFileName(entry.view.fileName, format);
    const defaultUri = vscode.Uri.joinPath(entry.model, '..', name);
    // The save dialog asks before replacing an existing file; nothing is written without it.
    const target = await vscode.window.showSaveDialog({ defaultUri, filters: exportFilter(format), title: `Export the ReLU Doctor report as ${format.toUpperCase()}`, saveLabel: 'Export' });
    if (!target) return;
    try {
      await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(exportContent(entry.view.report, format)));
      const done = `Saved ${path.posix.basename(target.path)}`;
      void entry.panel.webview.postMessage({ type: 'status', text: done } satisfies ToReportMessage);
      void vscode.window.showInformationMessage(notificationText(`ReLU Doctor: ${done}.`));
    } catch (e) {
      const line = `ReLU Doctor: could not write ${target.fsPath}: ${(e instanceof Error ? e.message : String(e)).split(/\r?\n/, 1)[0]}`;
      logError(line);
      void vscode.window.showErrorMessage(notificationText(line));
    }
  }

  /** A model's analysis was cleared (its file changed): its fix buttons go, the report shown stays. */
  private onResult(uri: vscode.Uri): void {
    const entry = this.entries.get(uri.toString());
    // A new result is followed by a show() of its report; only a cleared one needs handling here.
    if (!entry || this.deps.results.get(uri)) return;
    entry.view = this.viewOf(entry.model, entry.view.report, entry.view.before);
    this.send(entry);
  }
}
