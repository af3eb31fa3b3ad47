// The report panels' host glue against a fake `vscode`: one panel per model, the ready → init
// handshake with the layer to focus, fix buttons routed to the fix commands only for the current
// analysis, exports only through the save dialog, restore by the serializer, and a cleared result.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EventEmitter, fake, FakeWebviewPanel, installFakeVscode, Uri } from './extension-fake-vscode';

installFakeVscode();
// Loaded after the fake is installed, so their `import * as vscode` gets the fake.
const { ReportPanels, REPORT_VIEW_TYPE } = require('../../src/extension/reportPanel') as typeof import('../../src/extension/reportPanel');
import type { Report } from '../../src/analysis/report';
import { toSarif } from '../../src/analysis/sarif';

const cnn: Report = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'reports', 'cnn-dying.json'), 'utf8'));
const MODEL = Uri.file('/w/cnn.onnx');
const OTHER = Uri.file('/w/other.onnx');

type Posted = { type: string; view?: { report: Report; fixes: Array<Array<{ id: string }>>; fixNote?: string; model: string }; focusLayer?: number; text?: string };

function setup() {
  fake.reset();
  const results = new Map<string, { report: Report; applicable: string[][] }>();
  const changed = new EventEmitter<Uri>();
  const reveals: Array<[string, number]> = [];
  results.set(MODEL.toString(), { report: cnn, applicable: [['leaky-relu', 'pytorch-snippet'], ['leaky-relu', 'revive', 'prune', 'pytorch-snippet']] });
  const context = { extensionUri: Uri.file('/ext') } as never;
  const panels = ReportPanels.register(context, {
    results: { get: (u: Uri | string) => results.get(u.toString()), onDidChange: changed.event } as never,
    revealNode: (u, i) => reveals.push([u.toString(), i]),
  });
  return { panels, results, changed, reveals };
}

const posted = (p: FakeWebviewPanel) => p.webview.posted as Posted[];

describe('report panel host', () => {
  it('opens one panel per model with a strict CSP, and sends the report after ready, at the asked layer', () => {
    const { panels } = setup();
    panels.show(cnn, { model: MODEL as never, layer: 0, reveal: true });
    assert.equal(fake.panels.length, 1);
    const p = fake.panels[0];
    assert.equal(p.viewType, REPORT_VIEW_TYPE);
    assert.equal(p.title, 'ReLU Report: cnn.onnx');
    const opts = p.options as { enableScripts: boolean; retainContextWhenHidden: boolean; localResourceRoots: Uri[] };
    assert.equal(opts.enableScripts, true);
    assert.deepEqual(opts.localResourceRoots.map((u) => u.path), ['/ext/dist/webview', '/ext/media']);
    const nonce = /script-src 'nonce-([^']+)'/.exec(p.webview.html)?.[1];
    assert.ok(nonce && nonce.length >= 22);
    assert.match(p.webview.html, new RegExp(`<script nonce="${nonce!.replace(/[+/]/g, '\\$&')}" src="[^"]*/ext/dist/webview/report\\.js"></script>`));
    assert.match(p.webview.html, /style-src https:\/\/fake\.vscode-cdn\.net;/);
    assert.deepEqual(posted(p), [], 'nothing before the webview is ready');
    p.webview.receive({ type: 'ready' });
    const [init] = posted(p);
    assert.equal(init.type, 'init');
    assert.equal(init.focusLayer, 0);
    assert.equal(init.view!.model, MODEL.toString());
    assert.deepEqual(init.view!.fixes.map((f) => f.map((x) => x.id)), [['leaky-relu', 'pytorch-snippet'], ['leaky-relu', 'revive', 'prune', 'pytorch-snippet']]);
  });

  it('reuses and reveals the model\'s panel; without reveal it opens none', () => {
    const { panels } = setup();
    panels.show(cnn, { model: MODEL as never, reveal: true });
    const p = fake.panels[0];
    p.webview.receive({ type: 'ready' });
    panels.show(cnn, { model: MODEL as never, layer: 1, reveal: true });
    assert.equal(fake.panels.length, 1);
    assert.equal(p.revealed, 1);
    assert.equal(posted(p).at(-1)!.focusLayer, 1);
    panels.show(cnn, { model: OTHER as never, reveal: false });
    assert.equal(fake.panels.length, 1);
    p.dispose();
    panels.show(cnn, { model: MODEL as never, reveal: true });
    assert.equal(fake.panels.length, 2, 'a closed panel is opened anew');
  });

  it('routes fix buttons to the fix commands for the current analysis only', async () => {
    const { panels, results } = setup();
    panels.show(cnn, { model: MODEL as never, reveal: true });
    const p = fake.panels[0];
    p.webview.receive({ type: 'ready' });
    p.webview.receive({ type: 'applyFix', fixId: 'revive', layer: 1 });
    p.webview.receive({ type: 'applyFix', fixId: 'pytorch-snippet', layer: 0 });
    p.webview.receive({ type: 'applyFix', fixId: 'he-init', layer: 1 });
    p.webview.receive({ type: 'applyFix', fixId: 'revive', layer: 'x' });
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(fake.commands, [['reluDoctor.applyFix', MODEL.toString(), 'revive', 1], ['reluDoctor.copyPytorchFix', MODEL.toString(), 0]]);
    assert.equal(fake.messages.length, 1, 'a fix the view did not offer is refused with a message');
    // A newer analysis replaced the one shown: its buttons no longer act.
    results.set(MODEL.toString(), { report: JSON.parse(JSON.stringify(cnn)), applicable: [[], []] });
    p.webview.receive({ type: 'applyFix', fixId: 'revive', layer: 1 });
    await new Promise((r) => setImmediate(r));
    assert.equal(fake.commands.length, 2);
    assert.match(fake.messages[1][1], /no longer the latest analysis/);
  });

  it('exports only through the save dialog, beside the model, with the core renderers', async () => {
    const { panels } = setup();
    panels.show(cnn, { model: MODEL as never, reveal: true });
    const p = fake.panels[0];
    p.webview.receive({ type: 'ready' });
    p.webview.receive({ type: 'export', format: 'sarif' });
    await new Promise((r) => setImmediate(r));
    assert.equal((fake.saveDialogs[0] as { defaultUri: Uri }).defaultUri.path, '/w/cnn.relu-doctor.sarif');
    assert.equal(fake.files.size, 0, 'a cancelled dialog writes nothing');
    fake.saveAnswer = Uri.file('/w/out.sarif');
    p.webview.receive({ type: 'export', format: 'sarif' });
    await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(JSON.parse(Buffer.from(fake.files.get('/w/out.sarif')!).toString('utf8')), toSarif(cnn));
    assert.deepEqual(posted(p).at(-1), { type: 'status', text: 'Saved out.sarif' });
  });

  it('reveals a layer\'s node in the text view', () => {
    const { panels, reveals } = setup();
    panels.show(cnn, { model: MODEL as never, reveal: true });
    fake.panels[0].webview.receive({ type: 'revealNode', layer: 1 });
    assert.deepEqual(reveals, [[MODEL.toString(), cnn.layers[1].nodeIndex]]);
  });

  it('restores a panel from its saved state, and disposes one with a state it did not write', async () => {
    const { results } = setup();
    results.clear();
    const serializer = fake.serializers.get(REPORT_VIEW_TYPE)!;
    const p = new FakeWebviewPanel(REPORT_VIEW_TYPE, 'old', {});
    await serializer.deserializeWebviewPanel(p, { version: 1, view: { model: MODEL.toString(), fileName: 'cnn.onnx', report: cnn, fixes: [[{ id: 'revive', title: 'x' }], []] }, ui: { sort: { key: 'dead', dir: 'desc' }, selected: 1 } });
    assert.ok(p.webview.html.includes('report.js'));
    p.webview.receive({ type: 'ready' });
    const init = posted(p)[0];
    assert.deepEqual(init.view!.report, cnn);
    assert.deepEqual(init.view!.fixes, [[], []], 'no analysis in this window: no fix buttons');
    assert.match(init.view!.fixNote!, /Analyze Activations/);
    const bad = new FakeWebviewPanel(REPORT_VIEW_TYPE, 'bad', {});
    await serializer.deserializeWebviewPanel(bad, { version: 1, view: { model: 'file:///x', report: { evil: true } } });
    assert.equal(bad.disposed, true);
    const twin = new FakeWebviewPanel(REPORT_VIEW_TYPE, 'twin', {});
    await serializer.deserializeWebviewPanel(twin, { version: 1, view: { model: MODEL.toString(), fileName: 'cnn.onnx', report: cnn, fixes: [] }, ui: {} });
    assert.equal(twin.disposed, true, 'one panel per model');
  });

  it('drops the fix buttons when the model\'s analysis is cleared', () => {
    const { panels, results, changed } = setup();
    panels.show(cnn, { model: MODEL as never, reveal: true });
    const p = fake.panels[0];
    p.webview.receive({ type: 'ready' });
    results.clear();
    changed.fire(MODEL);
    const last = posted(p).at(-1)!;
    assert.equal(last.type, 'init');
    assert.deepEqual(last.view!.fixes, [[], []]);
    assert.ok(last.view!.fixNote);
  });
});
