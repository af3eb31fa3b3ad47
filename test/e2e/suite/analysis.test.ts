// API-level end-to-end tests of the analysis features in the real extension host: the scripted
// "Analyze Activations" on the digits MLP with its test set (70 of 128 units dead in /1/Relu per
// examples/digits/MEASURED.txt), the diagnostics on the model and its text view, the hover on the
// ReLU line, and the quick-fixes (each writes a model whose re-analysis shows the effect).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Report } from '../../../src/analysis/report';

const EXTENSION_ID = 'relu-doctor.relu-doctor';

/** A folder of the workspace holding copies of the digits MLP and its test set. */
function setup(): { dir: string; model: vscode.Uri; data: string } {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is installed`);
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the runner opens a workspace folder');
  const dir = path.join(folder.uri.fsPath, 'analysis');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir);
  const digits = path.join(ext.extensionPath, 'examples', 'digits');
  fs.copyFileSync(path.join(digits, 'mlp-dying.onnx'), path.join(dir, 'mlp.onnx'));
  fs.copyFileSync(path.join(digits, 'test.npy'), path.join(dir, 'test.npy'));
  return { dir, model: vscode.Uri.file(path.join(dir, 'mlp.onnx')), data: path.join(dir, 'test.npy') };
}

/** The 0-based line of the text view whose node is `name` (`["name"] ... = Op (...)`). */
function nodeLine(doc: vscode.TextDocument, name: string): number {
  for (let i = 0; i < doc.lineCount; i++) if (doc.lineAt(i).text.trimStart().startsWith(`["${name}"]`)) return i;
  assert.fail(`no line for node ${name} in the text view:\n${doc.getText().slice(0, 2000)}`);
}

/** Diagnostics of `uri` that ReLU Doctor set. */
function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'ReLU Doctor');
}

/** The text of a hover's contents. */
function hoverText(h: vscode.Hover): string {
  return h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : '')).join('\n');
}

describe('Analyze activations in a real VS Code', function () {
  this.timeout(120_000);
  let ws: ReturnType<typeof setup>;
  let report: Report;
  let textUri: vscode.Uri;
  let doc: vscode.TextDocument;
  let reluLine: number;

  before(async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
    ws = setup();
  });

  it('reluDoctor.analyzeActivations(uri, { data, samples }) resolves to the report: 70 of 128 dead in /1/Relu', async () => {
    const r = await vscode.commands.executeCommand<Report>('reluDoctor.analyzeActivations', ws.model, { data: ws.data, samples: 360 });
    assert.ok(r && Array.isArray(r.layers), `the command resolves to a report (got ${JSON.stringify(r)?.slice(0, 300)})`);
    report = r;
    assert.equal(report.samples.count, 360);
    assert.equal(report.samples.random, false);
    assert.deepEqual(report.layers.map((l) => l.node), ['/1/Relu', '/3/Relu']);
    assert.deepEqual(report.layers.map((l) => l.units), [128, 64]);
    assert.deepEqual(report.layers.map((l) => l.dead.length), [70, 0], 'dead units per ReLU layer as measured with PyTorch (MEASURED.txt)');
    assert.equal(report.layers[0].severity, 'error');
  });

  it('accepts a data path relative to the model and "random"', async () => {
    const rel = await vscode.commands.executeCommand<Report>('reluDoctor.analyzeActivations', ws.model, { data: 'test.npy', samples: 100 });
    assert.equal(rel.samples.count, 100);
    assert.equal(rel.samples.random, false);
    const rnd = await vscode.commands.executeCommand<Report>('reluDoctor.analyzeActivations', ws.model, { data: 'random', samples: 50, seed: 3 });
    assert.equal(rnd.samples.random, true);
    assert.equal(rnd.samples.seed, 3);
    assert.equal(rnd.samples.count, 50);
    // Back to the real data for the tests below.
    report = await vscode.commands.executeCommand<Report>('reluDoctor.analyzeActivations', ws.model, { data: ws.data, samples: 360 });
    assert.equal(report.layers[0].dead.length, 70);
  });

  it('rejects bad options with a one-line error', async () => {
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand('reluDoctor.analyzeActivations', ws.model, { data: 'no-such-file.npy', samples: 10 })),
      (e: Error) => /no-such-file\.npy/.test(e.message) && !e.message.includes('\n'),
    );
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('reluDoctor.analyzeActivations', ws.model, { samples: -1 })), /samples/);
  });

  it('sets diagnostics on the model file and on the ReLU line of its text view', async () => {
    textUri = await vscode.commands.executeCommand<vscode.Uri>('reluDoctor.openModelAsText', ws.model);
    doc = await vscode.workspace.openTextDocument(textUri);
    reluLine = nodeLine(doc, '/1/Relu');
    const gemmLine = nodeLine(doc, '/0/Gemm');

    const onModel = ours(ws.model);
    assert.equal(onModel.length, 1, `one diagnostic on the model file: ${JSON.stringify(onModel)}`);
    const onText = ours(textUri);
    assert.equal(onText.length, 1, `one diagnostic on the text view: ${JSON.stringify(onText)}`);
    const d = onText[0];
    assert.equal(d.range.start.line, reluLine);
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(d.code, 'dead-units');
    assert.match(d.message, /70 of 128/);
    assert.match(d.message, /\/1\/Relu/);
    assert.ok(d.relatedInformation?.length, 'related information points at the producer');
    assert.equal(d.relatedInformation![0].location.uri.toString(), textUri.toString());
    assert.equal(d.relatedInformation![0].location.range.start.line, gemmLine);
    assert.match(d.relatedInformation![0].message, /\/0\/Gemm/);
  });

  it('hovers the ReLU line (and its producer) with the layer statistics and a report link', async () => {
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', textUri, new vscode.Position(reluLine, 4));
    const text = hovers.map(hoverText).join('\n---\n');
    assert.match(text, /Units: 128/);
    assert.match(text, /Dead: 70 of 128/);
    assert.match(text, /Proven dead: 0 of 128/);
    assert.match(text, /Dormant: 16 of 128/);
    assert.match(text, /Activation rate: min 0%, median/);
    assert.match(text, /Main cause: .*weighted input sum/);
    assert.match(text, /command:reluDoctor\.showReport\?/);
    const producer = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', textUri, new vscode.Position(nodeLine(doc, '/0/Gemm'), 4));
    assert.match(producer.map(hoverText).join('\n'), /feeds Relu/);
    const none = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', textUri, new vscode.Position(nodeLine(doc, '/4/Gemm'), 4));
    assert.doesNotMatch(none.map(hoverText).join('\n'), /ReLU Doctor/);
  });

  it('reluDoctor.showReport opens the report at a layer', async () => {
    await vscode.commands.executeCommand('reluDoctor.showReport', ws.model.toString(), 0);
  });
});
