// Report outputs: SARIF 2.1.0 structure, the self-contained HTML with every model string escaped,
// and the `analyze` command (table, JSON, refusing to overwrite inputs, exit 3 on --fail-on-dead).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyzeLoadedModel, analyzeModel } from '../../src/analysis/analyze';
import { DataType } from '../../src/onnx/ir';
import { encodeNpy } from '../../src/data/npy';
import { encodeNpz } from '../../src/data/npz';
import { toHtml } from '../../src/analysis/html';
import { Report } from '../../src/analysis/report';
import { toSarif } from '../../src/analysis/sarif';
import { analyzeCommand, reportText } from '../../src/cli/analyze';
import { encodeModel } from '../../src/onnx/write';
import { UsageError } from '../../src/cli/errors';
import * as m from '../helpers/analysis-models';

const NASTY = `<script>alert("x")</script>'&`;

async function denseReport(name = 'relu'): Promise<Report> {
  const model = m.denseModel();
  model.graph.nodes[1].name = name;
  model.graph.nodes[0].name = `${name}-producer`;
  return analyzeLoadedModel(model, { displayPath: `models/${name}.onnx` }, {}, { openSource: () => m.fixedSource(m.uniforms(1, 160), [4], 8) });
}

/** Captures stdout/stderr writes while `f` runs. */
async function capture(f: () => Promise<number>): Promise<{ code: number; out: string; err: string }> {
  const ow = process.stdout.write.bind(process.stdout);
  const ew = process.stderr.write.bind(process.stderr);
  let out = '';
  let err = '';
  process.stdout.write = ((s: string) => ((out += s), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => ((err += s), true)) as typeof process.stderr.write;
  try {
    return { code: await f(), out, err };
  } finally {
    process.stdout.write = ow;
    process.stderr.write = ew;
  }
}

describe('analysis outputs', () => {
  it('SARIF 2.1.0: required properties, one result per finding, rules referenced by id and index', async () => {
    const r = await denseReport();
    const log = toSarif(r) as { version: string; $schema: string; runs: Array<{ tool: { driver: { name: string; rules: Array<{ id: string }> } }; results: Array<Record<string, unknown>> }> };
    assert.equal(log.version, '2.1.0');
    assert.match(log.$schema, /sarif-2\.1\.0/);
    assert.equal(log.runs.length, 1);
    const run = log.runs[0];
    assert.equal(run.tool.driver.name, 'relu-doctor');
    assert.ok(run.tool.driver.rules.length >= 3);
    const ids = run.tool.driver.rules.map((x) => x.id);
    assert.deepEqual(run.results.map((x) => x.ruleId), ['relu-doctor/dead-units', 'relu-doctor/proven-dead', 'relu-doctor/dormant-units']);
    for (const res of run.results) {
      assert.equal(typeof res.ruleId, 'string');
      assert.equal(ids[res.ruleIndex as number], res.ruleId);
      assert.ok(['error', 'warning', 'note', 'none'].includes(res.level as string));
      assert.equal(typeof (res.message as { text: string }).text, 'string');
      const loc = (res.locations as Array<{ physicalLocation: { artifactLocation: { uri: string } }; logicalLocations: Array<{ name: string }> }>)[0];
      assert.equal(loc.physicalLocation.artifactLocation.uri, 'models/relu.onnx');
      assert.equal(loc.logicalLocations[0].name, 'relu');
    }
    assert.equal(run.results[0].level, 'warning');
    assert.match((run.results[0].message as { text: string }).text, /2 of 5 units/);
  });

  it('HTML: self-contained, no script, every model string escaped', async () => {
    const r = await denseReport(NASTY);
    r.model.producer = NASTY;
    const html = toHtml(r);
    assert.ok(!html.includes('<script'), 'no <script> anywhere');
    assert.ok(!html.includes(NASTY));
    assert.ok(!html.includes('"x"'));
    assert.ok(html.includes('&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62;&#39;&#38;'));
    assert.ok(!/<link|src=|href="http/i.test(html), 'no external resources');
    assert.match(html, /<style>/);
  });

  it('the text table lists every layer with dead, dormant, sparsity, severity and main cause', async () => {
    const text = reportText(await denseReport());
    assert.match(text, /layer\s+op\s+units\s+dead\s+proven dead\s+dormant\s+sparsity\s+severity\s+main cause/);
    assert.match(text, /relu\s+Relu\s+5\s+2 \(40%\)\s+2\s+1\s+\d+%\s+warning\s+(weights-nonpositive|bias-below-reach)/);
    assert.doesNotMatch(text, /RANDOM INPUTS/);
  });

  describe('relu-doctor analyze', () => {
    let dir: string;
    let file: string;
    before(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rd-analyze-'));
      file = path.join(dir, 'dense.onnx');
      // Units 0 and 4 get bias −100: dead for any N(0,1) input.
      const model = m.denseModel();
      model.graph.initializers[1] = m.f32('b', [5], [-100, 0, 5, 0, -100]);
      fs.writeFileSync(file, encodeModel(model));
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('on random inputs says so loudly, writes JSON/SARIF/HTML, exits 3 past --fail-on-dead', async () => {
      const json = path.join(dir, 'r.json');
      const res = await capture(() => analyzeCommand([file, '--samples', '50', '--seed', '1', '--json', json, '--sarif', path.join(dir, 'r.sarif'), '--html', path.join(dir, 'r.html'), '--fail-on-dead', '0.3']));
      assert.equal(res.code, 3);
      assert.match(res.out, /^RANDOM INPUTS: results describe random inputs, not your data/);
      assert.match(res.err, /RANDOM INPUTS/);
      const r = JSON.parse(fs.readFileSync(json, 'utf8')) as Report;
      assert.equal(r.schemaVersion, 1);
      assert.equal(r.samples.random, true);
      assert.equal(r.samples.count, 50);
      assert.deepEqual(r.layers[0].dead, [0, 4]);
      assert.ok(fs.readFileSync(path.join(dir, 'r.html'), 'utf8').startsWith('<!DOCTYPE html>'));
      assert.equal(JSON.parse(fs.readFileSync(path.join(dir, 'r.sarif'), 'utf8')).version, '2.1.0');
      const ok = await capture(() => analyzeCommand([file, '--samples', '50', '--fail-on-dead', '0.9', '--json', '-']));
      assert.equal(ok.code, 0);
      assert.equal((JSON.parse(ok.out) as Report).layers.length, 1);
    });

    it('reads .npz data keyed by input name, and says what is wrong with a data file that does not fit', async () => {
      const data = m.uniforms(1, 40 * 4);
      const npz = path.join(dir, 'd.npz');
      fs.writeFileSync(npz, encodeNpz({ x: { dtype: DataType.FLOAT, shape: [40, 4], data } }));
      const r = await analyzeModel(file, { data: npz });
      assert.equal(r.samples.count, 40);
      assert.equal(r.samples.kind, 'npz');
      assert.equal(r.samples.random, false);
      assert.deepEqual(r.layers[0].dead, [0, 4]);
      const bad = path.join(dir, 'bad.npy');
      fs.writeFileSync(bad, encodeNpy({ dtype: DataType.FLOAT, shape: [5, 3], data: new Float32Array(15) }));
      await assert.rejects(analyzeModel(file, { data: bad }), /bad\.npy.*shape \[5,3\] does not fit/);
    });

    it('refuses an output path equal to the model or data file, and bad flags', async () => {
      await assert.rejects(analyzeCommand([file, '--html', file]), UsageError);
      await assert.rejects(analyzeCommand([file, '--data', path.join(dir, 'x.npy'), '--json', path.join(dir, '.', 'x.npy')]), UsageError);
      await assert.rejects(analyzeCommand([file, '--samples', '0']), UsageError);
      await assert.rejects(analyzeCommand([file, '--box', '2,1']), UsageError);
      await assert.rejects(analyzeCommand([file, '--dim', 'batch']), UsageError);
      assert.equal(fs.readFileSync(file).length > 0, true);
    });
  });
});
