// Hovers on a model's text view: on a ReLU layer's line (or its producer's) the latest analysis's
// numbers for that layer, a link that opens the report there and links applying the quick-fixes
// (VS Code offers no code actions in read-only editors). Only those commands are trusted.
import * as vscode from 'vscode';
import { leakyAlpha } from './analysisSettings';
import { fixActions, hoverMarkdown, layerAtLine } from './findings';
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
      const alpha = leakyAlpha((k, d) => vscode.workspace.getConfiguration('reluDoctor').get(k, d));
      const l = r.report.layers[at.layer];
      // Fixes where something is dead (the same ones the diagnostic's code actions offer).
      const fixes = l.dead.length + l.provenDead.length > 0 ? fixActions(l, r.applicable[at.layer] ?? [], alpha) : [];
      const md = new vscode.MarkdownString(hoverMarkdown(r.report, at.layer, at.role, model, fixes, alpha));
      md.isTrusted = { enabledCommands: ['reluDoctor.showReport', 'reluDoctor.applyFix', 'reluDoctor.copyPytorchFix'] };
      md.supportHtml = false;
      return new vscode.Hover(md, doc.lineAt(pos.line).range);
    },
  });
}
