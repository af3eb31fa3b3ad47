// The pure logic behind the editor's analysis features (src/extension/findings.ts,
// analysisSettings.ts): diagnostics per layer on the right lines, hover Markdown with every model
// string escaped, quick-fix lists, before → after lines, settings → core options. Uses a real
// report of the digits MLP with its test set.
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { analyzeModel } from '../../src/analysis/analyze';
import type { Report } from '../../src/analysis/report';
import { loadModelAsync } from '../../src/onnx/load';
import { modelToText } from '../../src/onnx/text';
import {
  compareLines, escapeMarkdown, findings, fixActions, fixedName, fixLink, hoverMarkdown, layerAtLine, oneLine, reportLine, showReportLink, summary,
} from '../../src/extension/findings';
import { analysisOptions, leakyAlpha, SettingGetter } from '../../src/extension/analysisSettings';
import { analyzeProgress, parseAnalyzeProgress } from '../../src/worker/analyze-progress';

const DIGITS = path.join(__dirname, '..', '..', 'examples', 'digits');
const MODEL = path.join(DIGITS, 'mlp-dying.onnx');

describe('extension analysis logic', () => {
  let report: Report;
  let lines: number[];

  before(async () => {
    report = await analyzeModel(MODEL, { data: path.join(DIGITS, 'test.npy'), workers: 1 });
    const model = await loadModelAsync(MODEL);
    const view = modelToText(model);
    lines = model.graph.nodes.map((n) => view.nodeLines.get(n) ?? -1);
  });

  it('gives one finding per ReLU layer with dead units, on its text line, related to the producer line', () => {
    const fs = findings(report, lines);
    assert.equal(fs.length, 1);
    const f = fs[0];
    assert.equal(f.layer, 0);
    assert.equal(f.code, 'dead-units');
    assert.equal(f.severity, 'error');
    assert.equal(f.line, lines[1]);
    assert.match(f.message, /^Relu '\/1\/Relu': 70 of 128 \(55%\) units dead on 360 samples\. Cause: /);
    assert.deepEqual(f.related, { line: lines[0], message: "producing layer Gemm '/0/Gemm'" });
  });

  it('codes proven-dead findings and maps severities; no producer line, no related information', () => {
    const r: Report = structuredClone(report);
    r.layers[0].provenDead = [3, 4];
    r.layers[0].producer = null;
    r.layers[1].dead = [1];
    r.layers[1].severity = 'none';
    const fs = findings(r, lines);
    assert.deepEqual(fs.map((f) => [f.code, f.severity]), [['proven-dead', 'error'], ['dead-units', 'information']]);
    assert.match(fs[0].message, /2 proven dead/);
    assert.equal(fs[0].related, undefined);
    // Sites in subgraphs have no main-graph line.
    r.layers[1].graphPath = 'Loop/body';
    assert.equal(findings(r, lines)[1].line, -1);
  });

  it('finds the layer at a line: the ReLU node, else its producer', () => {
    assert.deepEqual(layerAtLine(report, lines, lines[1]), { layer: 0, role: 'activation' });
    assert.deepEqual(layerAtLine(report, lines, lines[2]), { layer: 1, role: 'producer' });
    assert.deepEqual(layerAtLine(report, lines, lines[3]), { layer: 1, role: 'activation' });
    assert.equal(layerAtLine(report, lines, lines[4]), undefined);
    assert.equal(layerAtLine(report, lines, 0), undefined);
  });

  it('hover Markdown has the layer statistics and one command link with JSON arguments', () => {
    const md = hoverMarkdown(report, 0, 'activation', 'file:///m/mlp.onnx');
    assert.match(md, /- Units: 128/);
    assert.match(md, /- Dead: 70 of 128 \(55%\)/);
    assert.match(md, /- Proven dead: 0 of 128/);
    assert.match(md, /- Dormant: 16 of 128/);
    const rate = summary(report.layers[0].activationRate);
    assert.equal(rate.min, 0);
    assert.ok(rate.max > rate.median);
    assert.match(md, /- Activation rate: min 0%, median \d/);
    assert.match(md, /- Main cause: the weighted input sum/);
    const links = [...md.matchAll(/\]\((command:[^)]*)\)/g)].map((m) => m[1]);
    assert.deepEqual(links, [showReportLink('file:///m/mlp.onnx', 0)]);
    assert.deepEqual(JSON.parse(decodeURIComponent(links[0].split('?')[1])), ['file:///m/mlp.onnx', 0]);
    assert.match(hoverMarkdown(report, 1, 'producer', 'file:///m/mlp.onnx'), /Gemm \\\/2\\\/Gemm feeds Relu \\\/3\\\/Relu/);
  });

  it('hover Markdown links the quick-fixes it is given, with JSON arguments and labels free of model strings', () => {
    const fixes = fixActions(report.layers[0], ['leaky-relu', 'revive', 'he-init'], 0.02);
    const md = hoverMarkdown(report, 0, 'activation', 'file:///m/mlp.onnx', fixes, 0.02);
    const links = [...md.matchAll(/\[([^\]]*)\]\((command:[^)]*)\)/g)].map((m) => [m[1], m[2]]);
    assert.deepEqual(links.map((l) => l[0]), ['Open the report at this layer', 'Leaky ReLU (alpha 0.02)', 'Revive 70 dead unit(s)', 'He-initialize the producer (discards its training)', 'Copy the PyTorch fix']);
    assert.deepEqual(links[1][1], fixLink('file:///m/mlp.onnx', 0, 'leaky-relu'));
    assert.deepEqual(JSON.parse(decodeURIComponent(links[2][1].split('?')[1])), ['file:///m/mlp.onnx', 'revive', 0]);
    assert.ok(links[2][1].startsWith('command:reluDoctor.applyFix?'));
    assert.deepEqual(JSON.parse(decodeURIComponent(links[4][1].split('?')[1])), ['file:///m/mlp.onnx', 0]);
    assert.ok(links[4][1].startsWith('command:reluDoctor.copyPytorchFix?'));
  });

  it('escapes hostile model strings in hovers: no HTML, no links, no line breaks survive', () => {
    const r: Report = structuredClone(report);
    r.layers[0].node = '<img src=x onerror=alert(1)>[click](command:workbench.action.terminal.new)\n# heading';
    r.layers[0].producer!.node = '`code` *em* <script>';
    r.layers[0].causes[0].message = '[evil](https://example.invalid) <b>bold</b>';
    const md = hoverMarkdown(r, 0, 'activation', 'file:///m/mlp.onnx');
    assert.doesNotMatch(md, /(?<!\\)<(img|script|b)/, 'no unescaped HTML tags');
    assert.doesNotMatch(md, /(?<!\\)\[click\]|(?<!\\)\[evil\]/, 'no unescaped link text');
    assert.equal([...md.matchAll(/(?<!\\)\]\(/g)].length, 1, 'the only link is the report link');
    assert.doesNotMatch(md, /\n# heading/);
    assert.equal(escapeMarkdown('a\nb'), 'a b');
    assert.equal(escapeMarkdown('x<y>'), 'x\\<y\\>');
    assert.equal(oneLine('a\u2028b\rc'), 'a b c');
  });

  it('lists quick-fixes from the core\'s applicable ids: prune only with proven-dead units, PyTorch always', () => {
    const l = report.layers[0];
    const all = ['leaky-relu', 'he-init', 'revive', 'prune'];
    assert.deepEqual(fixActions(l, all, 0.01).map((a) => a.kind), ['leaky-relu', 'revive', 'he-init', 'pytorch']);
    assert.equal(fixActions(l, all, 0.01)[0].preferred, true);
    assert.match(fixActions(l, all, 0.01).find((a) => a.kind === 'he-init')!.title, /discards that layer's training/);
    assert.match(fixActions(l, all, 0.2)[0].title, /alpha 0\.2/);
    const proven = { ...l, provenDead: [3] };
    assert.deepEqual(fixActions(proven, all, 0.01).map((a) => a.kind), ['leaky-relu', 'revive', 'he-init', 'prune', 'pytorch']);
    assert.deepEqual(fixActions(proven, ['leaky-relu'], 0.01).map((a) => a.kind), ['leaky-relu', 'pytorch']);
  });

  it('names fixed models and summarizes reports and before → after', () => {
    assert.equal(fixedName('mlp.onnx'), 'mlp.fixed.onnx');
    assert.equal(fixedName('Net.ONNX'), 'Net.fixed.onnx');
    assert.equal(fixedName('weights'), 'weights.fixed.onnx');
    assert.match(reportLine(report), /^70 dead, 0 proven dead, 17 dormant of 192 units in 2 ReLU layer\(s\); 360 samples from .*test\.npy/);
    const after: Report = structuredClone(report);
    after.layers[0].dead = [];
    after.totals.dead = 0;
    assert.deepEqual(compareLines(report, after).slice(0, 2), ['total dead units: 70 → 0; proven dead: 0 → 0; dormant: 17 → 17', '/1/Relu: 70 of 128 dead → 0 of 128 (Relu)']);
    const leaky: Report = structuredClone(after);
    leaky.layers = [after.layers[1]];
    leaky.nonDying = [{ node: '/1/Relu', op: 'LeakyRelu', nodeIndex: 1, graphPath: '' }];
    assert.equal(compareLines(report, leaky)[1], '/1/Relu: 70 of 128 dead → LeakyRelu, which cannot die');
  });

  it('turns settings into core options; command choices win; bad values fall back', () => {
    const settings = (m: Record<string, unknown>): SettingGetter => <T>(k: string, d: T): T => (k in m ? (m[k] as T) : d);
    assert.deepEqual(analysisOptions(settings({}), {}, 2), { samples: 256, seed: 0, tau: 0.025, warnFraction: 0.1, errorFraction: 0.5, workers: 2 });
    const o = analysisOptions(settings({ samples: 64, seed: 5, dormantThreshold: 0.1, warningDeadFraction: 0.2, errorDeadFraction: 0.6, symbolicDims: { batch: 4, seq: 0 }, imageMean: [0.5], imageStd: [0.25] }), { data: '/d/x.npy', samples: 10 }, 1);
    assert.deepEqual(o, { samples: 10, seed: 5, tau: 0.1, warnFraction: 0.2, errorFraction: 0.6, workers: 1, data: '/d/x.npy', dims: { batch: 4 }, imageMean: [0.5], imageStd: [0.25] });
    const bad = analysisOptions(settings({ samples: -3, dormantThreshold: 7, warningDeadFraction: 0.7, errorDeadFraction: 0.2, imageStd: [0], symbolicDims: [1] }), {}, 0);
    assert.deepEqual(bad, { samples: 256, seed: 0, tau: 0.025, warnFraction: 0.7, errorFraction: 0.7, workers: 1 });
    assert.equal(leakyAlpha(settings({ leakyReluAlpha: 0.2 })), 0.2);
    assert.equal(leakyAlpha(settings({ leakyReluAlpha: -1 })), 0.01);
  });

  it('round-trips the analyze job\'s progress text', () => {
    assert.deepEqual(parseAnalyzeProgress(analyzeProgress(16, 360)), { done: 16, total: 360 });
    assert.equal(parseAnalyzeProgress('Decoding the model…'), undefined);
  });
});
