// Hovers on a model's text view: on a ReLU layer's line (or its producer's) the latest analysis's
// numbers for that layer and a link that opens the report there. Only that command is trusted.
import * as vscode from 'vscode';
import { hoverMarkdown, layerAtLine } from './findings';
import type { AnalysisResults } from './results';
import { modelUriOf, TEXT_SCHEME } from './textUri';

/** Registers the hover provider on the text view scheme. */
export function registerHovers(results: AnalysisResults): vscode.Disposable {
  return vscode.languages.registerHoverProvider({ scheme: TEXT_SCHEME }, {
    provideHover(doc, pos) {
      const model = modelUriOf(doc.uri.scheme, doc.uri.query);
      const r = model ? results.get(model) : undefined;
      if (!model || !r) return undefined;
      const at = layerAtLine(r.report, r.layerLines, pos.line);
      if (!at) return undefined;
      const md = new vscode.MarkdownString(hoverMarkdown(r.report, at.layer, at.role, model));
      md.isTrusted = { enabledCommands: ['reluDoctor.showReport'] };
      md.supportHtml = false;
      return new vscode.Hover(md, doc.lineAt(pos.line).range);
    },
  });
}
