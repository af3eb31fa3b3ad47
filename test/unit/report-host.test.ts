// The report panel's host-side pure parts: the HTML shell and its CSP, the validators of what the
// webview posts and saves, the fix buttons a report gets from the current analysis, and exports
// written by the core renderers.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isReport, parseFromReport, parseReportState, Report } from '../../src/protocol/report';
import { makeNonce, reportCsp, reportHtml } from '../../src/extension/reportHtml';
import { exportContent, exportFileName, exportFilter, reportTitle, reportView, STALE_FIX_NOTE } from '../../src/extension/reportView';
import { toSarif } from '../../src/analysis/sarif';

const load = (f: string): Report => JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'reports', f), 'utf8'));
const cnn = load('cnn-dying.json');
const hostile = load('hostile.json');

const assets = {
  cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
  nonce: 'bm9uY2Vub25jZW5vbmNl',
  scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/report.js',
  styleUris: ['https://file+.vscode-resource.vscode-cdn.net/ext/media/viewer.css', 'https://file+.vscode-resource.vscode-cdn.net/ext/media/report.css'],
};

describe('report panel: HTML shell', () => {
  it('builds the exact strict CSP: no default, our styles, only the nonce\'d script', () => {
    assert.equal(
      reportCsp(assets.cspSource, 'abc'),
      "default-src 'none'; style-src https://file+.vscode-resource.vscode-cdn.net; script-src 'nonce-abc'; img-src https://file+.vscode-resource.vscode-cdn.net data:; font-src https://file+.vscode-resource.vscode-cdn.net;",
    );
  });

  it('has one script (nonce\'d, external), both stylesheets and no inline code or data', () => {
    const html = reportHtml(assets);
    assert.ok(html.includes(`<meta http-equiv="Content-Security-Policy" content="${reportCsp(assets.cspSource, assets.nonce)}">`));
    assert.deepEqual(html.match(/<script\b[^>]*>/g), [`<script nonce="${assets.nonce}" src="${assets.scriptUri}">`]);
    assert.deepEqual(html.match(/<link\b[^>]*>/g), assets.styleUris.map((u) => `<link rel="stylesheet" href="${u}">`));
    assert.doesNotMatch(html, /<style\b|\sstyle=|\son[a-z]+=/i);
    assert.match(html, /<main id="app" data-testid="report"><\/main>/);
  });

  it('escapes asset URIs and uses fresh crypto-random nonces', () => {
    const html = reportHtml({ ...assets, scriptUri: 'x"><script>alert(1)</script>' });
    assert.ok(!html.includes('"><script>alert'));
    const a = makeNonce();
    assert.notEqual(a, makeNonce());
    assert.equal(Buffer.from(a, 'base64').length, 16);
  });
});

describe('report panel: messages from the webview', () => {
  it('accepts the four message types with valid fields', () => {
    assert.deepEqual(parseFromReport({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(parseFromReport({ type: 'applyFix', fixId: 'revive', layer: 1, extra: 'x' }), { type: 'applyFix', fixId: 'revive', layer: 1 });
    assert.deepEqual(parseFromReport({ type: 'export', format: 'sarif' }), { type: 'export', format: 'sarif' });
    assert.deepEqual(parseFromReport({ type: 'revealNode', layer: 0 }), { type: 'revealNode', layer: 0 });
  });

  it('rejects unknown types, fix ids, formats and bad layer indices', () => {
    for (const m of [null, 'ready', {}, { type: 'eval' }, { type: 'applyFix', fixId: 'rm -rf', layer: 0 }, { type: 'applyFix', fixId: 'revive', layer: -1 }, { type: 'applyFix', fixId: 'revive', layer: 1.5 },
      { type: 'applyFix', fixId: 'revive', layer: '1' }, { type: 'export', format: 'exe' }, { type: 'export' }, { type: 'revealNode', layer: Number.NaN }]) {
      assert.equal(parseFromReport(m), undefined, JSON.stringify(m));
    }
  });
});

describe('report panel: saved state', () => {
  const view = { model: 'file:///m/cnn.onnx', fileName: 'cnn.onnx', report: cnn, fixes: [[{ id: 'revive', title: 'Revive' }], []] };

  it('recognizes schema-1 reports', () => {
    assert.ok(isReport(cnn));
    assert.ok(isReport(hostile));
    assert.ok(!isReport({ ...cnn, schemaVersion: 2 }));
    assert.ok(!isReport({ ...cnn, layers: [{ node: 1 }] }));
    assert.ok(!isReport(null));
  });

  it('round-trips a state and repairs bad choices', () => {
    const s = parseReportState({ version: 1, view, ui: { sort: { key: 'dead', dir: 'desc' }, selected: 1 } });
    assert.deepEqual(s, { version: 1, view, ui: { sort: { key: 'dead', dir: 'desc' }, selected: 1 } });
    const bad = parseReportState({ version: 1, view: { ...view, fixes: [[{ id: 'format-disk', title: 'x' }, { id: 'prune', title: 'Prune' }]] }, ui: { sort: { key: 'constructor', dir: 'up' }, selected: 9 } });
    assert.deepEqual(bad?.ui, { sort: { key: 'index', dir: 'asc' }, selected: -1 });
    assert.deepEqual(bad?.view.fixes, [[{ id: 'prune', title: 'Prune' }]]);
  });

  it('refuses states it did not write', () => {
    for (const s of [undefined, {}, { version: 2, view }, { version: 1, view: { ...view, model: 3 } }, { version: 1, view: { ...view, report: { schemaVersion: 1 } } }, { version: 1, view: { ...view, before: {} } }]) {
      assert.equal(parseReportState(s), undefined, JSON.stringify(s)?.slice(0, 80));
    }
  });
});

describe('report panel: view and exports', () => {
  const applicable = [['leaky-relu', 'he-init', 'pytorch-snippet'], ['leaky-relu', 'revive', 'prune', 'pytorch-snippet']];

  it('offers the core\'s fixes as buttons when the report is the current analysis', () => {
    const v = reportView('file:///m/cnn.onnx', 'cnn.onnx', cnn, undefined, { report: cnn, applicable }, 0.01);
    assert.equal(v.fixNote, undefined);
    assert.deepEqual(v.fixes.map((f) => f.map((x) => x.id)), [['leaky-relu', 'he-init', 'pytorch-snippet'], ['leaky-relu', 'revive', 'prune', 'pytorch-snippet']]);
    assert.equal(v.fixes[1][0].preferred, true);
    assert.match(v.fixes[1][1].title, /^Revive 20 dead unit/);
    assert.match(v.fixes[1][2].title, /^Prune 4 proven-dead unit/);
  });

  it('offers no buttons for a stale report, or for layers without dead units', () => {
    const copy = JSON.parse(JSON.stringify(cnn)) as Report;
    const stale = reportView('file:///m/cnn.onnx', 'cnn.onnx', copy, undefined, { report: cnn, applicable }, 0.01);
    assert.deepEqual(stale.fixes, [[], []]);
    assert.equal(stale.fixNote, STALE_FIX_NOTE);
    assert.equal(reportView('u', 'cnn.onnx', cnn, undefined, undefined, 0.01).fixNote, STALE_FIX_NOTE);
    const healthy = { ...cnn, layers: cnn.layers.map((l) => ({ ...l, dead: [], provenDead: [] })) };
    assert.deepEqual(reportView('u', 'f', healthy, cnn, { report: healthy, applicable }, 0.01).fixes, [[], []]);
    assert.equal(reportView('u', 'f', healthy, cnn, { report: healthy, applicable }, 0.01).before, cnn);
  });

  it('names exports beside the model and writes them with the core renderers', () => {
    assert.equal(exportFileName('cnn-dying.onnx', 'sarif'), 'cnn-dying.relu-doctor.sarif');
    assert.equal(exportFileName('model.ONNX', 'html'), 'model.relu-doctor.html');
    assert.deepEqual(exportFilter('json'), { 'JSON report': ['json'] });
    assert.deepEqual(JSON.parse(exportContent(cnn, 'json')), cnn);
    assert.deepEqual(JSON.parse(exportContent(cnn, 'sarif')), toSarif(cnn));
    const html = exportContent(hostile, 'html');
    assert.match(html, /^<!DOCTYPE html>/);
    assert.ok(!html.includes('<script>window.__pwned'), 'model strings are escaped in the HTML export');
    assert.ok(!/<img src=x/.test(html));
    assert.equal(reportTitle('a\nb.onnx'), 'ReLU Report: a b.onnx');
  });
});
