// `reluDoctor.analyzeActivations`, for now only a placeholder: activation analysis arrives with the
// executor in a later issue. Kept in its own file so that work replaces exactly this.
import * as vscode from 'vscode';
import * as path from 'node:path';

/** Tells the user that analysis is not available yet; resolves to false (nothing was analyzed). */
export async function analyzeActivations(model: vscode.Uri | undefined): Promise<boolean> {
  const name = model ? path.posix.basename(model.path) : 'this model';
  await vscode.window.showInformationMessage(
    `ReLU Doctor: activation analysis of ${name} arrives with the CPU executor in a later release. For now, inspect the model's layers and ReLU sites in the viewer.`,
  );
  return false;
}
