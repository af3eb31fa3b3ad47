// The read-only text view of a model: a TextDocumentContentProvider on the `relu-doctor-model`
// scheme, and the `reluDoctor.openModelAsText` command that opens it beside the viewer.
import * as vscode from 'vscode';
import type { ModelStore } from './modelStore';
import { modelUriOf, TEXT_SCHEME, textUriFor } from './textUri';

/** The language id of the text view (grammar in media/onnx-text.tmLanguage.json). */
export const TEXT_LANGUAGE = 'onnx-text';

/** The text view URI for a model. */
export function textUri(model: vscode.Uri): vscode.Uri {
  return vscode.Uri.from(textUriFor(model.toString(), model.path));
}

/** Serves model text from the store and refreshes open text views when the model file changes. */
export class ModelTextProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly sub: vscode.Disposable;

  /** Registers the provider; dispose the result to unregister. */
  static register(store: ModelStore): vscode.Disposable {
    const provider = new ModelTextProvider(store);
    return vscode.Disposable.from(provider, vscode.workspace.registerTextDocumentContentProvider(TEXT_SCHEME, provider));
  }

  private constructor(private readonly store: ModelStore) {
    this.sub = store.onDidChange((model) => this.changed.fire(textUri(model)));
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const model = modelUriOf(uri.scheme, uri.query);
    if (!model) return '# not a ReLU Doctor model URI\n';
    try {
      return (await this.store.text(vscode.Uri.parse(model, true))).text;
    } catch (e) {
      return `# ${e instanceof Error ? e.message : String(e)}\n`;
    }
  }

  dispose(): void {
    this.sub.dispose();
    this.changed.dispose();
  }
}

/** Opens a model's text view beside the current editor; resolves to the text document's URI. */
export async function openModelAsText(model: vscode.Uri, line?: number): Promise<vscode.Uri> {
  const uri = textUri(model);
  const doc = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: 'ReLU Doctor: rendering model text' },
    () => vscode.workspace.openTextDocument(uri),
  );
  const typed = doc.languageId === TEXT_LANGUAGE ? doc : await vscode.languages.setTextDocumentLanguage(doc, TEXT_LANGUAGE);
  const editor = await vscode.window.showTextDocument(typed, { viewColumn: vscode.ViewColumn.Beside, preview: false });
  if (line !== undefined && line >= 0 && line < typed.lineCount) {
    const pos = new vscode.Position(line, 0);
    editor.selection = new vscode.Selection(pos, pos);
    editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenter);
  }
  return uri;
}
