// API-level end-to-end tests: run inside a real VS Code extension host with ReLU Doctor loaded from
// the repository (its dist/ build). The workspace the runner opens holds `model.onnx` (the digits
// MLP from examples/) and `relu.onnx` (the ONNX suite's single-Relu model).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'relu-doctor.relu-doctor';

function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the runner opens a workspace folder');
  return vscode.Uri.joinPath(folder.uri, name);
}

describe('ReLU Doctor in a real VS Code', () => {
  it('activates', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is installed`);
    await ext.activate();
    assert.equal(ext.isActive, true);
  });

  it('registers its commands', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const c of ['reluDoctor.openModelAsText', 'reluDoctor.analyzeActivations']) {
      assert.ok(commands.includes(c), `${c} is registered`);
    }
  });

  it('opens a model as text: reluDoctor.openModelAsText returns the text document Uri', async () => {
    const model = workspaceFile('relu.onnx');
    const uri = await vscode.commands.executeCommand<vscode.Uri>('reluDoctor.openModelAsText', model);
    assert.ok(uri instanceof vscode.Uri, `the command returns a Uri (got ${String(uri)})`);
    const doc = await vscode.workspace.openTextDocument(uri);
    const text = doc.getText();
    assert.match(text, /Relu/, `the text view names the Relu node; it reads:\n${text.slice(0, 1500)}`);
    assert.match(text, /\bx\b/, `the text view names the input x; it reads:\n${text.slice(0, 1500)}`);
  });

  it('opens *.onnx in the reluDoctor.modelViewer custom editor', async () => {
    const model = workspaceFile('model.onnx');
    await vscode.commands.executeCommand('vscode.open', model);
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    assert.ok(tab, 'a tab is active');
    assert.ok(tab.input instanceof vscode.TabInputCustom, 'the model opens in a custom editor');
    assert.equal(tab.input.viewType, 'reluDoctor.modelViewer');
    assert.equal(tab.input.uri.toString(), model.toString());
  });
});
