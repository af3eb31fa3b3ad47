// API-level end-to-end tests of the analysis features in the real extension host: the scripted
// "Analyze Activations" on the digits MLP with its test set (70 of 128 units dead in /1/Relu per
// examples/digits/MEASURED.txt), the diagnostics on the model and its text view, the hover on the
// ReLU line, and the quick-fixes (each writes a model whose re-analysis shows the effect).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Report } from '../../../src/analysis/report';
import { loadNpy } from '../../../src/data/npy';
import { loadModelAsync } from '../../../src/onnx/load';
import { tensorValues } from '../../../src/onnx/tensor-data';
import { createSession } from '../../../src/runtime/executor';

/** What reluDoctor.applyFix resolves to. */
interface FixOutcome { fixed: string; summary: string; before: Report; after: Report }

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
  fs.copyFileSync(path.join(digits, 'cnn-dying.onnx'), path.join(dir, 'cnn.onnx'));
  fs.copyFileSync(path.join(digits, 'test-images.npy'), path.join(dir, 'test-images.npy'));
  return { dir, model: vscode.Uri.file(path.join(dir, 'mlp.onnx')), data: path.join(dir, 'test.npy') };
}

/** Runs a model file on a batch from a .npy file with the core executor; its only output's values. */
async function outputs(modelPath: string, npy: string): Promise<Float32Array> {
  const session = createSession(await loadModelAsync(modelPath));
  const out = await session.run({ [session.inputs[0].name]: loadNpy(npy) });
  return out[session.outputNames[0]].data as Float32Array;
}

/** Largest |a - b| over two equally long arrays. */
function maxDiff(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Parameters (initializer elements) of a model file. */
async function parameters(modelPath: string): Promise<number> {
  const m = await loadModelAsync(modelPath);
  return m.graph.initializers.reduce((s, t) => s + t.dims.reduce((a, d) => a * Number(d), 1), 0);
}

/** The quick-fixes offered on a text-view line. */
async function fixesAt(uri: vscode.Uri, line: number): Promise<vscode.CodeAction[]> {
  const all = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, new vscode.Range(line, 0, line, 1), vscode.CodeActionKind.QuickFix.value);
  return all.filter((a) => a.command && a.command.command.startsWith('reluDoctor.'));
}

/** Runs a code action's command (with extra trailing arguments). */
function run<T>(a: vscode.CodeAction, ...extra: unknown[]): Thenable<T> {
  return vscode.commands.executeCommand<T>(a.command!.command, ...(a.command!.arguments ?? []), ...extra);
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

  describe('quick-fixes', () => {
    it('offers the quick-fixes on the diagnostic: Leaky ReLU, revive, He-init (discarding training), PyTorch; no prune without proven-dead units', async () => {
      const actions = await fixesAt(textUri, reluLine);
      const titles = actions.map((a) => a.title);
      assert.ok(titles.some((t) => /^Replace with Leaky ReLU/.test(t)), titles.join('\n'));
      assert.ok(titles.some((t) => /^Revive 70 dead unit/.test(t)), titles.join('\n'));
      assert.ok(titles.some((t) => /^He-initialize Gemm '\/0\/Gemm' \(discards that layer's training\)/.test(t)), titles.join('\n'));
      assert.ok(titles.some((t) => /PyTorch/.test(t)), titles.join('\n'));
      assert.ok(!titles.some((t) => /^Prune/.test(t)), titles.join('\n'));
      assert.ok(actions.every((a) => a.kind?.value === vscode.CodeActionKind.QuickFix.value));
      // executeCodeActionProvider does not hand back the actions' diagnostics; when it does, they are ours.
      assert.ok(actions.every((a) => a.diagnostics === undefined || a.diagnostics[0]?.code === 'dead-units'));
      assert.deepEqual(await fixesAt(textUri, nodeLine(doc, '/3/Relu')), [], 'no fixes where nothing is dead');
    });

    it('copies the PyTorch fix to the clipboard', async () => {
      const action = (await fixesAt(textUri, reluLine)).find((a) => /PyTorch/.test(a.title))!;
      const snippet = await run<string>(action);
      assert.match(snippet, /LeakyReLU|kaiming_normal_/);
      assert.equal(await vscode.env.clipboard.readText(), snippet);
    });

    it('Replace with Leaky ReLU writes mlp.fixed.onnx whose re-analysis has no dead units in that layer', async () => {
      const action = (await fixesAt(textUri, reluLine)).find((a) => /^Replace with Leaky ReLU/.test(a.title))!;
      const out = await run<FixOutcome>(action);
      const fixedPath = path.join(ws.dir, 'mlp.fixed.onnx');
      assert.equal(out.fixed, vscode.Uri.file(fixedPath).toString());
      assert.ok(fs.existsSync(fixedPath));
      assert.equal(out.before.layers[0].dead.length, 70);
      const layer = out.after.layers.find((l) => l.node === '/1/Relu');
      assert.ok(!layer || layer.dead.length === 0, `no dead units left in /1/Relu: ${JSON.stringify(layer?.dead)}`);
      assert.ok(out.after.nonDying.some((n) => n.node === '/1/Relu' && n.op === 'LeakyRelu'), 'the layer is a LeakyRelu now');
      assert.equal(out.after.samples.count, 360, 're-analysed with the same data');
      assert.equal(out.after.samples.random, false);
      assert.deepEqual(ours(vscode.Uri.file(fixedPath)).filter((d) => /\/1\/Relu/.test(d.message)), [], 'no diagnostic for the fixed layer');
      assert.equal(ours(ws.model).length, 1, 'the original keeps its diagnostic');
    });

    it('never overwrites without consent: { overwrite: false } on an existing mlp.fixed.onnx refuses and keeps both files', async () => {
      const fixedPath = path.join(ws.dir, 'mlp.fixed.onnx');
      const [fixedBefore, modelBefore] = [fs.readFileSync(fixedPath), fs.readFileSync(ws.model.fsPath)];
      const action = (await fixesAt(textUri, reluLine)).find((a) => /^Revive/.test(a.title))!;
      await assert.rejects(Promise.resolve(run<FixOutcome>(action, { overwrite: false })), /mlp\.fixed\.onnx already exists; pass \{ overwrite: true \}/);
      assert.deepEqual(fs.readFileSync(fixedPath), fixedBefore, 'the earlier fixed model is untouched');
      assert.deepEqual(fs.readFileSync(ws.model.fsPath), modelBefore, 'the original is untouched');
    });

    it('Revive dead units keeps the outputs (within 1e-5) and the revived units fire', async () => {
      const action = (await fixesAt(textUri, reluLine)).find((a) => /^Revive/.test(a.title))!;
      // mlp.fixed.onnx exists from the test before: overwriting is asked for explicitly.
      const out = await run<FixOutcome>(action, { overwrite: true });
      const fixedPath = vscode.Uri.parse(out.fixed, true).fsPath;
      const diff = maxDiff(await outputs(ws.model.fsPath, ws.data), await outputs(fixedPath, ws.data));
      assert.ok(diff <= 1e-5, `outputs unchanged within 1e-5 (max |Δ| ${diff})`);
      const before = new Set(out.before.layers[0].dead);
      const still = out.after.layers[0].dead.filter((u) => before.has(u));
      assert.ok(still.length <= before.size / 10, `most revived units fire on the data: ${before.size - still.length} of ${before.size}`);
    });

    it('He-initialize the producer re-draws /0/Gemm (seeded, zero bias) and leaves the other layers alone', async () => {
      const action = (await fixesAt(textUri, reluLine)).find((a) => /^He-initialize/.test(a.title))!;
      const out = await run<FixOutcome>(action, { overwrite: true });
      const fixedPath = vscode.Uri.parse(out.fixed, true).fsPath;
      const [orig, fixed] = [await loadModelAsync(ws.model.fsPath), await loadModelAsync(fixedPath)];
      const init = (m: typeof orig, name: string) => Array.from(tensorValues(m.graph.initializers.find((t) => t.name === name)!, m) as Float32Array);
      assert.notDeepEqual(init(fixed, '0.weight'), init(orig, '0.weight'), 'weights re-drawn');
      assert.ok(init(fixed, '0.bias').every((v) => v === 0), 'bias zeroed');
      for (const name of ['2.weight', '2.bias', '4.weight', '4.bias']) assert.deepEqual(init(fixed, name), init(orig, name), `${name} unchanged`);
      assert.ok(out.after.layers[0].dead.length < out.before.layers[0].dead.length, `fewer dead units after He init: ${out.before.layers[0].dead.length} → ${out.after.layers[0].dead.length}`);
    });

    it('Prune proven-dead units (CNN with proven-dead units): outputs unchanged, fewer parameters', async () => {
      const cnn = vscode.Uri.file(path.join(ws.dir, 'cnn.onnx'));
      const images = path.join(ws.dir, 'test-images.npy');
      const r = await vscode.commands.executeCommand<Report>('reluDoctor.analyzeActivations', cnn, { data: images, samples: 360 });
      const layer = r.layers.findIndex((l) => l.provenDead.length > 0);
      assert.ok(layer >= 0, `the CNN has proven-dead units: ${JSON.stringify(r.layers.map((l) => l.provenDead))}`);
      const cnnText = await vscode.commands.executeCommand<vscode.Uri>('reluDoctor.openModelAsText', cnn);
      const cnnDoc = await vscode.workspace.openTextDocument(cnnText);
      const line = nodeLine(cnnDoc, r.layers[layer].node);
      const diag = ours(cnnText).find((d) => d.range.start.line === line);
      assert.equal(diag?.code, 'proven-dead');
      const action = (await fixesAt(cnnText, line)).find((a) => /^Prune/.test(a.title));
      assert.ok(action, 'prune is offered where units are proven dead');
      const out = await run<FixOutcome>(action, { overwrite: true });
      const fixedPath = vscode.Uri.parse(out.fixed, true).fsPath;
      const diff = maxDiff(await outputs(cnn.fsPath, images), await outputs(fixedPath, images));
      assert.ok(diff <= 1e-4, `outputs unchanged (max |Δ| ${diff})`);
      assert.ok((await parameters(fixedPath)) < (await parameters(cnn.fsPath)), 'fewer parameters');
      assert.equal(out.after.layers[layer].units, r.layers[layer].units - r.layers[layer].provenDead.length);
    });
  });

  describe('after the model file changes', () => {
    it('clears the diagnostics when the model file changes', async () => {
      assert.equal(ours(ws.model).length, 1);
      fs.copyFileSync(path.join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'examples', 'digits', 'mlp-healthy.onnx'), ws.model.fsPath);
      for (let i = 0; i < 100 && ours(ws.model).length > 0; i++) await new Promise((r) => setTimeout(r, 100));
      assert.equal(ours(ws.model).length, 0, 'diagnostics cleared after the change');
      assert.equal(ours(textUri).length, 0);
    });
  });
});
